package io.teledrop.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how the S3 storage backend talks to its object store; read by {@link Settings} when
 * {@code teledrop.storage.type=s3}.
 *
 * @param endpoint         {@value #ENDPOINT}: an S3-compatible server (MinIO, Ceph, …); empty = AWS for the region
 * @param region           {@value #REGION}
 * @param bucket           {@value #BUCKET}: must exist; Teledrop does not create buckets
 * @param prefix           {@value #PREFIX}: prepended to every object key, empty or ending in {@code /}
 * @param accessKey        {@value #ACCESS_KEY}: with {@code secretKey}; both empty = the SDK's default
 *                         credential chain (environment, profile, instance role)
 * @param secretKey        {@value #SECRET_KEY}
 * @param pathStyleAccess  {@value #PATH_STYLE_ACCESS}: {@code host/bucket/key} URLs, as most S3-compatible servers want
 * @param partSize         {@value #PART_SIZE}, bytes: larger uploads go up as multipart uploads of this part size
 * @param presignDownloads {@value #PRESIGN_DOWNLOADS}: downloads redirect to a presigned URL instead of
 *                         streaming through the server
 * @param presignExpiry    {@value #PRESIGN_EXPIRY}: how long a presigned download URL works
 * @param connectTimeout   {@value #CONNECT_TIMEOUT}
 * @param socketTimeout    {@value #SOCKET_TIMEOUT}: the longest wait for a byte once connected
 * @param maxConnections   {@value #MAX_CONNECTIONS}: the client's connection pool
 * @param maxAttempts      {@value #MAX_ATTEMPTS}: tries per request, with exponential backoff and jitter;
 *                         client errors (4xx such as NoSuchBucket or AccessDenied) are not retried
 * @param uploadConcurrency {@value #UPLOAD_CONCURRENCY}: parts of one upload in flight at once
 * @param uploadMemory     {@value #UPLOAD_MEMORY}, bytes: the most memory all uploads together hold in part buffers
 *                         ({@code uploadMemory / partSize} whole parts, server-wide); a part that finds none free is
 *                         spooled to a file in the upload temp folder instead, so memory never grows with load or file size
 */
public record S3Settings(
        Optional<URI> endpoint,
        String region,
        String bucket,
        String prefix,
        Optional<String> accessKey,
        Optional<String> secretKey,
        boolean pathStyleAccess,
        long partSize,
        boolean presignDownloads,
        Duration presignExpiry,
        Duration connectTimeout,
        Duration socketTimeout,
        int maxConnections,
        int maxAttempts,
        int uploadConcurrency,
        long uploadMemory) {

    public static final String ENDPOINT = "teledrop.storage.s3.endpoint";
    public static final String REGION = "teledrop.storage.s3.region";
    public static final String BUCKET = "teledrop.storage.s3.bucket";
    public static final String PREFIX = "teledrop.storage.s3.prefix";
    public static final String ACCESS_KEY = "teledrop.storage.s3.access-key";
    public static final String SECRET_KEY = "teledrop.storage.s3.secret-key";
    public static final String PATH_STYLE_ACCESS = "teledrop.storage.s3.path-style-access";
    public static final String PART_SIZE = "teledrop.storage.s3.part-size";
    public static final String PRESIGN_DOWNLOADS = "teledrop.storage.s3.presign-downloads";
    public static final String PRESIGN_EXPIRY = "teledrop.storage.s3.presign-expiry";
    public static final String CONNECT_TIMEOUT = "teledrop.storage.s3.connect-timeout";
    public static final String SOCKET_TIMEOUT = "teledrop.storage.s3.socket-timeout";
    public static final String MAX_CONNECTIONS = "teledrop.storage.s3.max-connections";
    public static final String MAX_ATTEMPTS = "teledrop.storage.s3.max-attempts";
    public static final String UPLOAD_CONCURRENCY = "teledrop.storage.s3.upload-concurrency";
    public static final String UPLOAD_MEMORY = "teledrop.storage.s3.upload-memory";

    /** S3's own bounds for a multipart upload part (all but the last). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    /** S3's most parts in one multipart upload. */
    public static final int MAX_PARTS = 10_000;
    /** SigV4 presigned URLs work at most a week. */
    public static final Duration MAX_PRESIGN_EXPIRY = Duration.ofDays(7);

    /** Part buffers of {@code partSize} bytes that {@code uploadMemory} holds (none when a part does not fit in one Java array). */
    public int uploadBuffers() {
        return partSize > Integer.MAX_VALUE - 16 ? 0 : (int) Math.min(Integer.MAX_VALUE, uploadMemory / partSize);
    }

    /** Never shows the secret key. */
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("(AWS)") + ", region=" + region + ", bucket=" + bucket
                + ", prefix=" + prefix + ", credentials=" + (accessKey.isPresent() ? "(configured)" : "(default chain)")
                + ", pathStyleAccess=" + pathStyleAccess + ", partSize=" + partSize + ", presignDownloads=" + presignDownloads
                + ", uploadConcurrency=" + uploadConcurrency + ", uploadMemory=" + uploadMemory + "]";
    }
}

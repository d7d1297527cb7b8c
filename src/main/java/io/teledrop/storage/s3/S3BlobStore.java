package io.teledrop.storage.s3;

import io.teledrop.config.S3Settings;
import io.teledrop.storage.BlobExistsException;
import io.teledrop.storage.BlobInfo;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.BlobTooLargeException;
import io.teledrop.storage.Folders;
import io.teledrop.storage.NoSuchBlobException;
import io.teledrop.storage.PutResult;
import io.teledrop.storage.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs as objects in an S3 bucket (AWS, or any S3-compatible server), each under the configured prefix.
 *
 * <p>Uploads of unknown length never sit in memory: the stream is cut into parts of the configured size,
 * each spooled to a file in the spool folder while its SHA-256 is computed, then sent. A stream that ends
 * within the first part becomes one PUT; a longer one a multipart upload, aborted if anything fails, so
 * no parts are left behind (and billed). The finished object carries its SHA-256 as user metadata
 * ({@code x-amz-meta-sha256}). Writes never overwrite: an existing key is refused before any byte is
 * sent, and the final write is conditional ({@code If-None-Match: *}) where the server supports it.
 *
 * <p>Thread-safe; one {@link S3Client} (with its connection pool) for the store's life, closed by
 * {@link #close()}.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3BlobStore.class.getName());
    private static final String SHA256_METADATA = "sha256";
    private static final int COPY_BUFFER = 64 * 1024;
    /** S3 copies up to 5 GiB in one request; larger objects are copied part by part. */
    private static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    private static final String SPOOL_PREFIX = "s3-part-";

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;
    private final long partSize;
    private final Path spoolDir;
    private final Duration presignExpiry;
    private volatile boolean conditionalWrites = true;

    S3BlobStore(S3Client s3, S3Presigner presigner, S3Settings settings, Path spoolDir) throws IOException {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = settings.bucket();
        this.prefix = settings.prefix();
        this.partSize = settings.partSize();
        this.presignExpiry = settings.presignExpiry();
        this.spoolDir = Files.createDirectories(spoolDir);
    }

    /** A store with its own client, configured from {@code settings}; parts are spooled in {@code spoolDir}. */
    public static S3BlobStore create(S3Settings settings, Path spoolDir) throws IOException {
        AwsCredentialsProvider credentials = settings.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey().get(), settings.secretKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        S3Configuration s3Configuration = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyleAccess()).build();
        Region region = Region.of(settings.region());
        var builder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Configuration)
                // Checksums only where S3 requires them: S3-compatible servers differ in the newer trailing ones.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(settings.maxConnections())
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.socketTimeout()))
                // AWS's standard conditions: throttling, 5xx and I/O errors are retried, client errors (4xx) never.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts())
                        .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20)))
                        .build()));
        var presignerBuilder = S3Presigner.builder().region(region).credentialsProvider(credentials).serviceConfiguration(s3Configuration);
        settings.endpoint().ifPresent(endpoint -> {
            builder.endpointOverride(endpoint);
            presignerBuilder.endpointOverride(endpoint);
        });
        return new S3BlobStore(builder.build(), settings.presignDownloads() ? presignerBuilder.build() : null, settings, spoolDir);
    }

    /** Checks at start-up that the bucket is there and reachable with these credentials. */
    public void checkBucket() throws IOException {
        call(() -> s3.headBucket(b -> b.bucket(bucket)));
    }

    private String objectKey(String key) {
        return prefix + BlobKeys.requireValid(key);
    }

    @Override
    public PutResult put(String key, InputStream in, long maxBytes) throws IOException {
        String objectKey = objectKey(key);
        if (exists(objectKey)) {
            throw new BlobExistsException(key);
        }
        MessageDigest sha256 = sha256();
        PushbackInputStream source = new PushbackInputStream(in, 1);
        Path part = spoolDir.resolve(SPOOL_PREFIX + UUID.randomUUID());
        String uploadId = null;
        try {
            long total = spoolPart(source, part, sha256, maxBytes);
            if (atEnd(source)) {
                Map<String, String> metadata = Map.of(SHA256_METADATA, hex(sha256));
                putObject(key, objectKey, part, metadata);
                return new PutResult(key, total, metadata.get(SHA256_METADATA));
            }
            String id = call(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key(objectKey).contentType("application/octet-stream"))).uploadId();
            uploadId = id;
            List<CompletedPart> parts = new ArrayList<>();
            for (int number = 1; ; number++) {
                int partNumber = number;
                String etag = call(() -> s3.uploadPart(b -> b.bucket(bucket).key(objectKey).uploadId(id).partNumber(partNumber),
                        RequestBody.fromFile(part))).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                if (atEnd(source)) {
                    break;
                }
                total += spoolPart(source, part, sha256, maxBytes - total);
            }
            // The digest is known only now, after the parts: a multipart object carries no sha256 metadata (the database has it).
            CompletedMultipartUpload completed = CompletedMultipartUpload.builder().parts(parts).build();
            completeMultipart(key, objectKey, id, completed);
            uploadId = null;
            return new PutResult(key, total, hex(sha256));
        } finally {
            Files.deleteIfExists(part);
            if (uploadId != null) {
                abortQuietly(objectKey, uploadId);
            }
        }
    }

    /**
     * Copies up to one part from {@code source} into {@code part} (replacing it), feeding {@code sha256};
     * returns the bytes copied. More than {@code allowed} bytes in the stream is {@link BlobTooLargeException}.
     */
    private long spoolPart(PushbackInputStream source, Path part, MessageDigest sha256, long allowed) throws IOException {
        long limit = Math.min(partSize, allowed == Long.MAX_VALUE ? allowed : allowed + 1);
        long copied = 0;
        byte[] buffer = new byte[COPY_BUFFER];
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE), sha256)) {
            while (copied < limit) {
                int read = source.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
                if (read < 0) {
                    break;
                }
                out.write(buffer, 0, read);
                copied += read;
            }
        }
        if (copied > allowed) {
            throw new BlobTooLargeException(allowed);
        }
        if (copied == allowed && !atEnd(source)) {
            throw new BlobTooLargeException(allowed);
        }
        return copied;
    }

    private static boolean atEnd(PushbackInputStream source) throws IOException {
        int next = source.read();
        if (next < 0) {
            return true;
        }
        source.unread(next);
        return false;
    }

    private void putObject(String key, String objectKey, Path file, Map<String, String> metadata) throws IOException {
        writeOnce(key, conditional -> s3.putObject(b -> {
            b.bucket(bucket).key(objectKey).contentType("application/octet-stream").metadata(metadata);
            if (conditional) {
                b.ifNoneMatch("*");
            }
        }, RequestBody.fromFile(file)));
    }

    private void completeMultipart(String key, String objectKey, String uploadId, CompletedMultipartUpload completed) throws IOException {
        writeOnce(key, conditional -> s3.completeMultipartUpload(b -> {
            b.bucket(bucket).key(objectKey).uploadId(uploadId).multipartUpload(completed);
            if (conditional) {
                b.ifNoneMatch("*");
            }
        }));
    }

    /**
     * Runs the write that makes an object visible, with {@code If-None-Match: *} while the server supports
     * it: a key that appeared meanwhile is {@link BlobExistsException}. A server without conditional writes
     * (501) is remembered, and the existence check before each upload has to do.
     */
    private void writeOnce(String key, java.util.function.Function<Boolean, ?> write) throws IOException {
        boolean conditional = conditionalWrites;
        try {
            call(() -> write.apply(conditional));
        } catch (S3StorageException e) {
            if (e.status() == 412 || e.status() == 409) {
                throw new BlobExistsException(key);
            }
            if (conditional && e.status() == 501) {
                LOG.warning("The S3 server does not support conditional writes (If-None-Match); relying on a check before each upload");
                conditionalWrites = false;
                call(() -> write.apply(false));
                return;
            }
            throw e;
        }
    }

    private void abortQuietly(String objectKey, String uploadId) {
        try {
            call(() -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId)));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Could not abort multipart upload " + uploadId + " of " + objectKey
                    + "; reconciliation aborts it once it is older than the grace period");
        }
    }

    @Override
    public StoredBlob open(String key) throws IOException {
        String objectKey = objectKey(key);
        ResponseInputStream<GetObjectResponse> object = get(key, () -> s3.getObject(b -> b.bucket(bucket).key(objectKey)));
        GetObjectResponse response = object.response();
        return new StoredBlob(info(key, response.contentLength(), response.lastModified(), response.eTag(), response.metadata()),
                0, response.contentLength(), object);
    }

    @Override
    public StoredBlob openRange(String key, long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
        }
        if (length > Long.MAX_VALUE - offset) {
            throw new IllegalArgumentException("range at " + offset + " of " + length + " bytes is past any blob's end");
        }
        String objectKey = objectKey(key);
        if (length == 0) {
            // HTTP cannot ask for zero bytes; the object's size says whether the offset is inside it.
            BlobInfo info = stat(key).orElseThrow(() -> new NoSuchBlobException(key));
            requireInside(info.size(), offset, length);
            return new StoredBlob(info, offset, 0, InputStream.nullInputStream());
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        ResponseInputStream<GetObjectResponse> object;
        try {
            object = get(key, () -> s3.getObject(b -> b.bucket(bucket).key(objectKey).range(range)));
        } catch (S3StorageException e) {
            if (e.status() == 416) {
                throw new IllegalArgumentException("range " + range + " starts past the end of " + key);
            }
            throw e;
        }
        GetObjectResponse response = object.response();
        long size = totalSize(response);
        if (length > size - offset) {
            object.abort();
            throw new IllegalArgumentException("range " + range + " reaches past the end of " + key + " (" + size + " bytes)");
        }
        return new StoredBlob(info(key, size, response.lastModified(), response.eTag(), response.metadata()), offset, length, object);
    }

    /** The whole object's size from {@code Content-Range: bytes a-b/size}. */
    private static long totalSize(GetObjectResponse response) {
        String contentRange = response.contentRange();
        if (contentRange == null) {
            return response.contentLength();
        }
        return Long.parseLong(contentRange.substring(contentRange.lastIndexOf('/') + 1).strip());
    }

    private static void requireInside(long size, long offset, long length) {
        if (offset > size || length > size - offset) {
            throw new IllegalArgumentException("range at " + offset + " of " + length + " bytes reaches past the end (" + size + " bytes)");
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) throws IOException {
        return head(objectKey(key)).map(head -> info(key, head.contentLength(), head.lastModified(), head.eTag(), head.metadata()));
    }

    private boolean exists(String objectKey) throws IOException {
        return head(objectKey).isPresent();
    }

    /** HEAD of an object, or empty when there is none. */
    private Optional<HeadObjectResponse> head(String objectKey) throws IOException {
        try {
            return Optional.of(call(() -> s3.headObject(b -> b.bucket(bucket).key(objectKey))));
        } catch (S3StorageException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        String objectKey = objectKey(key);
        // DELETE succeeds whether or not the object was there; the contract wants to know.
        if (!exists(objectKey)) {
            return false;
        }
        call(() -> s3.deleteObject(b -> b.bucket(bucket).key(objectKey)));
        return true;
    }

    @Override
    public void move(String sourceKey, String targetKey) throws IOException {
        String source = objectKey(sourceKey);
        String target = objectKey(targetKey);
        BlobInfo info = stat(sourceKey).orElseThrow(() -> new NoSuchBlobException(sourceKey));
        if (exists(target)) {
            throw new BlobExistsException(targetKey);
        }
        if (info.size() <= MAX_SINGLE_COPY) {
            call(() -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(source).destinationBucket(bucket).destinationKey(target)));
        } else {
            copyInParts(source, target, info.size());
        }
        call(() -> s3.deleteObject(b -> b.bucket(bucket).key(source)));
    }

    /** Server-side copy of an object too large for one CopyObject (over 5 GiB), part by part. */
    private void copyInParts(String source, String target, long size) throws IOException {
        String uploadId = call(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key(target).contentType("application/octet-stream"))).uploadId();
        boolean done = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long copyPartSize = Math.max(partSize, 512L * 1024 * 1024);
            int number = 1;
            for (long first = 0; first < size; first += copyPartSize, number++) {
                String range = "bytes=" + first + "-" + (Math.min(size, first + copyPartSize) - 1);
                int partNumber = number;
                String etag = call(() -> s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(source).destinationBucket(bucket)
                        .destinationKey(target).uploadId(uploadId).partNumber(partNumber).copySourceRange(range))).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            call(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(target).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())));
            done = true;
        } finally {
            if (!done) {
                abortQuietly(target, uploadId);
            }
        }
    }

    @Override
    public List<BlobInfo> list(String keyPrefix, String startAfter, int limit) throws IOException {
        if (!BlobKeys.isValidPrefix(keyPrefix)) {
            throw new IllegalArgumentException("not a key prefix: " + keyPrefix);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        List<BlobInfo> page = new ArrayList<>(Math.min(limit, 1000));
        String token = null;
        String after = startAfter == null ? null : prefix + startAfter;
        do {
            String continuation = token;
            int wanted = Math.min(1000, limit - page.size());
            ListObjectsV2Response response = call(() -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix + keyPrefix)
                    .maxKeys(wanted).continuationToken(continuation).startAfter(continuation == null ? after : null)));
            for (S3Object object : response.contents()) {
                String key = object.key().substring(prefix.length());
                // Objects under the prefix that Teledrop did not write (a key it could not have made) are skipped.
                if (BlobKeys.isValid(key) && page.size() < limit) {
                    page.add(new BlobInfo(key, object.size(), object.lastModified(), object.eTag(), Map.of()));
                }
            }
            token = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
        } while (token != null && page.size() < limit);
        return page;
    }

    /**
     * Aborts multipart uploads under the prefix started before {@code cutoff} (a crash between parts leaves
     * them, and S3 bills their parts) and removes spool files of the same age.
     */
    @Override
    public int removeStaleTemporaries(Instant cutoff) throws IOException {
        int removed = Folders.removeFilesOlderThan(spoolDir, cutoff);
        String keyMarker = null;
        String uploadIdMarker = null;
        boolean more;
        do {
            String keys = keyMarker;
            String ids = uploadIdMarker;
            var response = call(() -> s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix).keyMarker(keys).uploadIdMarker(ids)));
            for (MultipartUpload upload : response.uploads()) {
                if (upload.initiated() != null && upload.initiated().isBefore(cutoff)) {
                    abortQuietly(upload.key(), upload.uploadId());
                    removed++;
                }
            }
            more = Boolean.TRUE.equals(response.isTruncated());
            keyMarker = response.nextKeyMarker();
            uploadIdMarker = response.nextUploadIdMarker();
        } while (more);
        return removed;
    }

    /**
     * A presigned GET for the blob, valid for the configured time, that makes S3 answer with the given
     * Content-Type and Content-Disposition; empty unless presigned downloads are on.
     */
    @Override
    public Optional<URI> downloadUrl(String key, String contentType, String contentDisposition) {
        if (presigner == null) {
            return Optional.empty();
        }
        String objectKey = objectKey(key);
        try {
            return Optional.of(presigner.presignGetObject(p -> p.signatureDuration(presignExpiry)
                    .getObjectRequest(b -> b.bucket(bucket).key(objectKey).responseContentType(contentType)
                            .responseContentDisposition(contentDisposition))).url().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("The SDK made an unusable URL", e);
        }
    }

    @Override
    public void close() {
        s3.close();
        if (presigner != null) {
            presigner.close();
        }
    }

    private static BlobInfo info(String key, Long size, Instant lastModified, String etag, Map<String, String> metadata) {
        return new BlobInfo(key, size == null ? 0 : size, lastModified, etag, metadata == null ? Map.of() : Map.copyOf(metadata));
    }

    private <T> T get(String key, SdkCall<T> call) throws IOException {
        try {
            return call(call);
        } catch (S3StorageException e) {
            if (e.status() == 404) {
                throw new NoSuchBlobException(key);
            }
            throw e;
        }
    }

    /** Runs an SDK call, turning its unchecked failures into {@link S3StorageException} (an IOException). */
    private static <T> T call(SdkCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (NoSuchKeyException e) {
            throw new S3StorageException(404, e);
        } catch (S3Exception e) {
            throw new S3StorageException(e.statusCode(), e);
        } catch (SdkException e) {
            throw new S3StorageException(0, e);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @FunctionalInterface
    private interface SdkCall<T> {
        T run();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java has SHA-256", e);
        }
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    // Stagings: placeholder until the S3 implementation lands (branch s3-staging).
    @Override
    public io.teledrop.storage.Staging beginStaging(String key) {
        throw new UnsupportedOperationException("resumable uploads on S3 are not there yet");
    }

    @Override
    public io.teledrop.storage.Staging.Appended append(io.teledrop.storage.Staging staging, InputStream in, long maxBytes, boolean keepPartial, Checkpoints checkpoints) {
        throw new UnsupportedOperationException("resumable uploads on S3 are not there yet");
    }

    @Override
    public InputStream openStagedPrefix(io.teledrop.storage.Staging staging, int length) {
        throw new UnsupportedOperationException("resumable uploads on S3 are not there yet");
    }

    @Override
    public void releasePieces(io.teledrop.storage.Staging replaced, io.teledrop.storage.Staging current) {
    }

    @Override
    public void completeStaging(io.teledrop.storage.Staging staging) {
        throw new UnsupportedOperationException("resumable uploads on S3 are not there yet");
    }

    @Override
    public void abortStaging(io.teledrop.storage.Staging staging) {
    }

    @Override
    public int removeAbandonedStagings(Instant cutoff, java.util.Set<String> live) {
        return 0;
    }
}

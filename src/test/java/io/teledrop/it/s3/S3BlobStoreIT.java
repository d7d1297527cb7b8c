package io.teledrop.it.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.config.S3Settings;
import io.teledrop.config.Settings;
import io.teledrop.it.TeledropClient;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.BlobStoreContract;
import io.teledrop.storage.PutResult;
import io.teledrop.storage.s3.S3BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@link BlobStore} contract, and what only S3 has (multipart uploads, presigned URLs, object
 * metadata), against a real S3 API: S3Proxy, which the build starts on 127.0.0.1 with signature checks on.
 * Each run works under a prefix of its own, so runs and tests never see each other's objects.
 */
class S3BlobStoreIT extends BlobStoreContract {

    private static final String ENDPOINT = System.getProperty("teledrop.it.s3.endpoint");
    private static final String BUCKET = System.getProperty("teledrop.it.s3.bucket");
    private static final String RUN_PREFIX = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int MIB = 1024 * 1024;

    @TempDir
    static Path spool;

    @BeforeAll
    static void s3ProxyIsUp() throws Exception {
        URI endpoint = URI.create(ENDPOINT);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Socket ignored = new Socket(endpoint.getHost(), endpoint.getPort())) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy is not answering at " + ENDPOINT + " (see target/s3proxy/s3proxy.log)", e);
                }
                Thread.sleep(200);
            }
        }
    }

    static S3Settings settings(String bucket, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of(
                Settings.DATA_DIR, "/tmp/unused",
                Settings.STORAGE_TYPE, "s3",
                S3Settings.ENDPOINT, ENDPOINT,
                S3Settings.BUCKET, bucket,
                S3Settings.PREFIX, RUN_PREFIX,
                S3Settings.ACCESS_KEY, System.getProperty("teledrop.it.s3.access-key"),
                S3Settings.SECRET_KEY, System.getProperty("teledrop.it.s3.secret-key"),
                S3Settings.PATH_STYLE_ACCESS, "true",
                S3Settings.PART_SIZE, "5MiB",
                S3Settings.MAX_ATTEMPTS, "3"));
        values.putAll(extra);
        return Settings.load(key -> Optional.ofNullable(values.get(key))).s3().orElseThrow();
    }

    @Override
    protected BlobStore newStore() throws Exception {
        return S3BlobStore.create(settings(BUCKET, Map.of(S3Settings.PRESIGN_DOWNLOADS, "true", S3Settings.PRESIGN_EXPIRY, "PT2S")), spool);
    }

    @Override
    protected void closeStore() {
        ((S3BlobStore) store).close();
    }

    /** Nothing half-written: no open multipart upload under this run's prefix, no spooled part. */
    @Override
    protected void assertNothingStaged() throws Exception {
        assertEquals(0, pendingMultipartUploads(), "open multipart uploads");
        try (var files = Files.list(spool)) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "spooled parts left");
        }
    }

    /** A plain SDK client for S3Proxy, to look at the bucket behind the store's back. */
    static S3Client rawClient() {
        return S3Client.builder().endpointOverride(URI.create(ENDPOINT)).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(System.getProperty("teledrop.it.s3.access-key"),
                        System.getProperty("teledrop.it.s3.secret-key")))).build();
    }

    private static long pendingMultipartUploads() {
        try (S3Client s3 = rawClient()) {
            return s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(RUN_PREFIX + "/")).uploads().size();
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new java.util.Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void aStreamLongerThanOnePartGoesUpInPartsAndReadsBackWhole() throws Exception {
        byte[] data = bytes(12 * MIB + 3, 1);
        String key = BlobKeys.newKey();

        PutResult stored = store.put(key, new ByteArrayInputStream(data), data.length);

        assertEquals(TeledropClient.sha256(data), stored.sha256());
        try (var blob = store.open(key)) {
            assertArrayEquals(data, blob.stream().readAllBytes());
        }
        try (S3Client s3 = rawClient()) {
            String etag = s3.headObject(b -> b.bucket(BUCKET).key(RUN_PREFIX + "/" + key)).eTag();
            assertTrue(etag.endsWith("-3\""), "a multipart object of three parts: " + etag);
        }
        assertEquals(0, pendingMultipartUploads());
    }

    @Test
    void aSinglePutCarriesItsSha256AsMetadata() throws Exception {
        String key = BlobKeys.newKey();
        PutResult stored = store.put(key, new ByteArrayInputStream("small".getBytes()), 100);
        var info = store.stat(key).orElseThrow();
        assertEquals(stored.sha256(), info.metadata().get("sha256"));
        assertTrue(info.etag() != null && !info.etag().isEmpty());
    }

    @Test
    void aStreamThatFailsAfterSomePartsAbortsItsMultipartUpload() {
        String key = BlobKeys.newKey();
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(bytes(11 * MIB, 2)), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("client went away");
            }
        });
        assertThrows(IOException.class, () -> store.put(key, failing, Long.MAX_VALUE));
        assertEquals(0, pendingMultipartUploads(), "no parts are left behind");
        try {
            assertTrue(store.stat(key).isEmpty());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tooLargeAfterSomePartsAbortsToo() {
        String key = BlobKeys.newKey();
        assertThrows(io.teledrop.storage.BlobTooLargeException.class,
                () -> store.put(key, new ByteArrayInputStream(bytes(11 * MIB, 3)), 10 * MIB));
        assertEquals(0, pendingMultipartUploads());
    }

    @Test
    void aPresignedUrlServesTheBlobWithOurHeadersAndThenExpires() throws Exception {
        String key = BlobKeys.newKey();
        byte[] data = "presigned bytes".getBytes();
        store.put(key, new ByteArrayInputStream(data), 100);
        URI url = store.downloadUrl(key, "text/plain", "attachment; filename=\"p.txt\"").orElseThrow();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<byte[]> fresh = http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fresh.statusCode());
        assertArrayEquals(data, fresh.body());
        assertEquals("attachment; filename=\"p.txt\"", fresh.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals("text/plain", fresh.headers().firstValue("Content-Type").orElseThrow());

        Thread.sleep(3000); // the URL was signed for 2 s
        HttpResponse<String> stale = http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, stale.statusCode(), stale.body());
    }

    @Test
    void staleMultipartUploadsAreAbortedByMaintenance() throws Exception {
        String key = RUN_PREFIX + "/" + BlobKeys.newKey();
        try (S3Client s3 = rawClient()) {
            s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key));
        }
        assertEquals(1, pendingMultipartUploads());
        assertEquals(0, store.removeStaleTemporaries(Instant.now().minusSeconds(3600)), "a young upload is kept");
        assertTrue(store.removeStaleTemporaries(Instant.now().plusSeconds(60)) >= 1);
        assertEquals(0, pendingMultipartUploads());
    }

    @Test
    void aMissingBucketIsReportedAsSuch() throws Exception {
        try (S3BlobStore missing = S3BlobStore.create(settings("no-such-bucket-here", Map.of()), spool)) {
            IOException error = assertThrows(IOException.class, missing::checkBucket);
            assertTrue(error.getMessage().contains("404") || error.getMessage().contains("NoSuchBucket"), error.getMessage());
            IOException put = assertThrows(IOException.class, () -> missing.put(BlobKeys.newKey(), new ByteArrayInputStream(new byte[] {1}), 10));
            assertTrue(String.valueOf(put.getMessage()).contains("NoSuchBucket") || String.valueOf(put.getMessage()).contains("404"), put.getMessage());
        }
        assertTrue(Files.isDirectory(spool));
    }
}

package io.teledrop.it.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.config.S3Settings;
import io.teledrop.it.TeledropClient;
import io.teledrop.storage.BlobAttributes;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobTooLargeException;
import io.teledrop.storage.PutResult;
import io.teledrop.storage.StorageException;
import io.teledrop.storage.s3.S3BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Parts sent in parallel (issue 20) against S3Proxy: the SHA-256 of a many-part upload stays exact whether its
 * parts sit in pooled buffers or spool files, a part that S3 refuses aborts the whole upload and leaves nothing,
 * and the object carries the type and metadata it was given (read back with the SDK).
 */
class S3ParallelPartsIT {

    private static final String BUCKET = System.getProperty("teledrop.it.s3.bucket");
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path spool;

    private S3BlobStore store;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @BeforeAll
    static void s3ProxyIsUp() throws Exception {
        S3BlobStoreIT.s3ProxyIsUp();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        threads.shutdownNow();
    }

    /** 5 MiB parts, four at once; {@code memory} decides how many of them fit in buffers (the rest are spooled). */
    private S3BlobStore store(String memory, ExecutorService executor) throws IOException {
        S3Settings settings = S3BlobStoreIT.settings(BUCKET, Map.of(S3Settings.UPLOAD_CONCURRENCY, "4", S3Settings.UPLOAD_MEMORY, memory));
        store = S3BlobStore.create(settings, spool, executor);
        return store;
    }

    private static String objectKey(String key) {
        return S3BlobStoreIT.settings(BUCKET, Map.of()).prefix() + key;
    }

    /**
     * {@code size} pseudo-random bytes, generated as read in 64 KiB blocks (so the same bytes however they are
     * read; nothing this size is held in the test either).
     */
    private static InputStream generated(long size, long seed) {
        Random random = new Random(seed);
        return new InputStream() {
            private final byte[] block = new byte[64 * 1024];
            private int at = block.length;
            private long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                if (at == block.length) {
                    random.nextBytes(block);
                    at = 0;
                }
                int n = (int) Math.min(Math.min(len, left), block.length - at);
                System.arraycopy(block, at, b, off, n);
                at += n;
                left -= n;
                return n;
            }
        };
    }

    private static String sha256Of(InputStream in) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (InputStream digesting = new DigestInputStream(in, sha256)) {
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private void assertNothingLeft(String key) throws IOException {
        try (S3Client s3 = S3BlobStoreIT.rawClient()) {
            List<MultipartUpload> uploads = s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(objectKey(key))).uploads();
            assertEquals(List.of(), uploads, "open multipart uploads of " + key);
            assertTrue(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(objectKey(key))).contents().isEmpty(), "objects of " + key);
        }
        try (var files = Files.list(spool)) {
            assertEquals(0, files.count(), "spooled parts left");
        }
    }

    @Test
    void aManyPartUploadKeepsItsExactSha256WithBuffersAndSpoolFilesMixed() throws Exception {
        // Two buffers for four parts in flight: most parts go to spool files, some to memory, in one upload.
        store("10MiB", threads);
        long size = 97L * MIB + 12_345; // 20 parts, the last a short one
        String key = BlobKeys.newKey();

        PutResult stored = store.put(key, generated(size, 7), size,
                BlobAttributes.of("video/mp4", "holiday film.mp4"));

        String expected = sha256Of(generated(size, 7));
        assertEquals(expected, stored.sha256(), "the running SHA-256 over parts sent out of order");
        assertEquals(size, stored.size());
        try (var blob = store.open(key)) {
            assertEquals(expected, sha256Of(blob.stream()), "the object as S3 put its parts together");
        }
        try (S3Client s3 = S3BlobStoreIT.rawClient()) {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(objectKey(key)));
            assertTrue(head.eTag().endsWith("-20\""), "twenty parts: " + head.eTag());
            assertEquals("video/mp4", head.contentType());
            assertEquals("holiday%20film.mp4", head.metadata().get("filename"));
        }
        try (var files = Files.list(spool)) {
            assertEquals(0, files.count(), "spool files are deleted as their parts go up");
        }
    }

    @Test
    void allPartsInMemoryGiveTheSameBytes() throws Exception {
        store("40MiB", threads);
        long size = 31L * MIB;
        String key = BlobKeys.newKey();
        PutResult stored = store.put(key, generated(size, 11), size, BlobAttributes.NONE);
        try (var blob = store.open(key)) {
            assertEquals(sha256Of(generated(size, 11)), sha256Of(blob.stream()));
        }
        assertEquals(sha256Of(generated(size, 11)), stored.sha256());
    }

    @Test
    void aSinglePartObjectCarriesTypeMetadataAndItsSha256() throws Exception {
        store("40MiB", threads);
        byte[] data = "%PDF-1.7 not really".getBytes();
        String key = BlobKeys.newKey();
        store.put(key, new ByteArrayInputStream(data), data.length, BlobAttributes.of("application/pdf", "résumé.pdf"));
        // 255 characters that take 2.4 KB percent-encoded, more than S3's 2 KB of metadata: the name is cut to fit.
        String longKey = BlobKeys.newKey();
        store.put(longKey, new ByteArrayInputStream(data), data.length, BlobAttributes.of("application/pdf", "日本".repeat(120) + "😀".repeat(15) + ".pdf"));
        try (S3Client s3 = S3BlobStoreIT.rawClient()) {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(objectKey(key)));
            assertEquals("application/pdf", head.contentType());
            assertEquals("r%C3%A9sum%C3%A9.pdf", head.metadata().get("filename"));
            assertEquals(TeledropClient.sha256(data), head.metadata().get("sha256"));
            HeadObjectResponse longName = s3.headObject(b -> b.bucket(BUCKET).key(objectKey(longKey)));
            assertTrue(longName.metadata().get("filename").length() <= 1024, longName.metadata().get("filename"));
            assertTrue(longName.metadata().get("filename").startsWith("%E6%97%A5%E6%9C%AC"));
        }
    }

    /**
     * The executor runs every part, but before the fourth it aborts the multipart upload behind the store's back:
     * S3 then refuses that part (NoSuchUpload), a real failure of one part among others in flight.
     */
    @Test
    void aPartThatS3RefusesAbortsTheUploadAndLeavesNothing() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicReference<String> keyOf = new AtomicReference<>();
        ExecutorService sabotaging = new AbstractExecutorService() {
            @Override
            public void execute(Runnable task) {
                threads.execute(() -> {
                    if (started.incrementAndGet() == 4) {
                        try (S3Client s3 = S3BlobStoreIT.rawClient()) {
                            for (MultipartUpload upload : s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(objectKey(keyOf.get()))).uploads()) {
                                s3.abortMultipartUpload(b -> b.bucket(BUCKET).key(upload.key()).uploadId(upload.uploadId()));
                            }
                        }
                    }
                    task.run();
                });
            }

            @Override
            public void shutdown() {
            }

            @Override
            public List<Runnable> shutdownNow() {
                return List.of();
            }

            @Override
            public boolean isShutdown() {
                return false;
            }

            @Override
            public boolean isTerminated() {
                return false;
            }

            @Override
            public boolean awaitTermination(long timeout, TimeUnit unit) {
                return true;
            }
        };
        store("30MiB", sabotaging);
        String key = BlobKeys.newKey();
        keyOf.set(key);
        long size = 60L * MIB;

        StorageException error = assertThrows(StorageException.class, () -> store.put(key, generated(size, 3), size, BlobAttributes.NONE));

        assertEquals(404, error.status(), "S3 knew the upload no more: " + error);
        assertTrue(store.stat(key).isEmpty(), "no object");
        assertNothingLeft(key);
    }

    @Test
    void aClientStreamThatBreaksMidwayAbortsTheUpload() throws Exception {
        store("10MiB", threads);
        String key = BlobKeys.newKey();
        InputStream breaking = new SequenceInputStream(generated(23L * MIB, 5), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset by the test");
            }
        });

        IOException error = assertThrows(IOException.class, () -> store.put(key, breaking, Long.MAX_VALUE, BlobAttributes.NONE));

        assertEquals("connection reset by the test", error.getMessage());
        assertNothingLeft(key);
    }

    @Test
    void passingTheLimitAfterSeveralPartsAbortsTheUpload() throws Exception {
        store("10MiB", threads);
        String key = BlobKeys.newKey();
        assertThrows(BlobTooLargeException.class, () -> store.put(key, generated(26L * MIB, 9), 26L * MIB - 1, BlobAttributes.NONE));
        assertNothingLeft(key);
    }
}

package io.teledrop.it.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.config.S3Settings;
import io.teledrop.config.Settings;
import io.teledrop.it.TeledropClient;
import io.teledrop.storage.BackupShelf;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.BlobStoreContract;
import io.teledrop.storage.BlobInfo;
import io.teledrop.storage.PutResult;
import io.teledrop.storage.Staging;
import io.teledrop.storage.StorageException;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

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

    /** A part of the minimum size S3 allows: the staging tests cross part boundaries. */
    @Override
    protected long checkpointSpacing() {
        return 5 * MIB;
    }

    /**
     * Nothing half-written: no open multipart upload under this run's prefix, no staging's marker or tail
     * under this test's prefix, no spooled part.
     */
    @Override
    protected void assertNothingStaged() throws Exception {
        assertEquals(0, pendingMultipartUploads(), "open multipart uploads");
        assertEquals(List.of(), stagingObjects(prefix), "objects of stagings");
        try (var files = Files.list(spool)) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "spooled parts left");
        }
    }

    /** What the contract's tests left under this run's prefix (up to 100 MiB) goes, so that the build's disk stays small. */
    @AfterAll
    static void emptyTheRunsPrefix() {
        try (S3Client s3 = rawClient()) {
            for (MultipartUpload upload : s3.listMultipartUploadsPaginator(b -> b.bucket(BUCKET).prefix(RUN_PREFIX + "/")).uploads()) {
                s3.abortMultipartUpload(b -> b.bucket(BUCKET).key(upload.key()).uploadId(upload.uploadId()));
            }
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(RUN_PREFIX + "/")).contents()) {
                s3.deleteObject(b -> b.bucket(BUCKET).key(object.key()));
            }
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

    /** The markers and tails of stagings whose keys start with {@code keyPrefix}. */
    private static List<String> stagingObjects(String keyPrefix) {
        try (S3Client s3 = rawClient()) {
            return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(RUN_PREFIX + "/.staging/" + keyPrefix)).contents().stream()
                    .map(S3Object::key).toList();
        }
    }

    /** The multipart uploads on exactly the blob {@code key}. */
    private static List<String> multipartUploadsOf(String key) {
        try (S3Client s3 = rawClient()) {
            return s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(RUN_PREFIX + "/" + key)).uploads().stream()
                    .filter(upload -> upload.key().equals(RUN_PREFIX + "/" + key)).map(MultipartUpload::uploadId).toList();
        }
    }

    @Test
    void backupsGoUnderDotBackupsWhereNoBlobListingSeesThem() throws Exception {
        BackupShelf shelf = store.backupShelf().orElseThrow();
        String area = RUN_PREFIX + "/.backups/";
        assertEquals("s3://" + BUCKET + "/" + area, shelf.location());
        Path written = Files.createDirectories(spool.resolve("backup-" + UUID.randomUUID()));
        byte[] dump = bytes(70_000, 21);
        Files.write(written.resolve("teledrop.pgdump"), dump);
        Files.createDirectories(written.resolve("notes"));
        Files.writeString(written.resolve("notes/readme.txt"), "beside the dump");
        try (S3Client s3 = rawClient()) {
            // An interrupted backup (no database file) and an operator's own object: neither is a backup.
            s3.putObject(b -> b.bucket(BUCKET).key(area + "20261202-000000-002/notes/readme.txt"), RequestBody.fromString("half"));
            s3.putObject(b -> b.bucket(BUCKET).key(area + "keep-me.txt"), RequestBody.fromString("mine"));

            assertEquals("s3://" + BUCKET + "/" + area + "20261202-000000-001/", shelf.put("20261202-000000-001", written));

            assertEquals(List.of("20261202-000000-001"), shelf.names());
            assertArrayEquals(dump, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(area + "20261202-000000-001/teledrop.pgdump")).asByteArray());
            assertEquals("beside the dump", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(area + "20261202-000000-001/notes/readme.txt")).asUtf8String());
            assertTrue(store.list("", null, 1000).stream().noneMatch(blob -> blob.key().contains("backups")), "blob listings (reconciliation) never see backups");

            shelf.remove("20261202-000000-001");

            assertEquals(List.of(), shelf.names());
            assertEquals(List.of(area + "20261202-000000-002/notes/readme.txt", area + "keep-me.txt"),
                    s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(area)).contents().stream().map(S3Object::key).sorted().toList());
            assertThrows(IllegalArgumentException.class, () -> shelf.remove("../keep-me.txt"));
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

    // --- staging ----------------------------------------------------------------------------------------

    @Test
    void aStagingIsOneMultipartUploadOnTheBlobsKeyWithACompactHandle() throws Exception {
        Staging begun = store.beginStaging(key("handle"));
        Staging staging = appendWhole(begun, new Piece(1, 0, 5 * MIB + 1000));

        assertEquals(1, multipartUploadsOf(key("handle")).size());
        assertTrue(staging.handle().matches("p=1;b=" + 5 * MIB + ";e=[0-9a-f]{16};t=" + 5 * MIB + "-[0-9a-f]{8};u=.+"), staging.handle());
        assertEquals(List.of(RUN_PREFIX + "/.staging/" + key("handle") + "/begun",
                RUN_PREFIX + "/.staging/" + key("handle") + "/tail-" + staging.handle().split(";")[3].substring(2)), stagingObjects(key("handle")));
        store.completeStaging(staging);
        try (S3Client s3 = rawClient()) {
            String etag = s3.headObject(b -> b.bucket(BUCKET).key(RUN_PREFIX + "/" + key("handle"))).eTag();
            assertTrue(etag.endsWith("-2\""), "the part and the tail: " + etag);
        }
        assertBlob(key("handle"), new Piece(1, 0, 5 * MIB + 1000));
        assertNothingStaged();
    }

    @Test
    void aStagingsPrefixCannotBeReadOnceAPartIsUploadedAndAbortingLeavesNothing() throws Exception {
        Staging staging = appendWhole(store.beginStaging(key("parted")), new Piece(1, 0, 5 * MIB + 10));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.openStagedPrefix(staging, 100));
        assertTrue(e.getMessage().contains("uploaded part"), e.getMessage());

        store.abortStaging(staging);
        assertEquals(List.of(), multipartUploadsOf(key("parted")));
        assertNothingStaged();
    }

    @Test
    void stagingObjectsAreNeverListedAsBlobs() throws Exception {
        Staging staging = appendWhole(store.beginStaging(key("unlisted")), new Piece(1, 0, 100));
        assertEquals(2, stagingObjects(key("unlisted")).size(), "marker and tail");

        List<String> all = new ArrayList<>();
        for (List<BlobInfo> page = store.list("", null, 1000); !page.isEmpty(); page = store.list("", page.get(page.size() - 1).key(), 1000)) {
            page.forEach(info -> all.add(info.key()));
        }
        assertTrue(all.stream().noneMatch(key -> key.contains(".staging") || key.startsWith(prefix)), all.toString());
        store.abortStaging(staging);
    }

    @Test
    void removingStaleTemporariesSparesStagingsButNotCrashedPuts() throws Exception {
        Staging staging = appendWhole(store.beginStaging(key("resumable")), new Piece(1, 0, 1000));
        try (S3Client s3 = rawClient()) {
            s3.createMultipartUpload(b -> b.bucket(BUCKET).key(RUN_PREFIX + "/" + key("crashed")));
        }

        assertTrue(store.removeStaleTemporaries(Instant.now().plusSeconds(60)) >= 1);

        assertEquals(List.of(), multipartUploadsOf(key("crashed")));
        assertEquals(1, multipartUploadsOf(key("resumable")).size());
        store.completeStaging(appendWhole(staging, new Piece(2, 0, 1000)));
        assertBlob(key("resumable"), new Piece(1, 0, 1000), new Piece(2, 0, 1000));
        assertNothingStaged();
    }

    @Test
    void removingAbandonedStagingsAbortsTheirUploadsAndKeepsFinishedBlobs() throws Exception {
        Staging abandoned = appendWhole(store.beginStaging(key("abandoned")), new Piece(1, 0, 5 * MIB + 10));
        Staging finished = appendWhole(store.beginStaging(key("finished")), new Piece(2, 0, 10));
        store.completeStaging(finished);
        // What a completion cut short before its clean-up leaves: the marker, with the blob complete.
        try (S3Client s3 = rawClient()) {
            s3.putObject(b -> b.bucket(BUCKET).key(RUN_PREFIX + "/.staging/" + key("finished") + "/begun"), RequestBody.empty());
        }

        assertTrue(store.removeAbandonedStagings(Instant.now().plusSeconds(60), Set.of()) >= 2);

        assertEquals(List.of(), multipartUploadsOf(key("abandoned")));
        assertBlob(key("finished"), new Piece(2, 0, 10));
        assertNothingStaged();
        assertEquals(0, store.removeAbandonedStagings(Instant.now().plusSeconds(60), Set.of()), "idempotent");
    }

    @Test
    void completingAgainAfterACompletionOnlyCleansUp() throws Exception {
        Staging staging = appendWhole(store.beginStaging(key("twice")), new Piece(1, 0, 1000));
        store.completeStaging(staging);

        store.completeStaging(staging);

        assertBlob(key("twice"), new Piece(1, 0, 1000));
        assertNothingStaged();
    }

    @Test
    void aPartOverwrittenBehindTheStagingsBackIsNeverCompleted() throws Exception {
        Staging staging = appendWhole(store.beginStaging(key("overwritten")), new Piece(1, 0, 5 * MIB + 10));
        // An append that lost its lock and went on uploading: the same part number, other bytes of the same size.
        var handle = staging.handle();
        String uploadId = handle.substring(handle.indexOf(";u=") + 3);
        try (S3Client s3 = rawClient()) {
            s3.uploadPart(b -> b.bucket(BUCKET).key(RUN_PREFIX + "/" + key("overwritten")).uploadId(uploadId).partNumber(1),
                    RequestBody.fromBytes(bytes(5 * MIB, 9)));
        }

        IOException e = assertThrows(IOException.class, () -> store.completeStaging(staging));

        assertTrue(e.getMessage().contains("not those it recorded"), e.getMessage());
        assertEquals(Optional.empty(), store.stat(key("overwritten")));
        store.abortStaging(staging);
        assertNothingStaged();
    }

    @Test
    void aTailLongerThanALoweredPartSizeGoesUpAsAPart() throws Exception {
        Piece before = new Piece(1, 0, 5 * MIB + MIB / 2);
        Piece after = new Piece(2, 0, 1000);
        Staging staging;
        try (S3BlobStore largerParts = S3BlobStore.create(settings(BUCKET, Map.of(S3Settings.PART_SIZE, "6MiB")), spool)) {
            staging = largerParts.append(largerParts.beginStaging(key("lowered")), before.stream(), before.size(), false,
                    BlobStore.Checkpoints.NONE).staging();
        }
        assertTrue(staging.handle().startsWith("p=0;"), "all of it in the tail: " + staging.handle());

        Staging continued = appendWhole(staging, after);

        assertTrue(continued.handle().startsWith("p=1;b=" + before.size() + ";"), continued.handle());
        store.completeStaging(continued);
        assertBlob(key("lowered"), before, after);
        assertNothingStaged();
    }

    @Test
    void aStoppedS3IsUnavailableToStagingsToo() throws Exception {
        Staging staging = appendWhole(store.beginStaging(key("down")), new Piece(1, 0, 100));
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (S3BlobStore down = S3BlobStore.create(settings(BUCKET, Map.of(S3Settings.ENDPOINT, "http://127.0.0.1:" + closedPort,
                S3Settings.MAX_ATTEMPTS, "1")), spool)) {
            for (Executable call : List.<Executable>of(
                    () -> down.beginStaging(key("other")),
                    () -> down.append(staging, new ByteArrayInputStream(new byte[10]), 10, true, BlobStore.Checkpoints.NONE),
                    () -> down.openStagedPrefix(staging, 10),
                    () -> down.releasePieces(staging, new Staging(staging.key(), 0, staging.handle().replaceAll(";t=[^;]+;", ";t=-;"))),
                    () -> down.completeStaging(staging),
                    () -> down.abortStaging(staging),
                    () -> down.removeAbandonedStagings(Instant.now(), Set.of()))) {
                StorageException e = assertThrows(StorageException.class, call);
                assertTrue(e.unavailable(), e.toString());
            }
        }
        store.abortStaging(staging);
        assertNothingStaged();
    }
}

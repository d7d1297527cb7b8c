package io.teledrop.storage.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.teledrop.storage.BlobExistsException;
import io.teledrop.storage.BlobInfo;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobTooLargeException;
import io.teledrop.storage.NoSuchBlobException;
import io.teledrop.storage.PutResult;
import io.teledrop.storage.StoredBlob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalBlobStoreTest {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path base;

    private Path root;
    private LocalBlobStore store;

    @BeforeEach
    void createStore() {
        root = base.resolve("blobs");
        store = new LocalBlobStore(root, false);
    }

    // --- construction ---------------------------------------------------------------------------------

    @Test
    void constructorCreatesRootAndStagingDirectory() {
        Path nested = base.resolve("x/y/z");
        new LocalBlobStore(nested, true);
        assertTrue(Files.isDirectory(nested));
        assertTrue(Files.isDirectory(nested.resolve(".tmp")));
    }

    // --- put ------------------------------------------------------------------------------------------

    @Test
    void putThenOpenReturnsTheSameBytesAndTheirSha256() throws Exception {
        byte[] bytes = randomBytes(200_000); // several 64 KiB buffers and a partial one
        String key = BlobKeys.newKey();

        PutResult result = store.put(key, new ByteArrayInputStream(bytes), bytes.length);

        assertEquals(key, result.key());
        assertEquals(bytes.length, result.size());
        assertEquals(sha256(bytes), result.sha256());
        try (StoredBlob blob = store.open(key)) {
            assertEquals(key, blob.info().key());
            assertEquals(bytes.length, blob.info().size());
            assertEquals(Files.getLastModifiedTime(root.resolve(key)).toInstant(), blob.info().lastModified());
            assertEquals(0, blob.offset());
            assertEquals(bytes.length, blob.length());
            assertArrayEquals(bytes, blob.stream().readAllBytes());
        }
        assertEquals(List.of(), stagedFiles());
    }

    @Test
    void putDoesNotCloseTheCallersStream() throws Exception {
        CloseTrackingStream in = new CloseTrackingStream(new byte[] {1, 2, 3});

        store.put("k", in, 10);

        assertFalse(in.closed);
    }

    @Test
    void emptyBlobIsStored() throws Exception {
        PutResult result = store.put("empty", InputStream.nullInputStream(), 0);

        assertEquals(0, result.size());
        assertEquals(EMPTY_SHA256, result.sha256());
        try (StoredBlob blob = store.open("empty")) {
            assertEquals(0, blob.info().size());
            assertEquals(-1, blob.stream().read());
        }
    }

    @Test
    void exactlyMaxBytesIsAccepted() throws Exception {
        byte[] bytes = randomBytes(65_536 * 2);

        PutResult result = store.put("limit", new ByteArrayInputStream(bytes), bytes.length);

        assertEquals(bytes.length, result.size());
        assertEquals(bytes.length, Files.size(root.resolve("limit")));
    }

    @Test
    void oneByteMoreThanMaxBytesIsRefusedWithoutReadingTheRestAndLeavesNothing() throws Exception {
        long maxBytes = 100_000;
        CountingStream in = new CountingStream(10_000_000);

        BlobTooLargeException e = assertThrows(BlobTooLargeException.class, () -> store.put("big", in, maxBytes));

        assertEquals(maxBytes, e.limit());
        assertEquals(maxBytes + 1, in.delivered, "stops reading as soon as the limit is crossed");
        assertEquals(Optional.empty(), store.stat("big"));
        assertFalse(Files.exists(root.resolve("big")));
        assertEquals(List.of(), stagedFiles());
    }

    @Test
    void maxBytesZeroAcceptsOnlyAnEmptyStream() throws Exception {
        assertEquals(0, store.put("zero", InputStream.nullInputStream(), 0).size());
        assertThrows(BlobTooLargeException.class, () -> store.put("one", new ByteArrayInputStream(new byte[1]), 0));
        assertEquals(Optional.empty(), store.stat("one"));
    }

    @Test
    void streamFailingMidwayLeavesNoBlobAndNoStagedFile() throws Exception {
        IOException failure = new IOException("connection reset");
        InputStream in = new FailingStream(150_000, failure);

        IOException thrown = assertThrows(IOException.class, () -> store.put("broken", in, 1_000_000));

        assertSame(failure, thrown);
        assertEquals(Optional.empty(), store.stat("broken"));
        assertFalse(Files.exists(root.resolve("broken")));
        assertEquals(List.of(), stagedFiles());
    }

    @Test
    void putOnAnExistingKeyIsRefusedAndKeepsTheOriginal() throws Exception {
        byte[] original = randomBytes(1000);
        store.put("ab/taken", new ByteArrayInputStream(original), 10_000);

        assertThrows(BlobExistsException.class,
                () -> store.put("ab/taken", new ByteArrayInputStream(randomBytes(500)), 10_000));

        assertArrayEquals(original, read("ab/taken"));
        assertEquals(List.of(), stagedFiles());
    }

    @Test
    void concurrentPutsOfOneKeyStoreExactlyOne() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] bytes = randomBytes(50_000);
                Callable<byte[]> writer = () -> {
                    start.await();
                    try {
                        store.put("race", new ByteArrayInputStream(bytes), bytes.length);
                        return bytes;
                    } catch (BlobExistsException e) {
                        return null;
                    }
                };
                results.add(pool.submit(writer));
            }
            start.countDown();
            List<byte[]> winners = new ArrayList<>();
            for (Future<byte[]> result : results) {
                byte[] bytes = result.get(30, TimeUnit.SECONDS);
                if (bytes != null) {
                    winners.add(bytes);
                }
            }
            assertEquals(1, winners.size());
            assertArrayEquals(winners.get(0), read("race"));
            assertEquals(List.of(), stagedFiles());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void putCreatesNestedDirectories() throws Exception {
        store.put("a/b/c/d", new ByteArrayInputStream(new byte[] {7}), 1);

        assertTrue(Files.isRegularFile(root.resolve("a/b/c/d")));
    }

    // --- putFile --------------------------------------------------------------------------------------

    @Test
    void putFileMovesTheFileWithoutCopying() throws Exception {
        byte[] bytes = randomBytes(300_000);
        Path source = Files.write(base.resolve("upload.part"), bytes);
        Object inode = Files.getAttribute(source, "unix:ino");
        String key = BlobKeys.newKey();

        PutResult result = store.putFile(key, source, bytes.length);

        assertFalse(Files.exists(source));
        assertEquals(new PutResult(key, bytes.length, sha256(bytes)), result);
        assertArrayEquals(bytes, read(key));
        assertEquals(inode, Files.getAttribute(root.resolve(key), "unix:ino"), "same file, not a copy");
        assertEquals(List.of(), stagedFiles());
    }

    @Test
    void putFileTooLargeDeletesTheSourceAndStoresNothing() throws Exception {
        Path source = Files.write(base.resolve("upload.part"), randomBytes(1001));

        BlobTooLargeException e = assertThrows(BlobTooLargeException.class, () -> store.putFile("big", source, 1000));

        assertEquals(1000, e.limit());
        assertFalse(Files.exists(source));
        assertEquals(Optional.empty(), store.stat("big"));
        assertEquals(List.of(), stagedFiles());
    }

    @Test
    void putFileOnAnExistingKeyDeletesTheSourceAndKeepsTheOriginal() throws Exception {
        byte[] original = randomBytes(100);
        store.put("taken", new ByteArrayInputStream(original), 100);
        Path source = Files.write(base.resolve("upload.part"), randomBytes(50));

        assertThrows(BlobExistsException.class, () -> store.putFile("taken", source, 100));

        assertFalse(Files.exists(source));
        assertArrayEquals(original, read("taken"));
        assertEquals(List.of(), stagedFiles());
    }

    @Test
    void putFileWithABadKeyDeletesTheSource() throws Exception {
        Path source = Files.write(base.resolve("upload.part"), randomBytes(50));

        assertThrows(IllegalArgumentException.class, () -> store.putFile("../escape", source, 100));

        assertFalse(Files.exists(source));
        assertFalse(Files.exists(base.resolve("escape")));
    }

    @Test
    void putFileFromAnotherFileSystemCopiesAndDeletesTheSource() throws Exception {
        Path shm = Paths.get("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "needs /dev/shm");
        assumeTrue(!Files.getAttribute(shm, "unix:dev").equals(Files.getAttribute(root, "unix:dev")),
                "needs /dev/shm on another file system than the temp dir");
        byte[] bytes = randomBytes(100_000);
        Path source = Files.write(Files.createTempFile(shm, "teledrop-test-", ".part"), bytes);
        try {
            PutResult result = store.putFile("crossed", source, bytes.length);

            assertFalse(Files.exists(source));
            assertEquals(new PutResult("crossed", bytes.length, sha256(bytes)), result);
            assertArrayEquals(bytes, read("crossed"));
            assertEquals(List.of(), stagedFiles());
        } finally {
            Files.deleteIfExists(source);
        }
    }

    // --- open and openRange ---------------------------------------------------------------------------

    static Stream<Arguments> ranges() {
        return Stream.of(
                Arguments.of("start", 0, 10),
                Arguments.of("middle", 400, 123),
                Arguments.of("end", 990, 10),
                Arguments.of("last byte", 999, 1),
                Arguments.of("empty at start", 0, 0),
                Arguments.of("empty in the middle", 500, 0),
                Arguments.of("empty at the end", 1000, 0),
                Arguments.of("whole", 0, 1000));
    }

    @ParameterizedTest(name = "{0}: offset {1}, length {2}")
    @MethodSource("ranges")
    void openRangeReturnsExactlyTheSlice(String name, long offset, long length) throws Exception {
        byte[] bytes = randomBytes(1000);
        store.put("r", new ByteArrayInputStream(bytes), bytes.length);

        try (StoredBlob blob = store.openRange("r", offset, length)) {
            assertEquals(offset, blob.offset());
            assertEquals(length, blob.length());
            assertEquals(1000, blob.info().size(), "info describes the whole blob");
            byte[] expected = java.util.Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length));
            assertArrayEquals(expected, blob.stream().readAllBytes());
            assertEquals(-1, blob.stream().read());
        }
    }

    static Stream<Arguments> badRanges() {
        return Stream.of(
                Arguments.of(-1, 1),
                Arguments.of(0, -1),
                Arguments.of(0, 1001),
                Arguments.of(1, 1000),
                Arguments.of(1000, 1),
                Arguments.of(1001, 0),
                Arguments.of(Long.MAX_VALUE, 1),
                Arguments.of(1, Long.MAX_VALUE),
                Arguments.of(Long.MIN_VALUE, 0));
    }

    @ParameterizedTest(name = "offset {0}, length {1}")
    @MethodSource("badRanges")
    void openRangeRejectsRangesOutsideTheBlob(long offset, long length) throws Exception {
        store.put("r", new ByteArrayInputStream(randomBytes(1000)), 1000);

        assertThrows(IllegalArgumentException.class, () -> store.openRange("r", offset, length));
    }

    @Test
    void openingAMissingBlobFails() {
        assertThrows(NoSuchBlobException.class, () -> store.open("ab/missing"));
        assertThrows(NoSuchBlobException.class, () -> store.openRange("ab/missing", 0, 0));
    }

    @Test
    void aDirectoryIsNotABlob() throws Exception {
        store.put("dir/child", new ByteArrayInputStream(new byte[1]), 1);

        assertThrows(NoSuchBlobException.class, () -> store.open("dir"));
        assertEquals(Optional.empty(), store.stat("dir"));
        assertFalse(store.delete("dir"));
        assertTrue(Files.isDirectory(root.resolve("dir")));
    }

    @Test
    void aBlobIsNotADirectory() throws Exception {
        store.put("file", new ByteArrayInputStream(new byte[1]), 1);

        assertEquals(Optional.empty(), store.stat("file/child"));
        assertThrows(NoSuchBlobException.class, () -> store.open("file/child"));
        assertFalse(store.delete("file/child"));
        assertThrows(IOException.class, () -> store.put("file/child", new ByteArrayInputStream(new byte[1]), 1));
        assertArrayEquals(new byte[1], read("file"));
    }

    // --- stat, delete, move ---------------------------------------------------------------------------

    @Test
    void statDescribesAStoredBlobAndNothingElse() throws Exception {
        store.put("ab/s", new ByteArrayInputStream(new byte[42]), 100);

        BlobInfo info = store.stat("ab/s").orElseThrow();

        assertEquals("ab/s", info.key());
        assertEquals(42, info.size());
        assertEquals(Files.getLastModifiedTime(root.resolve("ab/s")).toInstant(), info.lastModified());
        assertEquals(Optional.empty(), store.stat("ab/other"));
        assertEquals(Optional.empty(), store.stat("zz/other"));
    }

    @Test
    void deleteRemovesOnceThenReportsNothingToDelete() throws Exception {
        store.put("ab/d", new ByteArrayInputStream(new byte[3]), 3);

        assertTrue(store.delete("ab/d"));
        assertFalse(Files.exists(root.resolve("ab/d")));
        assertThrows(NoSuchBlobException.class, () -> store.open("ab/d"));
        assertFalse(store.delete("ab/d"));
    }

    @Test
    void moveRenamesTheBlob() throws Exception {
        byte[] bytes = randomBytes(5000);
        store.put("ab/from", new ByteArrayInputStream(bytes), bytes.length);

        store.move("ab/from", "cd/ef/to");

        assertArrayEquals(bytes, read("cd/ef/to"));
        assertEquals(Optional.empty(), store.stat("ab/from"));
        assertFalse(Files.exists(root.resolve("ab/from")));
    }

    @Test
    void moveNeverOverwrites() throws Exception {
        byte[] source = randomBytes(10);
        byte[] target = randomBytes(20);
        store.put("from", new ByteArrayInputStream(source), 100);
        store.put("to", new ByteArrayInputStream(target), 100);

        assertThrows(BlobExistsException.class, () -> store.move("from", "to"));
        assertThrows(BlobExistsException.class, () -> store.move("from", "from"));

        assertArrayEquals(source, read("from"));
        assertArrayEquals(target, read("to"));
    }

    @Test
    void moveOfAMissingBlobFails() throws Exception {
        assertThrows(NoSuchBlobException.class, () -> store.move("ab/missing", "ab/target"));
        assertEquals(Optional.empty(), store.stat("ab/target"));
    }

    @Test
    void everyOperationWorksWithFsyncOn() throws Exception {
        LocalBlobStore durable = new LocalBlobStore(base.resolve("durable"), true);
        byte[] bytes = randomBytes(70_000);
        Path source = Files.write(base.resolve("upload.part"), bytes);

        assertEquals(sha256(bytes), durable.put("aa/one", new ByteArrayInputStream(bytes), bytes.length).sha256());
        assertEquals(sha256(bytes), durable.putFile("bb/cc/two", source, bytes.length).sha256());
        durable.move("aa/one", "dd/ee/three");
        assertTrue(durable.delete("bb/cc/two"));

        assertFalse(Files.exists(source));
        assertEquals(List.of("dd/ee/three"), keys(durable.list("", null, 10)));
        try (StoredBlob blob = durable.open("dd/ee/three")) {
            assertArrayEquals(bytes, blob.stream().readAllBytes());
        }
    }

    // --- list -----------------------------------------------------------------------------------------

    @Test
    void listReturnsMatchingKeysInOrder() throws Exception {
        List<String> keys = List.of("a/1", "a/10", "a/2", "a-z", "a.b", "ab/x", "b/y", "a/b/c", "a0");
        for (String key : keys) {
            store.put(key, new ByteArrayInputStream(key.getBytes()), 100);
        }

        assertEquals(sorted(keys), keys(store.list("", null, 100)));
        assertEquals(List.of("a/1", "a/10", "a/2", "a/b/c"), keys(store.list("a/", null, 100)));
        assertEquals(List.of("a-z", "a.b", "a/1", "a/10", "a/2", "a/b/c", "a0", "ab/x"), keys(store.list("a", null, 100)));
        assertEquals(List.of("a/1", "a/10"), keys(store.list("a/1", null, 100)));
        assertEquals(List.of("a/b/c"), keys(store.list("a/b", null, 100)));
        assertEquals(List.of(), keys(store.list("c", null, 100)));
        BlobInfo info = store.list("b/", null, 1).get(0);
        assertEquals(new BlobInfo("b/y", 3, Files.getLastModifiedTime(root.resolve("b/y")).toInstant()), info);
    }

    @Test
    void listPagesWithStartAfterAndLimit() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String key = BlobKeys.newKey();
            keys.add(key);
            store.put(key, new ByteArrayInputStream(new byte[i]), 100);
        }

        List<String> paged = new ArrayList<>();
        String startAfter = null;
        while (true) {
            List<BlobInfo> page = store.list("", startAfter, 7);
            assertTrue(page.size() <= 7);
            if (page.isEmpty()) {
                break;
            }
            paged.addAll(keys(page));
            startAfter = page.get(page.size() - 1).key();
        }

        assertEquals(sorted(keys), paged);
        String middle = sorted(keys).get(10);
        assertEquals(sorted(keys).subList(11, 14), keys(store.list("", middle, 3)));
        assertEquals(sorted(keys).subList(0, 3), keys(store.list("", "", 3)));
    }

    @Test
    void listStartAfterNeedNotBeAStoredKey() throws Exception {
        for (String key : List.of("a/1", "a/3", "b/1", "c")) {
            store.put(key, InputStream.nullInputStream(), 0);
        }

        assertEquals(List.of("a/3", "b/1", "c"), keys(store.list("", "a/2", 10)));
        assertEquals(List.of("b/1", "c"), keys(store.list("", "a/z", 10)));
        assertEquals(List.of("b/1", "c"), keys(store.list("", "b/", 10)));
        assertEquals(List.of(), keys(store.list("", "d", 10)));
    }

    @Test
    void listNeverShowsStagedOrHiddenFiles() throws Exception {
        store.put("ab/visible", InputStream.nullInputStream(), 0);
        Files.write(root.resolve(".tmp/put-123.part"), new byte[5]);
        Files.write(root.resolve("ab/.hidden"), new byte[5]);
        Files.write(root.resolve("not a key"), new byte[5]);

        assertEquals(List.of("ab/visible"), keys(store.list("", null, 100)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void listRejectsALimitBelowOne(int limit) {
        assertThrows(IllegalArgumentException.class, () -> store.list("", null, limit));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "../", "/etc", ".tmp", ".tmp/", "a//", "a\\b", "a\u0000"})
    void listRejectsBadPrefixes(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> store.list(prefix, null, 10));
    }

    @Test
    void listRejectsANullPrefix() {
        assertThrows(IllegalArgumentException.class, () -> store.list(null, null, 10));
    }

    // --- keys that must never reach the file system ---------------------------------------------------

    static Stream<String> badKeys() {
        return Stream.of("../x", "/etc/passwd", "a/../../x", ".tmp/x", ".tmp", "a//b", "", null,
                "a".repeat(513), "a\\b", "..\\x", "a\u0000b", "..", ".", "a/", "/", "a/./b");
    }

    @ParameterizedTest
    @MethodSource("badKeys")
    void everyMethodRejectsKeysThatAreNotKeys(String key) throws Exception {
        store.put("good", new ByteArrayInputStream(new byte[] {1}), 1);
        Path source = Files.write(base.resolve("upload.part"), new byte[] {2});

        List<Executable> calls = List.of(
                () -> store.put(key, new ByteArrayInputStream(new byte[] {3}), 10),
                () -> store.putFile(key, source, 10),
                () -> store.open(key),
                () -> store.openRange(key, 0, 0),
                () -> store.stat(key),
                () -> store.delete(key),
                () -> store.move("good", key),
                () -> store.move(key, "good2"));
        for (Executable call : calls) {
            assertThrows(IllegalArgumentException.class, call);
        }

        assertFalse(Files.exists(source), "putFile removes its source even when the key is bad");
        assertEquals(List.of(root), listTree(base), "nothing created or left beside the root");
        assertEquals(List.of(root.resolve(".tmp"), root.resolve("good")), listTree(root));
        assertEquals(List.of(), stagedFiles());
        assertArrayEquals(new byte[] {1}, read("good"));
    }

    @Test
    void newKeysAreUsable() throws Exception {
        List<String> keys = Stream.generate(BlobKeys::newKey).limit(50).collect(Collectors.toList());
        for (String key : keys) {
            store.put(key, new ByteArrayInputStream(key.getBytes()), 100);
        }

        assertEquals(50, keys.stream().distinct().count());
        assertEquals(sorted(keys), keys(store.list("", null, 100)));
        for (String key : keys) {
            assertArrayEquals(key.getBytes(), read(key));
        }
    }

    // --- helpers --------------------------------------------------------------------------------------

    private byte[] read(String key) throws IOException {
        try (StoredBlob blob = store.open(key)) {
            return blob.stream().readAllBytes();
        }
    }

    private List<Path> stagedFiles() throws IOException {
        return listTree(root.resolve(".tmp"));
    }

    private static List<Path> listTree(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.sorted().collect(Collectors.toList());
        }
    }

    private static List<String> keys(List<BlobInfo> infos) {
        return infos.stream().map(BlobInfo::key).collect(Collectors.toList());
    }

    private static List<String> sorted(List<String> keys) {
        return keys.stream().sorted().collect(Collectors.toList());
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Yields {@code size} bytes of zeros, counting how many were handed out. */
    private static final class CountingStream extends InputStream {
        private final long size;
        long delivered;

        CountingStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (delivered == size) {
                return -1;
            }
            delivered++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (delivered == size) {
                return -1;
            }
            int n = (int) Math.min(len, size - delivered);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            delivered += n;
            return n;
        }
    }

    /** Yields {@code good} bytes, then throws {@code failure}. */
    private static final class FailingStream extends InputStream {
        private final IOException failure;
        private long left;

        FailingStream(long good, IOException failure) {
            this.left = good;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                throw failure;
            }
            int n = (int) Math.min(len, left);
            left -= n;
            return n;
        }
    }

    private static final class CloseTrackingStream extends ByteArrayInputStream {
        boolean closed;

        CloseTrackingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }
}

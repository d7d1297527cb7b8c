package io.teledrop.storage.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.storage.BlobInfo;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.BlobStoreContract;
import io.teledrop.storage.BlobTooLargeException;
import io.teledrop.storage.NoSuchBlobException;
import io.teledrop.storage.PutResult;
import io.teledrop.storage.Staging;
import io.teledrop.storage.StorageFullException;
import io.teledrop.storage.StoredBlob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract on local disk, and what only a directory of files has: layout, staging, links, fsync. */
class LocalBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path base;

    private Path root;

    @Override
    protected BlobStore newStore() {
        root = base.resolve("blobs");
        return new LocalBlobStore(root, false);
    }

    /** Writes are staged in root/.tmp; none may stay there. */
    @Override
    protected void assertNothingStaged() throws IOException {
        assertEquals(List.of(), stagedFiles());
    }

    // --- construction ---------------------------------------------------------------------------------

    @Test
    void constructorCreatesRootAndStagingDirectory() {
        Path nested = base.resolve("x/y/z");
        new LocalBlobStore(nested, true);
        assertTrue(Files.isDirectory(nested));
        assertTrue(Files.isDirectory(nested.resolve(".tmp")));
    }

    // --- layout: the blob with key k is the file root/k -----------------------------------------------

    @Test
    void aBlobIsTheFileAtItsKeyWithThatFilesSizeAndModificationTime() throws Exception {
        byte[] bytes = randomBytes(65_536 * 2);
        store.put("ab/s", new ByteArrayInputStream(bytes), bytes.length);
        Path file = root.resolve("ab/s");
        Instant modified = Files.getLastModifiedTime(file).toInstant();

        assertEquals(bytes.length, Files.size(file));
        try (StoredBlob blob = store.open("ab/s")) {
            assertEquals(modified, blob.info().lastModified());
        }
        assertEquals(modified, store.stat("ab/s").orElseThrow().lastModified());
        assertEquals(new BlobInfo("ab/s", bytes.length, modified), store.list("ab/", null, 1).get(0));
    }

    @Test
    void putCreatesNestedDirectories() throws Exception {
        store.put("a/b/c/d", new ByteArrayInputStream(new byte[] {7}), 1);

        assertTrue(Files.isRegularFile(root.resolve("a/b/c/d")));
    }

    @Test
    void refusedOrFailedPutsLeaveNoFileUnderTheirKeys() throws Exception {
        assertThrows(BlobTooLargeException.class, () -> store.put("big", new CountingStream(10_000_000), 100_000));
        assertThrows(IOException.class,
                () -> store.put("broken", new FailingStream(150_000, new IOException("connection reset")), 1_000_000));

        assertFalse(Files.exists(root.resolve("big")));
        assertFalse(Files.exists(root.resolve("broken")));
        assertEquals(List.of(), stagedFiles());
    }

    @Test
    void deleteAndMoveLeaveNoFileUnderTheOldKey() throws Exception {
        store.put("ab/d", new ByteArrayInputStream(new byte[3]), 3);
        store.put("ab/from", new ByteArrayInputStream(new byte[5]), 5);

        assertTrue(store.delete("ab/d"));
        store.move("ab/from", "cd/ef/to");

        assertFalse(Files.exists(root.resolve("ab/d")));
        assertFalse(Files.exists(root.resolve("ab/from")));
        assertTrue(Files.isRegularFile(root.resolve("cd/ef/to")));
    }

    // --- directories and blobs ------------------------------------------------------------------------

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

    // --- fsync ----------------------------------------------------------------------------------------

    @Test
    void everyOperationWorksWithFsyncOn() throws Exception {
        LocalBlobStore durable = new LocalBlobStore(base.resolve("durable"), true);
        byte[] bytes = randomBytes(70_000);

        assertEquals(sha256(bytes), durable.put("aa/one", new ByteArrayInputStream(bytes), bytes.length).sha256());
        assertEquals(sha256(bytes), durable.put("bb/cc/two", new ByteArrayInputStream(bytes), bytes.length).sha256());
        durable.move("aa/one", "dd/ee/three");
        assertTrue(durable.delete("bb/cc/two"));

        assertEquals(List.of("dd/ee/three"), keysOf(durable.list("", null, 10)));
        try (StoredBlob blob = durable.open("dd/ee/three")) {
            assertArrayEquals(bytes, blob.stream().readAllBytes());
        }
    }

    // --- list -----------------------------------------------------------------------------------------

    @Test
    void listNeverShowsStagedOrHiddenFiles() throws Exception {
        store.put("ab/visible", InputStream.nullInputStream(), 0);
        Files.write(root.resolve(".tmp/put-123.part"), new byte[5]);
        Files.write(root.resolve("ab/.hidden"), new byte[5]);
        Files.write(root.resolve("not a key"), new byte[5]);

        assertEquals(List.of("ab/visible"), keysOf(store.list("", null, 100)));
    }

    @Test
    void listWithAnEmptyPrefixReturnsTheWholeStoreInKeyOrder() throws Exception {
        // Only here does a test own the whole store; the contract lists under a prefix of its own.
        // One store per set: a new key "a0/…" could not live beside the blob "a0".
        List<String> shapes = List.of("a/1", "a/10", "a/2", "a-z", "a.b", "ab/x", "b/y", "a/b/c", "a0");
        List<String> newKeys = Stream.generate(BlobKeys::newKey).limit(50).collect(Collectors.toList());
        for (List<String> keys : List.of(shapes, newKeys)) {
            LocalBlobStore whole = new LocalBlobStore(Files.createTempDirectory(base, "whole-"), false);
            for (String key : keys) {
                whole.put(key, new ByteArrayInputStream(key.getBytes()), 100);
            }

            assertEquals(sorted(keys), keysOf(whole.list("", null, 100)));
            assertEquals(sorted(keys).subList(0, 3), keysOf(whole.list("", "", 3)));
        }
    }

    // --- durability: long writes are forced in the background as they go ---------------------------------

    @Test
    void aLongDurableWriteIsFlushedInTheBackgroundAndStoredWhole() throws Exception {
        java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            LocalBlobStore durable = new LocalBlobStore(base.resolve("durable-bg"), true, 0, task -> {
                flushes.incrementAndGet();
                pool.execute(task);
            });
            byte[] bytes = randomBytes((int) (3 * LocalBlobStore.FLUSH_AHEAD_BYTES + 12345));

            PutResult put = durable.put("ab/long", new ByteArrayInputStream(bytes), bytes.length);

            assertTrue(flushes.get() >= 1, "no background flush for " + bytes.length + " bytes");
            assertEquals(bytes.length, put.size());
            try (StoredBlob blob = durable.open("ab/long")) {
                assertArrayEquals(bytes, blob.stream().readAllBytes());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // --- staging: checkpoints every FLUSH_AHEAD_BYTES ----------------------------------------------------

    @Test
    void aCheckpointWaitsForBytesPastItsBoundarySoAnAppendEndingOnOneReportsNone() throws Exception {
        long boundary = LocalBlobStore.FLUSH_AHEAD_BYTES;
        Staging staging = store.beginStaging("ab/edge");
        List<Staging> reached = new ArrayList<>();

        Staging.Appended appended = store.append(staging, new Piece(1, 0, 2 * boundary).stream(), 2 * boundary, true, reached::add);

        assertEquals(List.of(new Staging("ab/edge", boundary, "")), reached, "the caller records the end itself");
        assertEquals(new Staging("ab/edge", 2 * boundary, ""), appended.staging());
    }

    @Test
    void aCheckpointPassedBeforeTheLimitIsReportedWhenTheAppendIsRefused() throws Exception {
        long boundary = LocalBlobStore.FLUSH_AHEAD_BYTES;
        Staging staging = store.beginStaging("ab/over");
        List<Staging> reached = new ArrayList<>();

        assertThrows(BlobTooLargeException.class,
                () -> store.append(staging, new Piece(1, 0, boundary + 5000).stream(), boundary, true, reached::add));

        assertEquals(List.of(new Staging("ab/over", boundary, "")), reached);
    }

    // --- space: the reserve stays free, and a refused write leaves nothing ------------------------------

    @Test
    void aWriteIsRefusedBeforeItStartsWhenOnlyTheReserveIsFree() throws Exception {
        long free = Files.getFileStore(base).getUsableSpace();
        LocalBlobStore tight = new LocalBlobStore(root, false, free + (1L << 30), null);

        StorageFullException refused = assertThrows(StorageFullException.class,
                () -> tight.put("ab/full", new ByteArrayInputStream(new byte[] {1}), 10));

        assertTrue(refused.getMessage().contains("kept free"), refused.getMessage());
        assertTrue(store.stat("ab/full").isEmpty());
        assertEquals(List.of(), stagedFiles());
    }

    @Test
    void aDeclaredSizeIsCheckedAgainstTheReserve() throws Exception {
        long free = Files.getFileStore(base).getUsableSpace();
        LocalBlobStore tight = new LocalBlobStore(root, false, free - 64L * 1024 * 1024, null);

        tight.requireRoom(1024 * 1024);
        StorageFullException refused = assertThrows(StorageFullException.class, () -> tight.requireRoom(1L << 30));

        assertTrue(refused.getMessage().contains("kept free"), refused.getMessage());
    }

    @Test
    void aWriteThatReachesTheReserveStopsAndLeavesNothing() throws Exception {
        long free = Files.getFileStore(base).getUsableSpace();
        // 8 MiB of room above the reserve, and a stream far larger: the check every 16 MiB stops it.
        LocalBlobStore tight = new LocalBlobStore(root, false, free - 8L * 1024 * 1024, null);
        long size = 8 * LocalBlobStore.RESERVE_CHECK_BYTES;
        InputStream endless = new CountingStream(size);

        assertThrows(StorageFullException.class, () -> tight.put("ab/big", endless, size));

        assertTrue(store.stat("ab/big").isEmpty());
        assertEquals(List.of(), stagedFiles());
    }

    // --- keys that must never reach the file system ---------------------------------------------------

    @ParameterizedTest
    @MethodSource("badKeys")
    void badKeysNeverReachTheFileSystem(String key) throws Exception {
        store.put("good", new ByteArrayInputStream(new byte[] {1}), 1);
        for (Executable call : everyMethodWith(key, "good")) {
            assertThrows(IllegalArgumentException.class, call);
        }

        assertEquals(List.of(root), listTree(base), "nothing created or left beside the root");
        assertEquals(List.of(root.resolve(".staging"), root.resolve(".tmp"), root.resolve("good")), listTree(root));
        assertEquals(List.of(), stagedFiles());
    }

    // --- helpers --------------------------------------------------------------------------------------

    private List<Path> stagedFiles() throws IOException {
        return listTree(root.resolve(".tmp"));
    }

    private static List<Path> listTree(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.sorted().collect(Collectors.toList());
        }
    }
}

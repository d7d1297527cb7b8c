package io.teledrop.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.storage.BlobStore.Checkpoints;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.reflect.Method;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link BlobStore} contract, as its Javadoc states it, for every implementation: a subclass supplies
 * the store and adds the tests of its own internals.
 *
 * <p>The store need not be empty and may be shared by all tests (an S3 bucket is): every test writes only
 * under its own {@link #prefix} and lists only under it. Only {@link #newKeysAreUsable()} writes keys
 * straight from {@link BlobKeys#newKey()}, which are random and so fresh as well.
 */
public abstract class BlobStoreContract {

    protected static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** The store under test, from {@link #newStore()} before each test. */
    protected BlobStore store;

    /** A key prefix (ending in "/") that no other test and no earlier run uses. */
    protected String prefix;

    /** The store for one test: a new one, or one shared by all tests (it need not be empty). */
    protected abstract BlobStore newStore() throws Exception;

    /** Called after each test: closes a store made for that test; a shared one is left open. */
    protected void closeStore() throws Exception {
    }

    /**
     * Asserts that this test's writes left nothing in the store's own staging area (temporary files,
     * spooled parts, unfinished multipart uploads). Called where the contract says a write, finished or
     * failed, leaves nothing behind; every key written at such a point is under {@link #prefix}. The
     * default checks nothing, for stores without such an area.
     */
    protected void assertNothingStaged() throws Exception {
    }

    @BeforeEach
    void createStore(TestInfo test) throws Exception {
        // The method name tells whose leftovers a shared bucket holds; the random part keeps runs (and
        // the invocations of a parameterized test) apart.
        String name = test.getTestMethod().map(Method::getName).orElse("test");
        prefix = "contract/" + name + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "/";
        assertTrue(BlobKeys.isValidPrefix(prefix), prefix);
        store = newStore();
    }

    @AfterEach
    void closeStoreAfterTest() throws Exception {
        closeStore();
    }

    // --- put ------------------------------------------------------------------------------------------

    @Test
    void putThenOpenReturnsTheSameBytesAndTheirSha256() throws Exception {
        byte[] bytes = randomBytes(200_000); // several 64 KiB buffers and a partial one
        String key = key(BlobKeys.newKey());

        PutResult result = store.put(key, new ByteArrayInputStream(bytes), bytes.length);

        assertEquals(key, result.key());
        assertEquals(bytes.length, result.size());
        assertEquals(sha256(bytes), result.sha256());
        try (StoredBlob blob = store.open(key)) {
            assertEquals(key, blob.info().key());
            assertEquals(bytes.length, blob.info().size());
            assertNotNull(blob.info().lastModified());
            assertEquals(0, blob.offset());
            assertEquals(bytes.length, blob.length());
            assertArrayEquals(bytes, blob.stream().readAllBytes());
        }
        assertNothingStaged();
    }

    @Test
    void putDoesNotCloseTheCallersStream() throws Exception {
        CloseTrackingStream in = new CloseTrackingStream(new byte[] {1, 2, 3});

        store.put(key("k"), in, 10);

        assertFalse(in.closed);
    }

    @Test
    void emptyBlobIsStored() throws Exception {
        PutResult result = store.put(key("empty"), InputStream.nullInputStream(), 0);

        assertEquals(0, result.size());
        assertEquals(EMPTY_SHA256, result.sha256());
        try (StoredBlob blob = store.open(key("empty"))) {
            assertEquals(0, blob.info().size());
            assertEquals(-1, blob.stream().read());
        }
    }

    @Test
    void exactlyMaxBytesIsAccepted() throws Exception {
        byte[] bytes = randomBytes(65_536 * 2);

        PutResult result = store.put(key("limit"), new ByteArrayInputStream(bytes), bytes.length);

        assertEquals(bytes.length, result.size());
        assertEquals(bytes.length, store.stat(key("limit")).orElseThrow().size());
    }

    @Test
    void oneByteMoreThanMaxBytesIsRefusedWithoutReadingTheRestAndLeavesNothing() throws Exception {
        long maxBytes = 100_000;
        CountingStream in = new CountingStream(10_000_000);

        BlobTooLargeException e = assertThrows(BlobTooLargeException.class, () -> store.put(key("big"), in, maxBytes));

        assertEquals(maxBytes, e.limit());
        assertEquals(maxBytes + 1, in.delivered, "stops reading as soon as the limit is crossed");
        assertEquals(Optional.empty(), store.stat(key("big")));
        assertEquals(List.of(), store.list(prefix, null, 10));
        assertNothingStaged();
    }

    @Test
    void maxBytesZeroAcceptsOnlyAnEmptyStream() throws Exception {
        assertEquals(0, store.put(key("zero"), InputStream.nullInputStream(), 0).size());
        assertThrows(BlobTooLargeException.class, () -> store.put(key("one"), new ByteArrayInputStream(new byte[1]), 0));
        assertEquals(Optional.empty(), store.stat(key("one")));
    }

    @Test
    void streamFailingMidwayLeavesNothingBehind() throws Exception {
        IOException failure = new IOException("connection reset");
        InputStream in = new FailingStream(150_000, failure);

        IOException thrown = assertThrows(IOException.class, () -> store.put(key("broken"), in, 1_000_000));

        assertSame(failure, thrown);
        assertEquals(Optional.empty(), store.stat(key("broken")));
        assertEquals(List.of(), store.list(prefix, null, 10));
        assertNothingStaged();
    }

    @Test
    void putOnAnExistingKeyIsRefusedAndKeepsTheOriginal() throws Exception {
        byte[] original = randomBytes(1000);
        store.put(key("ab/taken"), new ByteArrayInputStream(original), 10_000);

        assertThrows(BlobExistsException.class,
                () -> store.put(key("ab/taken"), new ByteArrayInputStream(randomBytes(500)), 10_000));

        assertArrayEquals(original, read(key("ab/taken")));
        assertNothingStaged();
    }

    @Test
    void concurrentPutsOfOneKeyStoreExactlyOne() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] bytes = randomBytes(50_000 + i); // distinct contents, so the stored one names its writer
                Callable<byte[]> writer = () -> {
                    start.await();
                    try {
                        store.put(key("race"), new ByteArrayInputStream(bytes), bytes.length);
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
            assertArrayEquals(winners.get(0), read(key("race")));
            assertNothingStaged();
        } finally {
            pool.shutdownNow();
        }
    }

    // --- open and openRange ---------------------------------------------------------------------------

    protected static Stream<Arguments> ranges() {
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
        store.put(key("r"), new ByteArrayInputStream(bytes), bytes.length);

        try (StoredBlob blob = store.openRange(key("r"), offset, length)) {
            assertEquals(offset, blob.offset());
            assertEquals(length, blob.length());
            assertEquals(1000, blob.info().size(), "info describes the whole blob");
            byte[] expected = Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length));
            assertArrayEquals(expected, blob.stream().readAllBytes());
            assertEquals(-1, blob.stream().read());
        }
    }

    protected static Stream<Arguments> badRanges() {
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
        store.put(key("r"), new ByteArrayInputStream(randomBytes(1000)), 1000);

        assertThrows(IllegalArgumentException.class, () -> store.openRange(key("r"), offset, length));
    }

    @Test
    void openingAMissingBlobFails() {
        assertThrows(NoSuchBlobException.class, () -> store.open(key("ab/missing")));
        assertThrows(NoSuchBlobException.class, () -> store.openRange(key("ab/missing"), 0, 0));
    }

    // --- stat, delete, move ---------------------------------------------------------------------------

    @Test
    void statDescribesAStoredBlobAndNothingElse() throws Exception {
        store.put(key("ab/s"), new ByteArrayInputStream(new byte[42]), 100);

        BlobInfo info = store.stat(key("ab/s")).orElseThrow();

        assertEquals(key("ab/s"), info.key());
        assertEquals(42, info.size());
        assertNotNull(info.lastModified());
        assertEquals(Optional.empty(), store.stat(key("ab/other")));
        assertEquals(Optional.empty(), store.stat(key("zz/other")));
    }

    @Test
    void deleteRemovesOnceThenReportsNothingToDelete() throws Exception {
        store.put(key("ab/d"), new ByteArrayInputStream(new byte[3]), 3);

        assertTrue(store.delete(key("ab/d")));
        assertEquals(Optional.empty(), store.stat(key("ab/d")));
        assertThrows(NoSuchBlobException.class, () -> store.open(key("ab/d")));
        assertFalse(store.delete(key("ab/d")));
    }

    @Test
    void moveRenamesTheBlob() throws Exception {
        byte[] bytes = randomBytes(5000);
        store.put(key("ab/from"), new ByteArrayInputStream(bytes), bytes.length);

        store.move(key("ab/from"), key("cd/ef/to"));

        assertArrayEquals(bytes, read(key("cd/ef/to")));
        assertEquals(Optional.empty(), store.stat(key("ab/from")));
    }

    @Test
    void moveNeverOverwrites() throws Exception {
        byte[] source = randomBytes(10);
        byte[] target = randomBytes(20);
        store.put(key("from"), new ByteArrayInputStream(source), 100);
        store.put(key("to"), new ByteArrayInputStream(target), 100);

        assertThrows(BlobExistsException.class, () -> store.move(key("from"), key("to")));
        assertThrows(BlobExistsException.class, () -> store.move(key("from"), key("from")));

        assertArrayEquals(source, read(key("from")));
        assertArrayEquals(target, read(key("to")));
    }

    @Test
    void moveOfAMissingBlobFails() throws Exception {
        assertThrows(NoSuchBlobException.class, () -> store.move(key("ab/missing"), key("ab/target")));
        assertEquals(Optional.empty(), store.stat(key("ab/target")));
    }

    // --- list -----------------------------------------------------------------------------------------

    @Test
    void listReturnsMatchingKeysInOrder() throws Exception {
        List<String> names = List.of("a/1", "a/10", "a/2", "a-z", "a.b", "ab/x", "b/y", "a/b/c", "a0");
        for (String name : names) {
            store.put(key(name), new ByteArrayInputStream(name.getBytes()), 100);
        }
        List<String> all = sorted(keys(names.toArray(String[]::new)));

        assertEquals(all, keysOf(store.list(prefix, null, 100)));
        // The empty prefix lists the whole store; ours are the keys right after our prefix.
        assertEquals(all, keysOf(store.list("", prefix, names.size())));
        assertEquals(keys("a/1", "a/10", "a/2", "a/b/c"), keysOf(store.list(key("a/"), null, 100)));
        assertEquals(keys("a-z", "a.b", "a/1", "a/10", "a/2", "a/b/c", "a0", "ab/x"), keysOf(store.list(key("a"), null, 100)));
        assertEquals(keys("a/1", "a/10"), keysOf(store.list(key("a/1"), null, 100)));
        assertEquals(keys("a/b/c"), keysOf(store.list(key("a/b"), null, 100)));
        assertEquals(List.of(), keysOf(store.list(key("c"), null, 100)));
        BlobInfo info = store.list(key("b/"), null, 1).get(0);
        assertEquals(key("b/y"), info.key());
        assertEquals(3, info.size());
        assertNotNull(info.lastModified());
    }

    @Test
    void listPagesWithStartAfterAndLimit() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String key = key(BlobKeys.newKey());
            keys.add(key);
            store.put(key, new ByteArrayInputStream(new byte[i]), 100);
        }

        List<String> paged = new ArrayList<>();
        String startAfter = null;
        while (true) {
            List<BlobInfo> page = store.list(prefix, startAfter, 7);
            assertTrue(page.size() <= 7);
            if (page.isEmpty()) {
                break;
            }
            paged.addAll(keysOf(page));
            startAfter = page.get(page.size() - 1).key();
        }

        assertEquals(sorted(keys), paged);
        String middle = sorted(keys).get(10);
        assertEquals(sorted(keys).subList(11, 14), keysOf(store.list(prefix, middle, 3)));
        // Without a prefix too: any key between two of ours starts with our prefix, so it is one of ours.
        assertEquals(sorted(keys).subList(11, 14), keysOf(store.list("", middle, 3)));
        assertEquals(sorted(keys).subList(0, 3), keysOf(store.list(prefix, "", 3)));
    }

    @Test
    void listStartAfterNeedNotBeAStoredKey() throws Exception {
        for (String name : List.of("a/1", "a/3", "b/1", "c")) {
            store.put(key(name), InputStream.nullInputStream(), 0);
        }

        assertEquals(keys("a/3", "b/1", "c"), keysOf(store.list(prefix, key("a/2"), 10)));
        assertEquals(keys("b/1", "c"), keysOf(store.list(prefix, key("a/z"), 10)));
        assertEquals(keys("b/1", "c"), keysOf(store.list(prefix, key("b/"), 10)));
        assertEquals(List.of(), keysOf(store.list(prefix, key("d"), 10)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void listRejectsALimitBelowOne(int limit) {
        assertThrows(IllegalArgumentException.class, () -> store.list("", null, limit));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "../", "/etc", ".tmp", ".tmp/", "a//", "a\\b", "a\u0000"})
    void listRejectsBadPrefixes(String badPrefix) {
        assertThrows(IllegalArgumentException.class, () -> store.list(badPrefix, null, 10));
    }

    @Test
    void listRejectsANullPrefix() {
        assertThrows(IllegalArgumentException.class, () -> store.list(null, null, 10));
    }

    // --- keys -----------------------------------------------------------------------------------------

    protected static Stream<String> badKeys() {
        return Stream.of("../x", "/etc/passwd", "a/../../x", ".tmp/x", ".tmp", "a//b", "", null,
                "a".repeat(513), "a\\b", "..\\x", "a\u0000b", "..", ".", "a/", "/", "a/./b");
    }

    @ParameterizedTest
    @MethodSource("badKeys")
    void everyMethodRejectsKeysThatAreNotKeys(String key) throws Exception {
        store.put(key("good"), new ByteArrayInputStream(new byte[] {1}), 1);
        for (Executable call : everyMethodWith(key, key("good"))) {
            assertThrows(IllegalArgumentException.class, call);
        }

        assertEquals(keys("good"), keysOf(store.list(prefix, null, 10)));
        assertArrayEquals(new byte[] {1}, read(key("good")));
        assertNothingStaged();
    }

    @Test
    void newKeysAreUsable() throws Exception {
        // Straight from newKey(), not under our prefix: the generated shape itself must work.
        List<String> keys = Stream.generate(BlobKeys::newKey).limit(50).collect(Collectors.toList());
        for (String key : keys) {
            store.put(key, new ByteArrayInputStream(key.getBytes()), 100);
        }

        assertEquals(50, keys.stream().distinct().count());
        for (String key : keys) {
            assertArrayEquals(key.getBytes(), read(key));
            // The store may hold other keys, but none that starts with a random key.
            assertEquals(List.of(key), keysOf(store.list(key, null, 10)));
        }
    }

    // --- staging (blobs written in pieces) ------------------------------------------------------------

    /**
     * The most bytes an append takes before it reaches a durable state it reports to its checkpoints (S3:
     * its part size). The staging tests send pieces around this size, so that they cross the store's own
     * boundaries; the default suits stores that report at least every 32 MiB.
     */
    protected long checkpointSpacing() {
        return 32L * 1024 * 1024;
    }

    @Test
    void anEmptyStagingCompletesToAnEmptyBlob() throws Exception {
        Staging staging = store.beginStaging(key("empty"));
        assertEquals(new Staging(key("empty"), 0, staging.handle()), staging);

        store.completeStaging(staging);

        assertBlob(key("empty"), new byte[0]);
        assertEquals(EMPTY_SHA256, sha256(read(key("empty"))));
        assertNothingStaged();
    }

    @Test
    void oneAppendThenCompletionStoresTheBytes() throws Exception {
        byte[] bytes = randomBytes(1000);
        Staging begun = store.beginStaging(key("one"));

        Staging.Appended appended = store.append(begun, new ByteArrayInputStream(bytes), bytes.length, false, Checkpoints.NONE);

        assertFalse(appended.interrupted());
        assertEquals(key("one"), appended.staging().key());
        assertEquals(1000, appended.staging().size());
        store.releasePieces(begun, appended.staging());
        store.completeStaging(appended.staging());
        assertBlob(key("one"), bytes);
        assertNothingStaged();
    }

    @Test
    void manySmallAppendsStoreTheBytesInOrder() throws Exception {
        List<Piece> pieces = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int size : new int[] {1024, 7 * 1024, 100 * 1024}) {
                pieces.add(new Piece(pieces.size(), 0, size));
            }
        }
        Staging staging = store.beginStaging(key("small"));
        for (Piece piece : pieces) {
            staging = appendWhole(staging, piece);
        }

        store.completeStaging(staging);

        assertBlob(key("small"), pieces.toArray(Piece[]::new));
        assertNothingStaged();
    }

    @Test
    void appendsAcrossTheStoresBoundariesStoreTheBytesInOrder() throws Exception {
        long spacing = checkpointSpacing();
        // 3/5 + 4/5 + 6/5 of the spacing and one byte: two boundaries crossed, inside and at the end of pieces.
        Piece[] pieces = {new Piece(1, 0, spacing * 3 / 5), new Piece(2, 0, spacing * 4 / 5), new Piece(3, 0, spacing * 6 / 5), new Piece(4, 0, 1)};
        Staging staging = store.beginStaging(key("large"));
        for (Piece piece : pieces) {
            staging = appendWhole(staging, piece);
        }

        store.completeStaging(staging);

        assertBlob(key("large"), pieces);
        assertNothingStaged();
    }

    @Test
    void anAppendCutByTheStreamKeepsWhatArrivedWhenAskedTo() throws Exception {
        Piece first = new Piece(1, 0, 1000);
        Piece cut = new Piece(2, 0, checkpointSpacing() + 777); // past a boundary, then the stream fails
        Piece rest = new Piece(3, 0, 2000);
        Staging staging = appendWhole(store.beginStaging(key("cut")), first);
        IOException failure = new IOException("connection reset");
        List<Staging> reached = new ArrayList<>();

        Staging.Appended appended = store.append(staging, failingAfter(cut, failure), Long.MAX_VALUE, true, reached::add);

        assertSame(failure, appended.interruption());
        assertEquals(first.size() + cut.size(), appended.staging().size());
        assertSizesIncreaseWithin(reached, staging.size(), appended.staging().size());
        store.releasePieces(staging, appended.staging());
        Staging continued = appendWhole(appended.staging(), rest);
        store.completeStaging(continued);
        assertBlob(key("cut"), first, cut, rest);
        assertNothingStaged();
    }

    @Test
    void anAppendCutByTheStreamKeepsNothingWhenNotAskedTo() throws Exception {
        Piece first = new Piece(1, 0, 1000);
        Piece cut = new Piece(2, 0, checkpointSpacing() + 777);
        Piece instead = new Piece(3, 0, 2000);
        Staging staging = appendWhole(store.beginStaging(key("cut")), first);
        IOException failure = new IOException("connection reset");
        List<Staging> reached = new ArrayList<>();

        Staging.Appended appended = store.append(staging, failingAfter(cut, failure), Long.MAX_VALUE, false, reached::add);

        assertSame(failure, appended.interruption());
        assertEquals(staging, appended.staging());
        assertEquals(List.of(), reached, "no checkpoints unless partial appends are kept");
        Staging continued = appendWhole(staging, instead);
        store.completeStaging(continued);
        assertBlob(key("cut"), first, instead);
        assertNothingStaged();
    }

    @Test
    void anAppendOfMoreThanMaxBytesIsRefusedAndChangesNothing() throws Exception {
        Piece first = new Piece(1, 0, 1000);
        long maxBytes = checkpointSpacing() + 100;
        Staging staging = appendWhole(store.beginStaging(key("big")), first);
        CountingInputStream tooLong = new CountingInputStream(new Piece(2, 0, maxBytes + 5000).stream());

        BlobTooLargeException e = assertThrows(BlobTooLargeException.class, () -> store.append(staging, tooLong, maxBytes, true, Checkpoints.NONE));

        assertEquals(maxBytes, e.limit());
        assertEquals(maxBytes + 1, tooLong.count(), "stops reading as soon as the limit is crossed");
        Piece exactlyMax = new Piece(3, 0, maxBytes);
        Staging.Appended appended = store.append(staging, exactlyMax.stream(), maxBytes, false, Checkpoints.NONE);
        assertFalse(appended.interrupted());
        store.releasePieces(staging, appended.staging());
        store.completeStaging(appended.staging());
        assertBlob(key("big"), first, exactlyMax);
        assertNothingStaged();
    }

    @Test
    void goingBackToTheStagingBeforeARefusedAppendContinuesFromIt() throws Exception {
        Piece first = new Piece(1, 0, 1000);
        Piece refused = new Piece(2, 0, checkpointSpacing() * 6 / 5);
        Piece instead = new Piece(3, 0, 3000);
        Staging staging = appendWhole(store.beginStaging(key("back")), first);
        Staging.Appended appended = store.append(staging, refused.stream(), refused.size(), false, Checkpoints.NONE);

        // The caller could not record the append (its lock was gone), so it keeps the staging it had.
        store.releasePieces(appended.staging(), staging);
        store.releasePieces(appended.staging(), staging);
        Staging continued = appendWhole(staging, instead);

        store.completeStaging(continued);
        assertBlob(key("back"), first, instead);
        assertNothingStaged();
    }

    @Test
    void checkpointsAreDurableStagingsOfIncreasingSize() throws Exception {
        Piece first = new Piece(1, 0, 1000);
        Piece piece = new Piece(2, 0, checkpointSpacing() * 6 / 5);
        Staging staging = appendWhole(store.beginStaging(key("checkpoints")), first);
        List<Staging> reached = new ArrayList<>();

        Staging.Appended appended = store.append(staging, piece.stream(), piece.size(), true, reached::add);

        assertFalse(appended.interrupted());
        assertFalse(reached.isEmpty(), "a long append reports where it stands");
        assertSizesIncreaseWithin(reached, staging.size(), appended.staging().size());
        // A caller that recorded only the first checkpoint continues from it, over what came after.
        Staging checkpoint = reached.get(0);
        long done = checkpoint.size() - first.size();
        store.releasePieces(staging, checkpoint);
        store.releasePieces(appended.staging(), checkpoint);
        Staging continued = appendWhole(checkpoint, new Piece(piece.seed(), done, piece.size() - done));
        store.completeStaging(continued);
        assertBlob(key("checkpoints"), first, piece);
        assertNothingStaged();
    }

    @Test
    void aCheckpointThatThrowsStopsTheAppend() throws Exception {
        Piece first = new Piece(1, 0, 1000);
        Piece piece = new Piece(2, 0, checkpointSpacing() * 6 / 5);
        Staging staging = appendWhole(store.beginStaging(key("stopped")), first);
        IOException lockLost = new IOException("lock lost");
        CountingInputStream in = new CountingInputStream(piece.stream());

        IOException thrown = assertThrows(IOException.class, () -> store.append(staging, in, piece.size(), true, durable -> {
            throw lockLost;
        }));

        assertSame(lockLost, thrown);
        assertTrue(in.count() < piece.size(), "stopped at the checkpoint, not at the end: " + in.count());
        Staging continued = appendWhole(staging, piece);
        store.completeStaging(continued);
        assertBlob(key("stopped"), first, piece);
        assertNothingStaged();
    }

    @Test
    void theStagedPrefixIsTheFirstBytes() throws Exception {
        byte[] first = randomBytes(1000);
        byte[] second = randomBytes(3000);
        Staging begun = store.beginStaging(key("prefix"));
        Staging staging = store.append(begun, new ByteArrayInputStream(first), first.length, false, Checkpoints.NONE).staging();
        store.releasePieces(begun, staging);
        Staging longer = store.append(staging, new ByteArrayInputStream(second), second.length, false, Checkpoints.NONE).staging();
        store.releasePieces(staging, longer);
        byte[] both = concat(first, second);

        assertArrayEquals(Arrays.copyOf(both, 2500), readPrefix(longer, 2500));
        assertArrayEquals(both, readPrefix(longer, 4000));
        assertArrayEquals(new byte[0], readPrefix(longer, 0));
        assertThrows(IllegalArgumentException.class, () -> store.openStagedPrefix(longer, 4001));
        assertThrows(IllegalArgumentException.class, () -> store.openStagedPrefix(longer, -1));
        assertThrows(IllegalArgumentException.class, () -> store.openStagedPrefix(longer, BlobStore.STAGED_PREFIX_LIMIT + 1));
        store.abortStaging(longer);
    }

    @Test
    void abortingAStagingRemovesItAndMayBeRepeated() throws Exception {
        Staging staging = appendWhole(appendWhole(store.beginStaging(key("aborted")), new Piece(1, 0, 1000)), new Piece(2, 0, 5000));

        store.abortStaging(staging);
        store.abortStaging(staging);

        assertEquals(List.of(), store.list(prefix, null, 10));
        assertEquals(Optional.empty(), store.stat(key("aborted")));
        assertThrows(NoSuchBlobException.class, () -> store.open(key("aborted")));
        assertNothingStaged();
    }

    @Test
    void aStagingIsNoBlobUntilItIsComplete() throws Exception {
        byte[] bytes = randomBytes(2000);
        Staging begun = store.beginStaging(key("ab/hidden"));
        Staging staging = store.append(begun, new ByteArrayInputStream(bytes), bytes.length, false, Checkpoints.NONE).staging();
        store.releasePieces(begun, staging);

        assertEquals(Optional.empty(), store.stat(key("ab/hidden")));
        assertEquals(List.of(), store.list(prefix, null, 10));
        assertThrows(NoSuchBlobException.class, () -> store.open(key("ab/hidden")));
        assertFalse(store.delete(key("ab/hidden")));

        store.completeStaging(staging);
        assertEquals(keys("ab/hidden"), keysOf(store.list(prefix, null, 10)));
        assertEquals(2000, store.stat(key("ab/hidden")).orElseThrow().size());
        assertBlob(key("ab/hidden"), bytes);
    }

    @Test
    void stagingATakenKeyIsRefused() throws Exception {
        byte[] original = randomBytes(100);
        store.put(key("taken"), new ByteArrayInputStream(original), original.length);

        assertThrows(BlobExistsException.class, () -> store.beginStaging(key("taken")));

        assertArrayEquals(original, read(key("taken")));
        assertNothingStaged();
    }

    @Test
    void abandonedStagingsAreRemovedUnlessLiveOrRecent() throws Exception {
        Staging abandoned = appendWhole(store.beginStaging(key("abandoned")), new Piece(1, 0, 1000));
        Staging live = appendWhole(store.beginStaging(key("live")), new Piece(2, 0, 1000));

        assertEquals(0, store.removeAbandonedStagings(Instant.now().minus(Duration.ofHours(1)), Set.of()), "both are recent");
        // Other tests' stagings may be found as well where the store is shared; ours is one of them.
        assertTrue(store.removeAbandonedStagings(Instant.now().plus(Duration.ofMinutes(1)), Set.of(live.key())) >= 1);

        assertThrows(IOException.class, () -> store.append(abandoned, new ByteArrayInputStream(new byte[10]), 10, false, Checkpoints.NONE));
        assertThrows(IOException.class, () -> store.completeStaging(abandoned));
        assertEquals(Optional.empty(), store.stat(key("abandoned")));
        Staging continued = appendWhole(live, new Piece(3, 0, 500));
        store.completeStaging(continued);
        assertBlob(key("live"), new Piece(2, 0, 1000), new Piece(3, 0, 500));
        assertNothingStaged();
    }

    // --- helpers --------------------------------------------------------------------------------------

    /** Appends all of {@code piece}, as a caller does: records the result and releases what it replaced. */
    protected Staging appendWhole(Staging staging, Piece piece) throws IOException {
        Staging.Appended appended = store.append(staging, piece.stream(), piece.size(), false, Checkpoints.NONE);
        assertFalse(appended.interrupted());
        assertEquals(staging.size() + piece.size(), appended.staging().size());
        store.releasePieces(staging, appended.staging());
        return appended.staging();
    }

    protected byte[] readPrefix(Staging staging, int length) throws IOException {
        try (InputStream in = store.openStagedPrefix(staging, length)) {
            return in.readAllBytes();
        }
    }

    /** The blob {@code key} holds exactly {@code bytes}. */
    protected void assertBlob(String key, byte[] bytes) throws Exception {
        assertEquals(bytes.length, store.stat(key).orElseThrow().size());
        assertArrayEquals(bytes, read(key));
    }

    /** The blob {@code key} holds exactly the pieces' bytes in order: same size and SHA-256, read as a stream. */
    protected void assertBlob(String key, Piece... pieces) throws Exception {
        long size = Stream.of(pieces).mapToLong(Piece::size).sum();
        assertEquals(size, store.stat(key).orElseThrow().size());
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        for (Piece piece : pieces) {
            try (InputStream in = piece.stream()) {
                in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), expected));
            }
        }
        MessageDigest stored = MessageDigest.getInstance("SHA-256");
        try (StoredBlob blob = store.open(key)) {
            assertEquals(size, blob.stream().transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), stored)));
        }
        assertEquals(HexFormat.of().formatHex(expected.digest()), HexFormat.of().formatHex(stored.digest()));
    }

    /** Checkpoints grow strictly, each past {@code after} and none past {@code atMost}, and are stagings of one key. */
    protected static void assertSizesIncreaseWithin(List<Staging> reached, long after, long atMost) {
        long previous = after;
        for (Staging checkpoint : reached) {
            assertTrue(checkpoint.size() > previous && checkpoint.size() <= atMost, "checkpoint at " + checkpoint.size() + " after " + previous);
            previous = checkpoint.size();
        }
    }

    protected static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /**
     * Bytes {@code offset} to {@code offset + size} of an endless pseudo-random sequence named by {@code seed}:
     * pieces of any size that never sit in memory, and whose prefix and rest are pieces too.
     */
    public record Piece(long seed, long offset, long size) {

        public InputStream stream() {
            return new InputStream() {
                private long position = offset;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    long left = offset + size - position;
                    if (left <= 0) {
                        return len == 0 ? 0 : -1;
                    }
                    int n = (int) Math.min(len, left);
                    for (int i = 0; i < n; i++, position++) {
                        b[off + i] = byteAt(position);
                    }
                    return n;
                }
            };
        }

        private byte byteAt(long position) {
            // SplitMix64 of (seed, position / 8): the same byte at a position however the bytes are read.
            long z = seed * 0x9E3779B97F4A7C15L + (position >>> 3) + 0x632BE59BD9B4E019L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            return (byte) (z >>> ((position & 7) * 8));
        }
    }

    /** The bytes of {@code piece}, then {@code failure}, as a client's connection that breaks. */
    protected static InputStream failingAfter(Piece piece, IOException failure) {
        return new SequenceInputStream(piece.stream(), new InputStream() {
            @Override
            public int read() throws IOException {
                throw failure;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw failure;
            }
        });
    }

    /** A call of every method that takes a key, with {@code key}; moves go to or from {@code existingKey}. */
    protected List<Executable> everyMethodWith(String key, String existingKey) {
        return List.of(
                () -> store.put(key, new ByteArrayInputStream(new byte[] {3}), 10),
                () -> store.open(key),
                () -> store.openRange(key, 0, 0),
                () -> store.stat(key),
                () -> store.delete(key),
                () -> store.move(existingKey, key),
                () -> store.move(key, existingKey + "2"),
                () -> store.beginStaging(key));
    }

    /** {@code name} under this test's prefix. */
    protected String key(String name) {
        return prefix + name;
    }

    protected List<String> keys(String... names) {
        return Stream.of(names).map(this::key).collect(Collectors.toList());
    }

    protected byte[] read(String key) throws IOException {
        try (StoredBlob blob = store.open(key)) {
            return blob.stream().readAllBytes();
        }
    }

    protected static List<String> keysOf(List<BlobInfo> infos) {
        return infos.stream().map(BlobInfo::key).collect(Collectors.toList());
    }

    protected static List<String> sorted(List<String> keys) {
        return keys.stream().sorted().collect(Collectors.toList());
    }

    protected static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    protected static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Yields {@code size} bytes of zeros, counting how many were handed out. */
    protected static final class CountingStream extends InputStream {
        private final long size;
        long delivered;

        public CountingStream(long size) {
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
            Arrays.fill(b, off, off + n, (byte) 0);
            delivered += n;
            return n;
        }
    }

    /** Yields {@code good} bytes, then throws {@code failure}. */
    protected static final class FailingStream extends InputStream {
        private final IOException failure;
        private long left;

        public FailingStream(long good, IOException failure) {
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

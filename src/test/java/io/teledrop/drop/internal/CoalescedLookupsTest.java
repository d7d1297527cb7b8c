package io.teledrop.drop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A regression that hangs a caller fails the test after 30 s rather than hanging the build. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CoalescedLookupsTest {

    /** The "database": a value the lookups read when they begin. */
    private final AtomicLong stored = new AtomicLong(1);
    private final AtomicInteger lookups = new AtomicInteger();
    private final CountDownLatch firstBegan = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Thread> callers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Reads the value when it begins; the first lookup then waits for the test to let it finish. */
    private final CoalescedLookups<String, Long> coalesced = new CoalescedLookups<>(key -> {
        long read = stored.get();
        if (lookups.incrementAndGet() == 1) {
            firstBegan.countDown();
            await(releaseFirst);
        }
        if (read < 0) {
            throw new IllegalStateException("the database is down");
        }
        if (read == 99) {
            throw new StackOverflowError("not an exception");
        }
        return read;
    }, failure -> new IllegalStateException(failure.getMessage(), failure));

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private Future<Long> getInAThread(String key) {
        return threads.submit(() -> {
            callers.add(Thread.currentThread());
            return coalesced.get(key);
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Until every caller but the first is parked, waiting for a lookup. */
    private void awaitParked(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (callers.size() < count || callers.stream().skip(1).anyMatch(t -> t.getState() != Thread.State.WAITING)) {
            assertTrue(System.nanoTime() < deadline, "callers did not wait");
            Thread.sleep(5);
        }
    }

    /**
     * A first caller of "s" whose lookup begins and is held; {@code value} is stored meanwhile; {@code count} callers
     * arrive and wait; then the first lookup is let go. Returns the first caller, then the others.
     */
    private List<Future<Long>> arrivingDuringTheFirstLookup(long value, int count) throws InterruptedException {
        List<Future<Long>> arrivals = new ArrayList<>();
        arrivals.add(getInAThread("s"));
        await(firstBegan);
        stored.set(value);
        for (int i = 0; i < count; i++) {
            arrivals.add(getInAThread("s"));
        }
        awaitParked(count + 1);
        releaseFirst.countDown();
        return arrivals;
    }

    @Test
    void aCallerIsNeverAnsweredByALookupThatBeganBeforeItArrived() throws Exception {
        // A change commits while the first lookup runs; a caller arrives after it.
        List<Future<Long>> arrivals = arrivingDuringTheFirstLookup(2, 1);

        assertEquals(1, arrivals.get(0).get(10, TimeUnit.SECONDS));
        assertEquals(2, arrivals.get(1).get(10, TimeUnit.SECONDS), "the late caller saw the change");
        assertEquals(2, lookups.get());
        assertEquals(0, coalesced.keysInFlight());
    }

    @Test
    void callersArrivingDuringALookupShareTheNextOne() throws Exception {
        List<Future<Long>> arrivals = arrivingDuringTheFirstLookup(7, 20);

        assertEquals(1, arrivals.get(0).get(10, TimeUnit.SECONDS));
        for (Future<Long> caller : arrivals.subList(1, arrivals.size())) {
            assertEquals(7, caller.get(10, TimeUnit.SECONDS));
        }
        assertEquals(2, lookups.get(), "20 callers, one lookup for all of them");
        assertEquals(0, coalesced.keysInFlight());
    }

    @Test
    void aFailedLookupFailsEachOfItsCallersWithAnExceptionOfItsOwn() throws Exception {
        List<Future<Long>> waiting = arrivingDuringTheFirstLookup(-1, 5).subList(1, 6);

        List<Throwable> failures = new ArrayList<>();
        for (Future<Long> caller : waiting) {
            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> caller.get(10, TimeUnit.SECONDS));
            assertSame(IllegalStateException.class, failed.getCause().getClass());
            assertEquals("the database is down", failed.getCause().getMessage());
            failures.add(failed.getCause());
        }
        assertEquals(5, failures.stream().distinct().count(), "no exception shared between threads");
        assertNotSame(failures.get(0), failures.get(1));

        stored.set(3);
        assertEquals(3, coalesced.get("s"), "the next caller looks up again");
        assertEquals(0, coalesced.keysInFlight());
    }

    @Test
    void anErrorEndingALookupStillReleasesItsCallers() throws Exception {
        List<Future<Long>> waiting = arrivingDuringTheFirstLookup(99, 3).subList(1, 4);

        for (Future<Long> caller : waiting) {
            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> caller.get(10, TimeUnit.SECONDS));
            // The leader rethrows the error itself; the others, each an exception of its own caused by it.
            assertTrue(failed.getCause() instanceof StackOverflowError || failed.getCause().getCause() instanceof StackOverflowError, failed.toString());
        }
        assertEquals(0, coalesced.keysInFlight());
    }

    @Test
    void otherKeysDoNotWait() throws Exception {
        Future<Long> blocked = getInAThread("a");
        await(firstBegan);
        assertEquals(1, coalesced.get("b"));
        assertEquals(1, coalesced.keysInFlight(), "only the key still being looked up");
        releaseFirst.countDown();
        assertEquals(1, blocked.get(10, TimeUnit.SECONDS));
        assertEquals(0, coalesced.keysInFlight());
    }

    @Test
    void callsOneAfterAnotherEachLookUp() {
        releaseFirst.countDown();
        for (long value = 1; value <= 3; value++) {
            stored.set(value);
            assertEquals(value, coalesced.get("s"));
        }
        assertEquals(3, lookups.get());
        assertEquals(0, coalesced.keysInFlight());
    }
}

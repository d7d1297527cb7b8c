package io.teledrop.drop.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Lookups of the same key that arrive while one runs share the next one, never the running one: a lookup
 * serves only callers that arrived before it began, so each answer is as fresh as a lookup of the caller's
 * own would have been. Under load a hot key then costs one lookup per lookup time, not one per caller (64
 * requests for one drop were taking turns at 8 database connections to ask the same question). Thread-safe.
 *
 * @param <K> the key
 * @param <V> the answer (may be null)
 */
final class CoalescedLookups<K, V> {

    private final Function<K, V> lookup;
    private final Function<Throwable, RuntimeException> forEachWaiter;
    private final ConcurrentHashMap<K, Line<V>> lines = new ConcurrentHashMap<>();

    /**
     * @param lookup        the lookup itself
     * @param forEachWaiter the failure a waiter throws when the lookup it waited for failed: a new exception for
     *                      each (an exception is not shared between threads), with the failure as its cause
     */
    CoalescedLookups(Function<K, V> lookup, Function<Throwable, RuntimeException> forEachWaiter) {
        this.lookup = lookup;
        this.forEachWaiter = forEachWaiter;
    }

    /** A key's lookups: the one running (begun) and the one its late arrivals wait for (not begun yet). */
    private static final class Line<V> {
        CompletableFuture<V> running;
        CompletableFuture<V> next;
    }

    /** Which lookup a caller waits for; a caller that leads one begins it, after {@code ahead} if there is one. */
    private record Ticket<V>(CompletableFuture<V> round, CompletableFuture<V> ahead, boolean leads) {
    }

    /** The answer of a lookup of {@code key} that began after this call. */
    V get(K key) {
        @SuppressWarnings("unchecked") Ticket<V>[] taken = new Ticket[1];
        lines.compute(key, (k, line) -> {
            Line<V> l = line == null ? new Line<>() : line;
            if (l.running == null) {
                l.running = new CompletableFuture<>();
                taken[0] = new Ticket<>(l.running, null, true);
            } else if (l.next == null) {
                l.next = new CompletableFuture<>();
                taken[0] = new Ticket<>(l.next, l.running, true);
            } else {
                taken[0] = new Ticket<>(l.next, null, false);
            }
            return l;
        });
        Ticket<V> ticket = taken[0];
        CompletableFuture<V> mine = ticket.round();
        if (!ticket.leads()) {
            return await(mine);
        }
        try {
            if (ticket.ahead() != null) {
                // The running lookup may have begun before some of the callers of this one: this one begins after it.
                ticket.ahead().handle((answer, failure) -> null).join();
                lines.computeIfPresent(key, (k, l) -> {
                    l.running = mine;
                    l.next = null;
                    return l;
                });
            }
            V answer = lookup.apply(key);
            mine.complete(answer);
            return answer;
        } catch (Throwable e) {
            // Its callers must not wait for ever, whatever ended it, before or during the lookup.
            mine.completeExceptionally(e);
            throw e;
        } finally {
            lines.computeIfPresent(key, (k, l) -> {
                if (l.next == mine) {
                    l.next = null; // it ended before it began
                }
                // A line with a next lookup stays: that lookup's leader makes it the running one.
                return l.next == null && (l.running == null || l.running.isDone()) ? null : l;
            });
        }
    }

    /** How many keys have a lookup running or waiting (for tests). */
    int keysInFlight() {
        return lines.size();
    }

    private V await(CompletableFuture<V> round) {
        try {
            return round.join();
        } catch (CompletionException e) {
            throw forEachWaiter.apply(e.getCause() != null ? e.getCause() : e);
        }
    }
}

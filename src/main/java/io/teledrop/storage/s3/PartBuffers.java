package io.teledrop.storage.s3;

import java.lang.ref.SoftReference;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-wide pool of in-memory part buffers, each {@code partSize} bytes: at most {@code capacity} of
 * them ever exist, so the memory all S3 uploads hold in parts is {@code capacity × partSize} at most, whatever
 * the load or the file sizes. Buffers are made when first needed and reused afterwards; a free one is held
 * softly, so an idle server gives the memory back when the heap needs it (and makes the buffer again later). A
 * taker that finds none
 * free is not made to wait (a wait could deadlock uploads that each hold part of the pool): it spools its part to
 * a file instead.
 *
 * <p>Thread-safe.
 */
final class PartBuffers {

    private final int partSize;
    private final int capacity;
    private final AtomicInteger made = new AtomicInteger();
    private final ConcurrentLinkedDeque<SoftReference<byte[]>> free = new ConcurrentLinkedDeque<>();

    /** @param capacity 0 when no part fits in memory (every part is spooled) */
    PartBuffers(long partSize, int capacity) {
        this.partSize = partSize > Integer.MAX_VALUE - 16 ? 0 : (int) partSize;
        this.capacity = this.partSize == 0 ? 0 : capacity;
    }

    /** A free buffer, or null if all {@code capacity} are taken; give it back with {@link #giveBack}. */
    byte[] tryTake() {
        byte[] buffer = takeFree();
        if (buffer != null) {
            return buffer;
        }
        while (true) {
            int count = made.get();
            if (count >= capacity) {
                // One may have come back meanwhile.
                return takeFree();
            }
            if (made.compareAndSet(count, count + 1)) {
                return new byte[partSize];
            }
        }
    }

    void giveBack(byte[] buffer) {
        free.addFirst(new SoftReference<>(buffer));
    }

    /** A free buffer the collector has not taken, or null; each one it took no longer counts as made. */
    private byte[] takeFree() {
        for (SoftReference<byte[]> held = free.pollFirst(); held != null; held = free.pollFirst()) {
            byte[] buffer = held.get();
            if (buffer != null) {
                return buffer;
            }
            made.decrementAndGet();
        }
        return null;
    }

    /** How many buffers exist now, taken or free (free ones the collector took do not count once noticed). */
    int made() {
        return made.get();
    }

    int capacity() {
        return capacity;
    }
}

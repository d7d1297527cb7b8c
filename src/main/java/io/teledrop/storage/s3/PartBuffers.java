package io.teledrop.storage.s3;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-wide pool of in-memory part buffers, each {@code partSize} bytes: at most {@code capacity} of
 * them ever exist, so the memory all S3 uploads hold in parts is {@code capacity × partSize} at most, whatever
 * the load or the file sizes. Buffers are made when first needed and reused afterwards. A taker that finds none
 * free is not made to wait (a wait could deadlock uploads that each hold part of the pool): it spools its part to
 * a file instead.
 *
 * <p>Thread-safe.
 */
final class PartBuffers {

    private final int partSize;
    private final int capacity;
    private final AtomicInteger made = new AtomicInteger();
    private final ConcurrentLinkedDeque<byte[]> free = new ConcurrentLinkedDeque<>();

    /** @param capacity 0 when no part fits in memory (every part is spooled) */
    PartBuffers(long partSize, int capacity) {
        this.partSize = partSize > Integer.MAX_VALUE - 16 ? 0 : (int) partSize;
        this.capacity = this.partSize == 0 ? 0 : capacity;
    }

    /** A free buffer, or null if all {@code capacity} are taken; give it back with {@link #giveBack}. */
    byte[] tryTake() {
        byte[] buffer = free.pollFirst();
        if (buffer != null) {
            return buffer;
        }
        while (true) {
            int count = made.get();
            if (count >= capacity) {
                // One may have come back meanwhile.
                return free.pollFirst();
            }
            if (made.compareAndSet(count, count + 1)) {
                return new byte[partSize];
            }
        }
    }

    void giveBack(byte[] buffer) {
        free.addFirst(buffer);
    }

    int capacity() {
        return capacity;
    }
}

package io.teledrop.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PartBuffersTest {

    @Test
    void neverMoreThanItsCapacityAndAFreedBufferIsReused() {
        PartBuffers buffers = new PartBuffers(1024, 2);
        byte[] first = buffers.tryTake();
        byte[] second = buffers.tryTake();
        assertNotNull(first);
        assertNotNull(second);
        assertEquals(1024, first.length);
        assertNull(buffers.tryTake(), "the third taker spools instead");
        assertEquals(2, buffers.made());

        buffers.giveBack(first);
        assertSame(first, buffers.tryTake(), "the free one, not a new one");
        assertEquals(2, buffers.made());
    }

    @Test
    void noPartInMemoryWhenAPartCannotBeOneArray() {
        PartBuffers buffers = new PartBuffers(5L * 1024 * 1024 * 1024, 4);
        assertEquals(0, buffers.capacity());
        assertNull(buffers.tryTake());
    }
}

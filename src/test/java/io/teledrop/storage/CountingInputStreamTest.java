package io.teledrop.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Random;

import org.junit.jupiter.api.Test;

class CountingInputStreamTest {

    private static final byte[] BYTES = new byte[100_000];

    static {
        new Random(7).nextBytes(BYTES);
    }

    @Test
    void countsAndHashesEveryByteHoweverItIsRead() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(BYTES), digest)) {
            assertEquals(BYTES[0] & 0xff, in.read());
            byte[] some = new byte[1000];
            assertEquals(1000, in.read(some, 0, 1000));
            assertEquals(5000, in.skip(5000));
            in.readAllBytes();
            assertEquals(-1, in.read());
            assertEquals(BYTES.length, in.count());
        }
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(BYTES), digest.digest());
    }

    @Test
    void countsWithoutADigest() throws IOException {
        CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(BYTES));
        in.transferTo(java.io.OutputStream.nullOutputStream());
        assertEquals(BYTES.length, in.count());
    }

    @Test
    void skipStopsAtTheEnd() throws IOException {
        CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(new byte[10]));
        assertEquals(10, in.skip(50));
        assertEquals(0, in.skip(5));
        assertEquals(0, in.skip(-1));
        assertEquals(10, in.count());
    }

    @Test
    void refusesMarkAndReset() {
        InputStream in = new CountingInputStream(new ByteArrayInputStream(BYTES));
        assertFalse(in.markSupported());
        in.mark(10);
        assertThrows(IOException.class, in::reset);
    }
}

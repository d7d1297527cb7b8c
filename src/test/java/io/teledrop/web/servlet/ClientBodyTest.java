package io.teledrop.web.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.web.servlet.ClientBody.BrokenTransferException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ClientBodyTest {

    @Test
    void aCompleteBodyReadsAsItIs() throws IOException {
        byte[] bytes = {1, 2, 3, 4};
        assertArrayEquals(bytes, new ClientBody(new ByteArrayInputStream(bytes), 4).readAllBytes());
        assertArrayEquals(bytes, new ClientBody(new ByteArrayInputStream(bytes), -1).readAllBytes());
    }

    @Test
    void aBodyEndingBeforeItsContentLengthIsABrokenTransfer() {
        ClientBody body = new ClientBody(new ByteArrayInputStream(new byte[10]), 100);
        BrokenTransferException e = assertThrows(BrokenTransferException.class, body::readAllBytes);
        assertEquals("the body ended after 10 of the 100 bytes announced", e.getMessage());
    }

    @Test
    void aFailedReadIsABrokenTransferWithItsCause() {
        IOException reset = new IOException("Connection reset by peer");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw reset;
            }
        };
        BrokenTransferException e = assertThrows(BrokenTransferException.class, () -> new ClientBody(failing, 5).read());
        assertSame(reset, e.getCause());
        assertTrue(BrokenTransferException.in(new RuntimeException(new IOException(e))).isPresent());
        assertTrue(BrokenTransferException.in(reset).isEmpty());
    }

    @Test
    void closingLeavesTheContainersStreamOpen() throws IOException {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(new byte[1]) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        new ClientBody(in, 1).close();
        assertTrue(!closed[0]);
    }
}

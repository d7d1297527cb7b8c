package io.teledrop.web.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link Part}s of the streaming reader behave as the Servlet Javadoc says, for bytes still arriving. */
class StreamingPartsTest {

    private static final String BOUNDARY = "streaming-parts-test";

    @TempDir
    Path location;

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private StreamingParts parts(byte[]... bodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHoliday\r\n");
        for (int i = 0; i < bodies.length; i++) {
            write(out, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f" + i + ".bin\"\r\n"
                    + "content-TYPE: image/png\r\nX-Extra: one\r\nX-Extra: two\r\n\r\n");
            out.writeBytes(bodies[i]);
            write(out, "\r\n");
        }
        write(out, "--" + BOUNDARY + "--\r\n");
        // One byte at a time at most 1 KiB: the reader sees the body arrive in pieces.
        InputStream slow = new ByteArrayInputStream(out.toByteArray()) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1024));
            }
        };
        return new StreamingParts(new MultipartReader(slow, BOUNDARY, Long.MAX_VALUE), location);
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFieldHasANameNoFileNameAndItsSizeAtOnce() throws IOException {
        Part field = parts(random(10)).next().orElseThrow();
        assertEquals("title", field.getName());
        assertNull(field.getSubmittedFileName());
        assertNull(field.getContentType());
        assertEquals(7, field.getSize(), "a part that fits the buffer knows its size before it is read");
        assertEquals("Holiday", new String(field.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(7, field.getSize());
    }

    @Test
    void aLargePartKnowsItsSizeOnlyOnceRead() throws IOException {
        byte[] content = random(1_000_000);
        StreamingParts parts = parts(content);
        parts.next();
        Part file = parts.next().orElseThrow();
        assertEquals("f0.bin", file.getSubmittedFileName());
        assertEquals(-1, file.getSize(), "still arriving");
        assertArrayEquals(content, file.getInputStream().readAllBytes());
        assertEquals(content.length, file.getSize());
    }

    @Test
    void headersAreThePartsOwnIgnoringCase() throws IOException {
        StreamingParts parts = parts(random(5));
        parts.next();
        Part file = parts.next().orElseThrow();
        assertEquals("image/png", file.getContentType(), "as sent: never trusted, but reported");
        assertEquals("image/png", file.getHeader("Content-Type"));
        assertEquals(List.of("one", "two"), List.copyOf(file.getHeaders("x-extra")));
        assertTrue(file.getHeaderNames().contains("content-disposition"));
        assertNull(file.getHeader("X-Missing"));
        assertTrue(file.getHeaders("X-Missing").isEmpty());
    }

    @Test
    void aPartCannotBeReadOnceTheNextIsAskedFor() throws IOException {
        StreamingParts parts = parts(random(100), random(200));
        parts.next();
        Part first = parts.next().orElseThrow();
        Part second = parts.next().orElseThrow();
        assertThrows(IOException.class, first::getInputStream);
        assertEquals(-1, first.getSize(), "its end was skipped, not measured");
        assertArrayEquals(random(200), second.getInputStream().readAllBytes());
        assertTrue(parts.next().isEmpty());
        assertTrue(parts.bodyFullyRead());
    }

    @Test
    void writeStreamsTheRestIntoAFileThatGetInputStreamThenReads() throws IOException {
        byte[] content = random(300_000);
        StreamingParts parts = parts(content, random(10));
        parts.next();
        Part file = parts.next().orElseThrow();
        file.write("copy.bin");
        Path written = location.resolve("copy.bin");
        assertArrayEquals(content, Files.readAllBytes(written));
        assertEquals(content.length, file.getSize());
        assertArrayEquals(content, file.getInputStream().readAllBytes(), "from the written file");
        parts.next().orElseThrow();
        assertArrayEquals(content, file.getInputStream().readAllBytes(), "still there after the reader moved on");
        file.delete();
        assertFalse(Files.exists(written));
    }

    @Test
    void deleteDiscardsTheUnreadRest() throws IOException {
        StreamingParts parts = parts(random(500_000), random(30));
        parts.next();
        Part file = parts.next().orElseThrow();
        file.delete();
        assertEquals(-1, file.getInputStream().read(), "nothing is left of it");
        assertArrayEquals(random(30), parts.next().orElseThrow().getInputStream().readAllBytes());
    }
}

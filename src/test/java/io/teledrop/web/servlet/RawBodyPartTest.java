package io.teledrop.web.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A raw PUT body seen as a {@link Part}: the request's entity headers, its declared size, write and delete. */
class RawBodyPartTest {

    @TempDir
    Path location;

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** A request with these headers and body; anything else it is asked throws, so the test sees what is used. */
    private static HttpServletRequest request(Map<String, String> headers, byte[] body) {
        ByteArrayInputStream bytes = new ByteArrayInputStream(body);
        ServletInputStream in = new ServletInputStream() {
            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return bytes.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        return (HttpServletRequest) Proxy.newProxyInstance(RawBodyPartTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getInputStream" -> in;
                    case "getContentLengthLong" -> headers.containsKey("Content-Length") ? Long.parseLong(headers.get("Content-Length")) : -1L;
                    case "getContentType" -> headers.get("Content-Type");
                    case "getHeader" -> headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase((String) args[0]))
                            .map(Map.Entry::getValue).findFirst().orElse(null);
                    case "getHeaders" -> Collections.enumeration(headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase((String) args[0]))
                            .map(Map.Entry::getValue).toList());
                    case "getHeaderNames" -> Collections.enumeration(headers.keySet());
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void theBodyIsTheFilePartNamedFromTheUrl() throws IOException {
        byte[] body = random(100_000);
        Part part = new RawBodyPart(request(Map.of("Content-Length", "100000", "Content-Type", "application/pdf",
                "Teledrop-Slug", "not-an-entity-header"), body), "report.pdf", location);

        assertEquals("file", part.getName());
        assertEquals("report.pdf", part.getSubmittedFileName());
        assertEquals("application/pdf", part.getContentType(), "as sent: reported, never trusted");
        assertEquals(100_000, part.getSize(), "the declared length");
        assertEquals("100000", part.getHeader("content-length"));
        assertNull(part.getHeader("Teledrop-Slug"), "request headers that do not describe the body are not the part's");
        assertTrue(part.getHeaders("Teledrop-Slug").isEmpty());
        assertEquals(List.of("Content-Length", "Content-Type"), part.getHeaderNames().stream().sorted().toList());
        assertArrayEquals(body, part.getInputStream().readAllBytes());
    }

    @Test
    void withoutAContentLengthTheSizeIsUnknown() throws IOException {
        Part part = new RawBodyPart(request(Map.of(), random(10)), "a.bin", location);
        assertEquals(-1, part.getSize());
        assertArrayEquals(random(10), part.getInputStream().readAllBytes());
    }

    @Test
    void aBodyShorterThanItsContentLengthFailsWhenRead() throws IOException {
        Part part = new RawBodyPart(request(Map.of("Content-Length", "50"), random(20)), "a.bin", location);
        assertThrows(IOException.class, () -> part.getInputStream().readAllBytes());
    }

    @Test
    void writeStreamsTheBodyIntoAFileThatDeleteRemoves() throws IOException {
        byte[] body = random(70_000);
        Part part = new RawBodyPart(request(Map.of("Content-Length", "70000"), body), "a.bin", location);

        part.write("copy.bin");
        part.write("second.bin");

        assertArrayEquals(body, Files.readAllBytes(location.resolve("copy.bin")));
        assertArrayEquals(body, Files.readAllBytes(location.resolve("second.bin")), "a second write copies the first");
        assertArrayEquals(body, part.getInputStream().readAllBytes(), "from the written file");
        part.delete();
        assertFalse(Files.exists(location.resolve("second.bin")));
    }
}

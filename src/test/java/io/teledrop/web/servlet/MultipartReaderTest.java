package io.teledrop.web.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.web.servlet.MultipartReader.MalformedMultipartException;
import io.teledrop.web.servlet.MultipartReader.MultipartTooLargeException;
import io.teledrop.web.servlet.MultipartReader.PartHead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartReaderTest {

    private static final String BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    private record Part(String name, String filename, byte[] body) {
    }

    @Test
    void partsOfRandomBytesComeBackExactWhateverHowTheStreamIsCut() throws IOException {
        Random random = new Random(20261123);
        byte[] delimiter = ("\r\n--" + BOUNDARY).getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 300; round++) {
            List<Part> sent = new ArrayList<>();
            int parts = 1 + random.nextInt(4);
            for (int p = 0; p < parts; p++) {
                // Bodies full of near-delimiters: every prefix of it, at random places, even at the very end.
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                int pieces = random.nextInt(12);
                for (int k = 0; k < pieces; k++) {
                    byte[] noise = new byte[random.nextInt(random.nextBoolean() ? 40 : 70_000)];
                    random.nextBytes(noise);
                    body.writeBytes(noise);
                    body.write(delimiter, 0, random.nextInt(delimiter.length));
                }
                sent.add(p % 2 == 0 ? new Part("file", "f" + p + ".bin", body.toByteArray()) : new Part("title", null, body.toByteArray()));
            }
            byte[] encoded = encode(sent, random.nextBoolean() ? "preamble\r\n" : "", random.nextBoolean() ? "\r\nepilogue" : "");

            List<Part> received = readAll(new MultipartReader(new Chopped(encoded, random.nextLong()), BOUNDARY, Long.MAX_VALUE));

            assertEquals(sent.size(), received.size(), "round " + round);
            for (int p = 0; p < sent.size(); p++) {
                assertEquals(sent.get(p).name(), received.get(p).name());
                assertEquals(sent.get(p).filename(), received.get(p).filename());
                assertArrayEquals(sent.get(p).body(), received.get(p).body(), "round " + round + ", part " + p);
            }
        }
    }

    @Test
    void aPartLeftUnreadIsSkipped() throws IOException {
        byte[] big = new byte[300_000];
        new Random(1).nextBytes(big);
        MultipartReader reader = reader(encode(List.of(new Part("file", "a.bin", big), new Part("title", null, bytes("hello"))), "", ""));

        assertEquals("file", reader.next().orElseThrow().name());
        assertEquals(17, reader.body().read(new byte[17]));
        assertEquals("title", reader.next().orElseThrow().name());
        assertEquals("hello", new String(reader.body().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), reader.next());
        assertTrue(reader.finished());
    }

    @Test
    void anEmptyPartHasAnEmptyBody() throws IOException {
        List<Part> parts = readAll(reader(encode(List.of(new Part("file", "", new byte[0])), "", "")));

        assertEquals(1, parts.size());
        assertEquals("", parts.get(0).filename());
        assertEquals(0, parts.get(0).body().length);
    }

    @Test
    void transportPaddingAfterABoundaryAndBareLineFeedsInHeadersAreAccepted() throws IOException {
        String body = "--b \t\r\nContent-Disposition: form-data; name=\"a\"\n\nx\r\n--b--";

        List<Part> parts = readAll(new MultipartReader(new ByteArrayInputStream(bytes(body)), "b", 1000));

        assertEquals(List.of("a"), parts.stream().map(Part::name).toList());
        assertEquals("x", new String(parts.get(0).body(), StandardCharsets.UTF_8));
    }

    @Test
    void filenamesKeepBackslashesAndNonAsciiAndUnescapeQuotes() throws IOException {
        String headers = "--b\r\nContent-Disposition: form-data; filename=\"C:\\Users\\new \\\"q\\\".txt\"; NAME=f\r\n\r\n1\r\n"
                + "--b\r\ncontent-disposition: FORM-DATA; name=\"g\"; filename=\"Ünïcödé ✓.txt\"\r\nContent-Type: text/plain\r\n\r\n2\r\n--b--\r\n";

        List<Part> parts = readAll(new MultipartReader(new ByteArrayInputStream(bytes(headers)), "b", 1000));

        assertEquals("f", parts.get(0).name());
        assertEquals("C:\\Users\\new \"q\".txt", parts.get(0).filename());
        assertEquals("Ünïcödé ✓.txt", parts.get(1).filename());
    }

    @Test
    void headerBytesThatAreNotUtf8AreReadAsLatin1() throws IOException {
        byte[] head = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"caf\u00e9.txt\"\r\n\r\nx\r\n--b--".getBytes(StandardCharsets.ISO_8859_1);

        assertEquals("caf\u00e9.txt", readAll(new MultipartReader(new ByteArrayInputStream(head), "b", 1000)).get(0).filename());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ends inside a part           | --b\\r\\nContent-Disposition: form-data; name=\"f\"\\r\\n\\r\\ntruncated",
            "ends inside the headers      | --b\\r\\nContent-Disposition: form-data; name=\"f\"",
            "ends after a boundary        | --b\\r\\nContent-Disposition: form-data; name=\"f\"\\r\\n\\r\\nx\\r\\n--b",
            "no CRLF after a boundary     | --bX\\r\\nContent-Disposition: form-data; name=\"f\"\\r\\n\\r\\nx\\r\\n--b--",
            "no boundary at all           | just some bytes",
            "empty body                   | ''",
            "a header without a name      | --b\\r\\nno colon here\\r\\n\\r\\nx\\r\\n--b--",
            "no Content-Disposition name  | --b\\r\\nContent-Disposition: form-data; filename=\"a\"\\r\\n\\r\\nx\\r\\n--b--",
            "not form-data                | --b\\r\\nContent-Disposition: attachment; name=\"f\"\\r\\n\\r\\nx\\r\\n--b--",
    })
    void malformedBodiesAreRefused(String why, String body) {
        byte[] raw = bytes(body.replace("\\r", "\r").replace("\\n", "\n"));

        assertThrows(MalformedMultipartException.class, () -> readAll(new MultipartReader(new ByteArrayInputStream(raw), "b", 1000)), why);
    }

    @Test
    void headersLongerThanTheLimitAreRefusedWithoutReadingOn() {
        String body = "--b\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Padding: " + "p".repeat(MultipartReader.MAX_HEADER_BYTES) + "\r\n\r\nx\r\n--b--";

        MalformedMultipartException error = assertThrows(MalformedMultipartException.class,
                () -> readAll(new MultipartReader(new ByteArrayInputStream(bytes(body)), "b", Long.MAX_VALUE)));
        assertTrue(error.getMessage().contains("headers are longer"), error.getMessage());
    }

    @Test
    void aBodyLargerThanTheLimitIsRefusedAsSoonAsItIsCrossed() {
        byte[] body = encode(List.of(new Part("file", "a.bin", new byte[200_000])), "", "");
        CountingStream counted = new CountingStream(new ByteArrayInputStream(body));

        MultipartTooLargeException error = assertThrows(MultipartTooLargeException.class,
                () -> readAll(new MultipartReader(counted, BOUNDARY, 100_000)));
        assertEquals(100_000, error.limit());
        assertTrue(counted.count < 100_000 + 70_000, "read " + counted.count + " bytes");
    }

    @Test
    void aBodyOfExactlyTheLimitIsRead() throws IOException {
        byte[] body = encode(List.of(new Part("file", "a.bin", new byte[1000])), "", "");

        assertEquals(1000, readAll(new MultipartReader(new ByteArrayInputStream(body), BOUNDARY, body.length)).get(0).body().length);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "multipart/form-data; boundary=abc                      | abc",
            "multipart/form-data; BOUNDARY=\"a b:c\"; charset=utf-8 | a b:c",
            "multipart/form-data;charset=utf-8;boundary=----x       | ----x",
    })
    void boundaryIsTakenFromTheContentType(String contentType, String expected) {
        assertEquals(Optional.of(expected), MultipartReader.boundaryOf(contentType));
    }

    @ParameterizedTest
    @ValueSource(strings = {"multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
            "multipart/form-data; boundary=a@b", "multipart/form-data; boundary=\"trailing \"", "multipart/form-data; boundary=tab\there"})
    void missingOrInvalidBoundariesAreRefused(String contentType) {
        assertEquals(Optional.empty(), MultipartReader.boundaryOf(contentType));
    }

    @Test
    void aBoundaryOfSeventyCharactersIsTheLongestAllowed() {
        assertEquals(Optional.of("b".repeat(70)), MultipartReader.boundaryOf("multipart/form-data; boundary=" + "b".repeat(70)));
        assertEquals(Optional.empty(), MultipartReader.boundaryOf("multipart/form-data; boundary=" + "b".repeat(71)));
    }

    @Test
    void aFieldNamedLikeAFileButWithoutAFilenameIsAField() throws IOException {
        List<Part> parts = readAll(reader(encode(List.of(new Part("file", null, bytes("v"))), "", "")));

        assertNull(parts.get(0).filename());
    }

    @Test
    void theBodyOfNoPartIsAnError() {
        assertThrows(IllegalStateException.class, () -> reader(new byte[0]).body());
    }

    private static MultipartReader reader(byte[] body) {
        return new MultipartReader(new ByteArrayInputStream(body), BOUNDARY, Long.MAX_VALUE);
    }

    private static List<Part> readAll(MultipartReader reader) throws IOException {
        List<Part> parts = new ArrayList<>();
        for (Optional<PartHead> next = reader.next(); next.isPresent(); next = reader.next()) {
            parts.add(new Part(next.get().name(), next.get().filename(), reader.body().readAllBytes()));
        }
        assertFalse(reader.next().isPresent());
        return parts;
    }

    private static byte[] encode(List<Part> parts, String preamble, String epilogue) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(preamble));
        for (Part part : parts) {
            out.writeBytes(bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + part.name() + "\""
                    + (part.filename() == null ? "" : "; filename=\"" + part.filename() + "\"\r\nContent-Type: application/octet-stream")
                    + "\r\n\r\n"));
            out.writeBytes(part.body());
            out.writeBytes(bytes("\r\n"));
        }
        out.writeBytes(bytes("--" + BOUNDARY + "--" + epilogue));
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Hands the bytes out in pieces of random size, 1 byte to 100 KiB, as a network would. */
    private static final class Chopped extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int position;

        Chopped(byte[] bytes, long seed) {
            this.bytes = bytes;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, bytes.length - position), random.nextBoolean() ? 1 + random.nextInt(8) : 1 + random.nextInt(100_000));
            System.arraycopy(bytes, position, target, offset, n);
            position += n;
            return n;
        }
    }

    private static final class CountingStream extends FilterInputStream {
        private long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            int n = super.read(target, offset, length);
            count += Math.max(0, n);
            return n;
        }
    }
}

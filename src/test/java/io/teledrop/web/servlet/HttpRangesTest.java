package io.teledrop.web.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.web.servlet.HttpRanges.ByteRange;
import io.teledrop.web.servlet.HttpRanges.Full;
import io.teledrop.web.servlet.HttpRanges.Partial;
import io.teledrop.web.servlet.HttpRanges.Plan;
import io.teledrop.web.servlet.HttpRanges.Unsatisfiable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Range rules as a table, after Tomcat's TestDefaultServletRangeRequests: header and representation length
 * in, status and Content-Range values out. "200" is the whole representation, "416 …" carries the 416's
 * Content-Range, "206 …" lists each part's Content-Range in order.
 */
class HttpRangesTest {

    @ParameterizedTest(name = "[{index}] Range: {0} of {1} bytes -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            # absent, other units, not a ranges-specifier: ignored (RFC 9110 §14.2)
            NULL                           | 10000 | 200
            items=0-1                      | 10000 | 200
            bytes 0-1                      | 10000 | 200
            bytes:0-1                      | 10000 | 200
            'bytes =0-1'                   | 10000 | 200
            bytes=                         | 10000 | 200
            bytes=,                        | 10000 | 200
            'bytes= , '                    | 10000 | 200
            bytes=abc                      | 10000 | 200
            bytes=-                        | 10000 | 200
            bytes=--5                      | 10000 | 200
            bytes=1-2-3                    | 10000 | 200
            bytes=+1-2                     | 10000 | 200
            'bytes=0 - 1'                  | 10000 | 200
            'bytes=- 5'                    | 10000 | 200
            bytes=0x10-20                  | 10000 | 200
            bytes=٠-١                      | 10000 | 200
            # last-pos before first-pos makes the whole header invalid (§14.1.2)
            bytes=5-1                      | 10000 | 200
            bytes=0-1,5-1                  | 10000 | 200
            # one bad element spoils the list
            bytes=0-1,x                    | 10000 | 200
            # the three forms (§14.1.2)
            bytes=0-499                    | 10000 | 206 bytes 0-499/10000
            bytes=500-                     | 10000 | 206 bytes 500-9999/10000
            bytes=-500                     | 10000 | 206 bytes 9500-9999/10000
            bytes=9999-                    | 10000 | 206 bytes 9999-9999/10000
            bytes=0-0                      | 10000 | 206 bytes 0-0/10000
            bytes=0-                       | 10000 | 206 bytes 0-9999/10000
            bytes=0-9999                   | 10000 | 206 bytes 0-9999/10000
            # suffix longer than the representation: all of it; last-pos past the end: the end
            bytes=-20000                   | 10000 | 206 bytes 0-9999/10000
            bytes=0-20000                  | 10000 | 206 bytes 0-9999/10000
            bytes=9000-20000               | 10000 | 206 bytes 9000-9999/10000
            # unsatisfiable (§15.5.17)
            bytes=-0                       | 10000 | 416 bytes */10000
            bytes=10000-                   | 10000 | 416 bytes */10000
            bytes=10000-10005              | 10000 | 416 bytes */10000
            bytes=-0,-0                    | 10000 | 416 bytes */10000
            bytes=20000-,10000-            | 10000 | 416 bytes */10000
            # unsatisfiable ranges are dropped when another one is satisfiable
            bytes=20000-,0-0               | 10000 | 206 bytes 0-0/10000
            bytes=-0,9990-                 | 10000 | 206 bytes 9990-9999/10000
            # unit case-insensitive, OWS and empty list elements (§5.6.1, §5.6.3)
            BYTES=0-1                      | 10000 | 206 bytes 0-1/10000
            Bytes=0-1                      | 10000 | 206 bytes 0-1/10000
            ' bytes=0-1 '                  | 10000 | 206 bytes 0-1/10000
            'bytes=0-1 ,\t500-501'         | 10000 | 206 bytes 0-1/10000, bytes 500-501/10000
            'bytes= 0-1 , 500-501 '        | 10000 | 206 bytes 0-1/10000, bytes 500-501/10000
            'bytes=0-1,,500-501'           | 10000 | 206 bytes 0-1/10000, bytes 500-501/10000
            'bytes=,0-1,'                  | 10000 | 206 bytes 0-1/10000
            # numbers: at most 19 digits, no overflow
            bytes=9223372036854775807-     | 10000 | 416 bytes */10000
            bytes=0-9223372036854775807    | 10000 | 206 bytes 0-9999/10000
            bytes=-9223372036854775807     | 10000 | 206 bytes 0-9999/10000
            bytes=9223372036854775808-     | 10000 | 200
            bytes=0-9223372036854775808    | 10000 | 200
            bytes=-9223372036854775808     | 10000 | 200
            bytes=00000000000000000001-    | 10000 | 200
            bytes=-99999999999999999999    | 10000 | 200
            bytes=0-99999999999999999999   | 10000 | 200
            # several ranges: sorted, and coalesced when overlapping or closer than 80 bytes
            bytes=0-99,500-599             | 10000 | 206 bytes 0-99/10000, bytes 500-599/10000
            bytes=500-599,0-99             | 10000 | 206 bytes 0-99/10000, bytes 500-599/10000
            bytes=-100,0-99                | 10000 | 206 bytes 0-99/10000, bytes 9900-9999/10000
            bytes=0-99,100-199             | 10000 | 206 bytes 0-199/10000
            bytes=0-99,50-149              | 10000 | 206 bytes 0-149/10000
            bytes=0-99,10-19               | 10000 | 206 bytes 0-99/10000
            bytes=0-99,179-199             | 10000 | 206 bytes 0-199/10000
            bytes=0-99,180-199             | 10000 | 206 bytes 0-99/10000, bytes 180-199/10000
            bytes=180-199,0-99,150-160     | 10000 | 206 bytes 0-199/10000
            bytes=0-0,0-0                  | 10000 | 206 bytes 0-0/10000
            # amplification: more bytes asked for than the representation has -> 200 whole
            bytes=0-,0-,0-                 | 10000 | 200
            bytes=0-,0-                    | 10000 | 200
            bytes=0-,-1                    | 10000 | 200
            bytes=-6000,0-5000             | 10000 | 200
            bytes=-5000,0-4999             | 10000 | 206 bytes 0-9999/10000
            # empty representation: every range is unsatisfiable, a malformed header still ignored
            bytes=0-                       | 0     | 416 bytes */0
            bytes=0-0                      | 0     | 416 bytes */0
            bytes=-1                       | 0     | 416 bytes */0
            bytes=-0                       | 0     | 416 bytes */0
            bytes=abc                      | 0     | 200
            NULL                           | 0     | 200
            # one-byte representation
            bytes=0-0                      | 1     | 206 bytes 0-0/1
            bytes=-5                       | 1     | 206 bytes 0-0/1
            bytes=1-                       | 1     | 416 bytes */1
            """)
    void plansTheResponse(String header, long length, String expected) {
        assertEquals(expected, describe(HttpRanges.plan(header, length), length));
    }

    static Stream<Arguments> manyRanges() {
        return Stream.of(
                // 16 ranges 100 bytes apart stay 16 parts; 17 are refused.
                Arguments.of(ranges(16, 100), 10000L, IntStream.range(0, 16)
                        .mapToObj(i -> "bytes " + i * 100 + "-" + i * 100 + "/10000").collect(Collectors.joining(", ", "206 ", ""))),
                Arguments.of(ranges(17, 100), 10000L, "200"),
                Arguments.of(ranges(100, 100), 10000L, "200"),
                // 100 one-byte ranges 2 bytes apart coalesce into one part.
                Arguments.of(ranges(100, 2), 10000L, "206 bytes 0-198/10000"),
                // 100 one-byte ranges 81 bytes apart (gap 80) cannot be coalesced: refused.
                Arguments.of(ranges(100, 81), 10000L, "200"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("manyRanges")
    void limitsTheNumberOfParts(String header, long length, String expected) {
        assertEquals(expected, describe(HttpRanges.plan(header, length), length));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            bytes=0-9,500-599,9990-      | text/plain; charset=UTF-8
            bytes=-1,0-0                 | application/octet-stream
            bytes=100-199,1000-1099,5000- | application/pdf
            """)
    void multipartLengthIsTheLengthOfTheBodyWrittenWithTheSameHelpers(String header, String contentType) {
        byte[] content = new byte[10000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        Partial partial = assertInstanceOf(Partial.class, HttpRanges.plan(header, content.length));
        assertTrue(partial.multipart());
        String boundary = HttpRanges.boundary();

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (ByteRange range : partial.ranges()) {
            body.writeBytes(HttpRanges.partHeader(boundary, contentType, range, content.length).getBytes(StandardCharsets.US_ASCII));
            body.write(content, (int) range.first(), (int) range.length());
        }
        body.writeBytes(HttpRanges.closingDelimiter(boundary).getBytes(StandardCharsets.US_ASCII));

        assertEquals(HttpRanges.multipartLength(partial.ranges(), contentType, content.length, boundary), body.size());
        // And the body is what §14.6 describes: each part's bytes right after its headers.
        byte[] written = body.toByteArray();
        int at = 0;
        for (ByteRange range : partial.ranges()) {
            String head = "\r\n--" + boundary + "\r\nContent-Type: " + contentType + "\r\nContent-Range: bytes "
                    + range.first() + "-" + range.last() + "/10000\r\n\r\n";
            assertEquals(head, new String(written, at, head.length(), StandardCharsets.US_ASCII));
            at += head.length();
            assertArrayEquals(Arrays.copyOfRange(content, (int) range.first(), (int) range.last() + 1),
                    Arrays.copyOfRange(written, at, at + (int) range.length()));
            at += (int) range.length();
        }
        assertEquals("\r\n--" + boundary + "--\r\n", new String(written, at, written.length - at, StandardCharsets.US_ASCII));
    }

    @Test
    void boundariesAreRandomAndSafe() {
        String one = HttpRanges.boundary();
        String two = HttpRanges.boundary();
        assertNotEquals(one, two);
        assertTrue(one.matches("[0-9a-f]{32}"), one);
        assertEquals("multipart/byteranges; boundary=" + one, HttpRanges.multipartContentType(one));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain\r\nX-Injected: 1", "text/plain\nContent-Range: bytes 0-0/1", "text/plain; name=é", "", " "})
    void partHeaderRefusesAContentTypeThatCouldBreakTheHeaders(String contentType) {
        assertThrows(IllegalArgumentException.class,
                () -> HttpRanges.partHeader(HttpRanges.boundary(), contentType, new ByteRange(0, 0), 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nb", "has space", "", "x--", "quoted\"", "é"})
    void partHeaderRefusesABadBoundary(String boundary) {
        assertThrows(IllegalArgumentException.class,
                () -> HttpRanges.partHeader(boundary, "text/plain", new ByteRange(0, 0), 1));
    }

    @ParameterizedTest(name = "[{index}] {0}-{1} of {2}")
    @CsvSource({
            "0, 0, 1, 1, bytes 0-0/1",
            "0, 499, 10000, 500, bytes 0-499/10000",
            "9500, 9999, 10000, 500, bytes 9500-9999/10000",
            "0, 9223372036854775806, 9223372036854775807, 9223372036854775807, bytes 0-9223372036854775806/9223372036854775807"})
    void byteRangeKnowsItsLengthAndContentRange(long first, long last, long total, long length, String contentRange) {
        ByteRange range = new ByteRange(first, last);
        assertEquals(length, range.length());
        assertEquals(contentRange, range.contentRange(total));
    }

    @ParameterizedTest
    @CsvSource({"-1, 0", "5, 4"})
    void byteRangeRefusesNonsense(long first, long last) {
        assertThrows(IllegalArgumentException.class, () -> new ByteRange(first, last));
    }

    @Test
    void unsatisfiableNamesTheLength() {
        assertEquals("bytes */42", new Unsatisfiable(42).contentRange());
    }

    @Test
    void aSingleRangeIsNotMultipart() {
        Partial partial = assertInstanceOf(Partial.class, HttpRanges.plan("bytes=0-0", 10));
        assertEquals(List.of(new ByteRange(0, 0)), partial.ranges());
        assertFalse(partial.multipart());
    }

    @Test
    void aNegativeLengthIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> HttpRanges.plan("bytes=0-0", -1));
    }

    /** {@code count} one-byte ranges, {@code step} bytes apart, in descending order to exercise the sort. */
    private static String ranges(int count, int step) {
        return IntStream.iterate(count - 1, i -> i >= 0, i -> i - 1)
                .mapToObj(i -> i * step + "-" + i * step)
                .collect(Collectors.joining(",", "bytes=", ""));
    }

    private static String describe(Plan plan, long length) {
        if (plan instanceof Full) {
            return "200";
        }
        if (plan instanceof Unsatisfiable unsatisfiable) {
            return "416 " + unsatisfiable.contentRange();
        }
        return ((Partial) plan).ranges().stream()
                .map(range -> range.contentRange(length))
                .collect(Collectors.joining(", ", "206 ", ""));
    }
}

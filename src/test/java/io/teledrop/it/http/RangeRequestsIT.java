package io.teledrop.it.http;

import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ranges and conditional requests through the deployed servlet, as a table: request headers in, status,
 * Content-Range and body bytes out (the parsing rules themselves are unit-tested in HttpRangesTest and
 * PreconditionsTest; this checks the wiring and the bytes).
 */
@ExtendWith(ArquillianExtension.class)
class RangeRequestsIT {

    private static final int SIZE = 10_000;
    private static final byte[] CONTENT = randomBytes(SIZE, 77);

    private final TeledropClient client = new TeledropClient();
    private String url;
    private String etag;
    private String lastModified;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @BeforeEach
    void upload() {
        url = json(client.put("data.bin", CONTENT)).getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        HttpResponse<byte[]> head = client.sendForBytes(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        etag = head.headers().firstValue("ETag").orElseThrow();
        lastModified = head.headers().firstValue("Last-Modified").orElseThrow();
        assertEquals("bytes", head.headers().firstValue("Accept-Ranges").orElseThrow());
    }

    private HttpResponse<byte[]> get(String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.sendForBytes(request.build());
    }

    @ParameterizedTest(name = "Range: {0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "bytes=0-499        | 206 | bytes 0-499/10000    | 0    | 500",
            "bytes=9500-        | 206 | bytes 9500-9999/10000 | 9500 | 10000",
            "bytes=-500         | 206 | bytes 9500-9999/10000 | 9500 | 10000",
            "bytes=9000-20000   | 206 | bytes 9000-9999/10000 | 9000 | 10000",
            "BYTES=1-1          | 206 | bytes 1-1/10000      | 1    | 2",
            "bytes=-20000       | 206 | bytes 0-9999/10000   | 0    | 10000",
            "bytes=a-b          | 200 |                      | 0    | 10000",
            "items=0-10         | 200 |                      | 0    | 10000",
            "bytes=0-,0-,0-     | 200 |                      | 0    | 10000",
    })
    void singleRangesAndIgnoredHeaders(String range, int status, String contentRange, int from, int to) {
        HttpResponse<byte[]> response = get("Range", range);

        assertEquals(status, response.statusCode());
        assertEquals(contentRange == null ? "" : contentRange, response.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(CONTENT, from, to), response.body());
        assertEquals(String.valueOf(to - from), response.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void unsatisfiableRangeAnswers416WithTheLength() {
        HttpResponse<byte[]> response = get("Range", "bytes=10000-10010");

        assertEquals(416, response.statusCode());
        assertEquals("bytes */10000", response.headers().firstValue("Content-Range").orElseThrow());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
    }

    @Test
    void severalRangesComeAsMultipartByteranges() {
        HttpResponse<byte[]> response = get("Range", "bytes=0-9,5000-5009");

        assertEquals(206, response.statusCode());
        String type = response.headers().firstValue("Content-Type").orElseThrow();
        assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
        String boundary = type.substring(type.indexOf('=') + 1);
        assertEquals(String.valueOf(response.body().length), response.headers().firstValue("Content-Length").orElseThrow());
        String body = new String(response.body(), StandardCharsets.ISO_8859_1);
        assertTrue(body.contains("Content-Range: bytes 0-9/10000\r\n\r\n" + new String(CONTENT, 0, 10, StandardCharsets.ISO_8859_1)), body);
        assertTrue(body.contains("Content-Range: bytes 5000-5009/10000\r\n\r\n" + new String(CONTENT, 5000, 10, StandardCharsets.ISO_8859_1)));
        assertTrue(body.endsWith("\r\n--" + boundary + "--\r\n"));
    }

    @Test
    void conditionalRequestsFollowRfc9110() {
        assertEquals(304, get("If-None-Match", etag).statusCode());
        assertEquals(200, get("If-None-Match", "\"other\"").statusCode());
        assertEquals(200, get("If-Match", etag).statusCode());
        assertEquals(412, get("If-Match", "\"other\"").statusCode());
        assertEquals(304, get("If-Modified-Since", lastModified).statusCode());
        String earlier = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusDays(1));
        assertEquals(412, get("If-Unmodified-Since", earlier).statusCode());
        assertEquals(200, get("If-Modified-Since", earlier).statusCode());
        // If-None-Match wins over If-Modified-Since (§13.2.2): a different tag means "send it".
        assertEquals(200, get("If-None-Match", "\"other\"", "If-Modified-Since", lastModified).statusCode());
        HttpResponse<byte[]> notModified = get("If-None-Match", etag);
        assertEquals(etag, notModified.headers().firstValue("ETag").orElseThrow());
        assertEquals(0, notModified.body().length);
    }

    @Test
    void ifRangeWithAStaleValidatorSendsTheWholeFile() {
        HttpResponse<byte[]> fresh = get("Range", "bytes=0-9", "If-Range", etag);
        HttpResponse<byte[]> stale = get("Range", "bytes=0-9", "If-Range", "\"old\"");
        HttpResponse<byte[]> byDate = get("Range", "bytes=0-9", "If-Range", lastModified);

        assertEquals(206, fresh.statusCode());
        assertEquals(200, stale.statusCode());
        assertArrayEquals(CONTENT, stale.body());
        assertEquals(206, byDate.statusCode());
    }
}

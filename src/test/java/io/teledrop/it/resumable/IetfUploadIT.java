package io.teledrop.it.resumable;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.randomBytes;
import static io.teledrop.it.TeledropClient.runClient;
import static io.teledrop.it.TeledropClient.sha256;
import static io.teledrop.it.resumable.Resumable.IETF_BYTES;
import static io.teledrop.it.resumable.Resumable.header;
import static io.teledrop.it.resumable.Resumable.offsetOf;
import static io.teledrop.it.resumable.Resumable.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The IETF's Resumable Uploads for HTTP by hand, in interop version 6 (Apple's URLSession, tus-js-client's
 * ietf-draft-05) and 8 (the newest draft), and with curl: {@code curl -T} plus one header.
 */
@ExtendWith(ArquillianExtension.class)
class IetfUploadIT {

    private final Resumable ietf = new Resumable();
    private final TeledropClient client = ietf.client;

    @TempDir
    Path temp;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private HttpResponse<String> create(String interop, byte[] body, boolean complete, String... headers) {
        return create(interop, body, complete ? "?1" : "?0", headers);
    }

    private HttpResponse<String> create(String interop, byte[] body, String complete, String... headers) {
        HttpRequest.Builder request = client.request("api/uploads").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Upload-Draft-Interop-Version", interop).header("Upload-Complete", complete);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build());
    }

    private HttpResponse<String> append(String interop, URI upload, long offset, byte[] bytes, boolean complete) {
        return client.send(HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(60))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)).header("Upload-Draft-Interop-Version", interop)
                .header("Upload-Offset", Long.toString(offset)).header("Upload-Complete", complete ? "?1" : "?0")
                .header("Content-Type", IETF_BYTES).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"6", "8"})
    void anUploadInPiecesAnsweredAsEachVersionAsks(String interop) {
        byte[] bytes = randomBytes(1_500_000, 30);
        HttpResponse<String> created = create(interop, slice(bytes, 0, 500_000), false, "Upload-Length", Integer.toString(bytes.length));
        assertEquals(201, created.statusCode(), created.body());
        URI upload = URI.create(header(created, "Location"));
        assertEquals("?0", header(created, "Upload-Complete"));
        assertEquals(500_000, offsetOf(created));
        assertEquals(interop, header(created, "Upload-Draft-Interop-Version"));
        assertTrue(header(created, "Upload-Limit").contains(interop.equals("6") ? "expires=" : "max-age="), header(created, "Upload-Limit"));
        assertTrue(created.headers().firstValue("Teledrop-Delete-Token").isPresent());

        HttpResponse<String> head = ietf.head(upload, "Upload-Draft-Interop-Version", interop);
        assertEquals(204, head.statusCode());
        assertEquals(500_000, offsetOf(head));
        assertEquals("?0", header(head, "Upload-Complete"));
        assertEquals(Integer.toString(bytes.length), header(head, "Upload-Length"));
        assertEquals("no-store", header(head, "Cache-Control"));
        assertTrue(header(head, "Upload-Limit").contains("max-size="));

        HttpResponse<String> middle = append(interop, upload, 500_000, slice(bytes, 500_000, 1_000_000), false);
        assertEquals(204, middle.statusCode(), middle.body());
        assertEquals("?0", header(middle, "Upload-Complete"));
        assertEquals(1_000_000, offsetOf(middle));

        HttpResponse<String> mismatch = append(interop, upload, 999, new byte[10], false);
        assertEquals(409, mismatch.statusCode());
        assertEquals(1_000_000, offsetOf(mismatch));
        JsonObject problem = json(mismatch);
        assertEquals("https://iana.org/assignments/http-problem-types#mismatching-upload-offset", problem.getString("type"));
        assertEquals(1_000_000, problem.getJsonNumber("expected-offset").longValue());

        HttpResponse<String> last = append(interop, upload, 1_000_000, slice(bytes, 1_000_000, bytes.length), true);
        assertEquals(200, last.statusCode(), last.body());
        assertEquals("?1", header(last, "Upload-Complete"));
        JsonObject answer = json(last);
        assertEquals(sha256(bytes), answer.getJsonObject("file").getString("sha256"));
        assertEquals(sha256(bytes), header(last, "Teledrop-Sha256"));
        assertArrayEquals(bytes, client.download(answer.getJsonObject("file").getString("url")).body());
        assertEquals("?1", header(ietf.head(upload, "Upload-Draft-Interop-Version", interop), "Upload-Complete"));
    }

    @Test
    void curlPutWithOneHeaderIsResumable() throws Exception {
        byte[] bytes = randomBytes(800_000, 31);
        Path file = Files.write(temp.resolve("report.pdf.bin"), bytes);
        String headers = runClient("curl", "-sS", "-D", "-", "-o", temp.resolve("body.json").toString(), "-T", file.toString(),
                "-H", "Upload-Complete: ?1", TeledropClient.BASE + "api/uploads/report.bin");
        assertTrue(headers.startsWith("HTTP/1.1 100") || headers.startsWith("HTTP/1.1 201"), headers);
        assertTrue(headers.contains("Upload-Complete: ?1"), headers);
        assertTrue(headers.contains("Teledrop-Sha256: " + sha256(bytes)), headers);
        String body = Files.readString(temp.resolve("body.json"));
        assertTrue(body.contains("\"name\":\"report.bin\""), body);
    }

    @Test
    void anEmptyCreationThenAppendsWithoutAKnownLength() {
        byte[] bytes = randomBytes(300_000, 32);
        HttpResponse<String> created = create("8", new byte[0], false);
        assertEquals(201, created.statusCode(), created.body());
        URI upload = URI.create(header(created, "Location"));
        assertTrue(ietf.head(upload, "Upload-Draft-Interop-Version", "8").headers().firstValue("Upload-Length").isEmpty());
        assertEquals(204, append("8", upload, 0, slice(bytes, 0, 100_000), false).statusCode());
        HttpResponse<String> last = append("8", upload, 100_000, slice(bytes, 100_000, bytes.length), true);
        assertEquals(200, last.statusCode(), last.body());
        assertEquals(sha256(bytes), header(last, "Teledrop-Sha256"));
    }

    @Test
    void refusals() {
        HttpResponse<String> unknownVersion = create("2", new byte[0], false);
        assertProblem(unknownVersion, 400, "urn:teledrop:problem:bad-request");
        HttpResponse<String> created = create("8", new byte[0], false, "Upload-Length", "100");
        URI upload = URI.create(header(created, "Location"));
        HttpResponse<String> wrongType = client.send(HttpRequest.newBuilder(upload).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                .header("Upload-Draft-Interop-Version", "8").header("Upload-Offset", "0").header("Upload-Complete", "?0")
                .header("Content-Type", "application/offset+octet-stream").build());
        assertProblem(wrongType, 415, "urn:teledrop:problem:unsupported-media-type");
        HttpResponse<String> noComplete = client.send(HttpRequest.newBuilder(upload).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                .header("Upload-Draft-Interop-Version", "8").header("Upload-Offset", "0").header("Content-Type", IETF_BYTES).build());
        assertProblem(noComplete, 400, "urn:teledrop:problem:invalid-input");
        assertProblem(append("8", upload, 0, new byte[10], true), 400, "urn:teledrop:problem:inconsistent-upload-length");
        assertProblem(create("8", new byte[5], true, "Upload-Length", "6"), 400, "urn:teledrop:problem:inconsistent-upload-length");
        HttpResponse<String> badBoolean = create("8", new byte[0], "yes");
        assertEquals(400, badBoolean.statusCode());
        assertEquals(0, offsetOf(ietf.head(upload, "Upload-Draft-Interop-Version", "8")), "no refusal kept a byte");

        assertEquals(204, ietf.delete(upload, "Upload-Draft-Interop-Version", "8").statusCode());
        assertEquals(404, ietf.head(upload, "Upload-Draft-Interop-Version", "8").statusCode());
    }
}

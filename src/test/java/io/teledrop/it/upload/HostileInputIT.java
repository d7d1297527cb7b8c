package io.teledrop.it.upload;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.blobCount;
import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.leftoverTempFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input not covered by the feature suites: clients that vanish mid-upload, slugs built to break
 * SQL or memory, lookups of absurd names. Each case checks the answer and that nothing is left behind.
 * docs/security.md lists every hostile case of the test suite with the threat it covers.
 */
@ExtendWith(ArquillianExtension.class)
class HostileInputIT {

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void aClientThatDisconnectsMidPutLeavesNoFileBehind() throws Exception {
        long before = blobCount();
        sendAndHangUp("PUT /api/uploads/partial.bin HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000000\r\n\r\n", 1_000_000);

        waitUntilNoTempFiles();
        assertEquals(before, blobCount());
    }

    @Test
    void aClientThatDisconnectsMidMultipartLeavesNoFileBehind() throws Exception {
        long before = blobCount();
        String head = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.bin\"\r\n\r\n";
        sendAndHangUp("POST /api/uploads HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                + "Content-Length: 5000000\r\n\r\n" + head, 1_000_000);

        waitUntilNoTempFiles();
        assertEquals(before, blobCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"x'; DROP TABLE drops;--", "a\" OR \"1\"=\"1", "%27%20OR%201=1", "slug;rm -rf"})
    void sqlLookingSlugsAreRefusedAndTheTableSurvives(String slug) {
        long before = blobCount();

        assertProblem(client.put("x.txt", new byte[] {1}, "Teledrop-Slug", slug), 400, "urn:teledrop:problem:invalid-input");

        assertEquals(before, blobCount());
        assertEquals(201, client.put("after.txt", new byte[] {1}).statusCode());
    }

    @Test
    void aTenThousandCharacterSlugIsRefusedBothWays() {
        String slug = "a".repeat(10_000);

        assertProblem(client.put("x.txt", new byte[] {1}, "Teledrop-Slug", slug), 400, "urn:teledrop:problem:invalid-input");
        HttpResponse<String> lookup = client.send(client.request("api/drops/" + slug).GET().build());
        assertEquals(404, lookup.statusCode());
    }

    @Test
    void slugsThatLookLikePathsNeverReachTheDisk() {
        for (String path : new String[] {"d/..%2F..%2Fetc", "d/%2e%2e/%2e%2e/etc/passwd", "api/drops/..%2Fkeys"}) {
            HttpResponse<String> response = client.send(client.request(path).GET().build());
            assertTrue(response.statusCode() == 400 || response.statusCode() == 404, path + " -> " + response.statusCode());
            assertTrue(!response.body().contains("root:"), path);
        }
    }

    @Test
    void anOversizedFieldIsRefused() {
        long before = blobCount();
        HttpResponse<String> response = client.postMultipart(new TeledropClient.Multipart()
                .field("title", "t".repeat(9000)).file("file", "x.txt", "text/plain", new byte[] {1}));

        JsonAssert.field(assertProblem(response, 400, "urn:teledrop:problem:invalid-input"), "title");
        assertEquals(before, blobCount());
    }

    /** A browser's own field (Faces view state) is skipped unread; other unknown fields are refused (HostileInputsIT). */
    @Test
    void aBrowsersOwnFieldIsIgnoredWhateverItsSize() {
        HttpResponse<String> response = client.postMultipart(new TeledropClient.Multipart()
                .field("jakarta.faces.ViewState", "c".repeat(100_000)).field("title", "kept").file("file", "x.txt", "text/plain", new byte[] {1}));

        assertEquals(201, response.statusCode(), response.body());
        assertEquals("kept", json(response).getString("title"));
    }

    @Test
    void executablesAreRecognisedByTheirBytesWhateverTheirName() {
        byte[] windowsExe = new byte[4096];
        windowsExe[0] = 'M';
        windowsExe[1] = 'Z';
        byte[] script = "#!/bin/sh\nrm -rf ~\n".getBytes(StandardCharsets.UTF_8);
        long before = blobCount();

        assertProblem(client.put("holiday.jpg", windowsExe), 415, "urn:teledrop:problem:type-not-allowed");
        assertProblem(client.postMultipart(new TeledropClient.Multipart().file("file", "notes.txt", "text/plain", script)),
                415, "urn:teledrop:problem:type-not-allowed");

        assertEquals(before, blobCount());
        assertEquals(0, leftoverTempFiles());
    }

    @Test
    void contentTypesComeFromTheBytes() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

        String type = json(client.put("not-an-image.txt", png)).getJsonArray("files").getJsonObject(0).getString("contentType");

        assertEquals("image/png", type);
    }

    @Test
    void aDropCannotGrowPastItsSizeLimit() {
        jakarta.json.JsonObject drop = json(client.put("big.bin", new byte[7 * 1024 * 1024]));
        long before = blobCount();

        HttpResponse<String> more = client.put("more.bin", new byte[6 * 1024 * 1024], "Teledrop-Drop", drop.getString("slug"),
                "Teledrop-Delete-Token", drop.getString("deleteToken"));

        assertProblem(more, 413, "urn:teledrop:problem:drop-too-large");
        assertEquals(before, blobCount());
        assertEquals(1, json(client.send(client.request("api/drops/" + drop.getString("slug")).GET().build())).getJsonArray("files").size());
    }

    /** Sends the headers and part of the promised body, then closes the connection. */
    private static void sendAndHangUp(String head, int bodyBytes) throws IOException {
        try (Socket socket = new Socket(TeledropClient.BASE.getHost(), TeledropClient.BASE.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[bodyBytes]);
            out.flush();
        }
    }

    /** The server notices the hang-up when its read fails; give it a few seconds. */
    private static void waitUntilNoTempFiles() throws InterruptedException {
        for (int i = 0; i < 100 && leftoverTempFiles() > 0; i++) {
            Thread.sleep(100);
        }
        Thread.sleep(500);
        assertEquals(0, leftoverTempFiles(), "temp files left after a client hung up");
    }

    /** Reads the field of the first error in a problem. */
    private static final class JsonAssert {
        static void field(jakarta.json.JsonObject problem, String expected) {
            assertEquals(expected, problem.getJsonArray("errors").getJsonObject(0).getString("field"));
        }
    }
}

package io.teledrop.it.upload;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.MAX_FILES;
import static io.teledrop.it.TeledropClient.CONTAINER_MULTIPART;
import static io.teledrop.it.TeledropClient.MAX_FILE_SIZE;
import static io.teledrop.it.TeledropClient.blobCount;
import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.leftoverTempFiles;
import static io.teledrop.it.TeledropClient.randomBytes;
import static io.teledrop.it.TeledropClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient.Multipart;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Uploads through the real server, checked from the outside: status, headers, JSON, bytes and what is on disk. */
@ExtendWith(ArquillianExtension.class)
class UploadIT {

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void multipartUploadOfSeveralFilesDownloadsByteExact() {
        byte[] small = "hello, teledrop\n".getBytes(StandardCharsets.UTF_8);
        byte[] medium = randomBytes(1_234_567, 1);
        byte[] empty = new byte[0];
        long blobsBefore = blobCount();

        HttpResponse<String> response = client.postMultipart(new Multipart()
                .field("title", "Quarterly numbers")
                .field("description", "Three files")
                .file("file", "notes.txt", "text/plain", small)
                .file("file", "data.bin", "application/octet-stream", medium)
                .file("file", "empty.txt", "text/plain", empty));

        assertEquals(201, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
        JsonObject drop = json(response);
        String slug = drop.getString("slug");
        assertEquals(TeledropClient.BASE + "d/" + slug, drop.getString("url"));
        assertEquals(drop.getString("url"), response.headers().firstValue("Location").orElseThrow());
        assertEquals("Quarterly numbers", drop.getString("title"));
        assertEquals(43, drop.getString("deleteToken").length());
        assertEquals(drop.getString("deleteToken"), response.headers().firstValue("Teledrop-Delete-Token").orElseThrow());
        JsonArray files = drop.getJsonArray("files");
        assertEquals(3, files.size());
        byte[][] contents = {small, medium, empty};
        String[] names = {"notes.txt", "data.bin", "empty.txt"};
        for (int i = 0; i < 3; i++) {
            JsonObject file = files.getJsonObject(i);
            assertEquals(names[i], file.getString("name"));
            assertEquals(contents[i].length, file.getJsonNumber("size").longValue());
            assertEquals(sha256(contents[i]), file.getString("sha256"));
            HttpResponse<byte[]> download = client.download(file.getString("downloadUrl"));
            assertEquals(200, download.statusCode());
            assertArrayEquals(contents[i], download.body());
            assertEquals(String.valueOf(contents[i].length), download.headers().firstValue("Content-Length").orElseThrow());
            assertEquals("attachment; filename=\"" + names[i] + "\"; filename*=UTF-8''" + names[i],
                    download.headers().firstValue("Content-Disposition").orElseThrow());
            assertEquals("nosniff", download.headers().firstValue("X-Content-Type-Options").orElseThrow());
        }
        assertEquals("text/plain", files.getJsonObject(0).getString("contentType"));
        assertEquals(blobsBefore + 3, blobCount());
        assertEquals(0, leftoverTempFiles());
    }

    @Test
    void contentTypeComesFromTheNameNotFromTheClientsClaim() {
        HttpResponse<String> response = client.postMultipart(new Multipart()
                .file("file", "page.html", "image/png", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8)));

        assertEquals(201, response.statusCode(), response.body());
        JsonObject file = json(response).getJsonArray("files").getJsonObject(0);
        assertEquals("text/html", file.getString("contentType"));
        HttpResponse<byte[]> download = client.download(file.getString("downloadUrl"));
        assertTrue(download.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
        assertTrue(download.headers().firstValue("Content-Security-Policy").orElseThrow().contains("default-src 'none'"));
    }

    @Test
    void hostileFilenameIsStoredWithoutItsPath() {
        HttpResponse<String> response = client.postMultipart(new Multipart()
                .file("file", "../../etc/passwd", "text/plain", "root:x:0:0".getBytes(StandardCharsets.UTF_8)));

        assertEquals(201, response.statusCode(), response.body());
        assertEquals("passwd", json(response).getJsonArray("files").getJsonObject(0).getString("name"));
    }

    @Test
    void rawPutStoresTheBodyAndAnswersJson() {
        byte[] body = randomBytes(300_000, 2);

        HttpResponse<String> response = client.put("report%20final.pdf", body, "Teledrop-Title", "Report");

        assertEquals(201, response.statusCode(), response.body());
        JsonObject drop = json(response);
        assertEquals("Report", drop.getString("title"));
        JsonObject file = drop.getJsonArray("files").getJsonObject(0);
        assertEquals("report final.pdf", file.getString("name"));
        assertEquals("application/pdf", file.getString("contentType"));
        assertEquals(sha256(body), file.getString("sha256"));
        assertTrue(file.getString("downloadUrl").endsWith("/report%20final.pdf"), file.getString("downloadUrl"));
        HttpResponse<byte[]> download = client.download(file.getString("downloadUrl"));
        assertArrayEquals(body, download.body());
        assertEquals("application/pdf", download.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("\"" + sha256(body) + "\"", download.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void rawPutWithAcceptTextPlainAnswersJustTheDownloadLink() {
        byte[] body = "plain answer".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = client.put("a.txt", body, "Accept", "text/plain");

        assertEquals(201, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        String link = response.body().strip();
        assertTrue(link.startsWith(TeledropClient.BASE + "d/") && link.endsWith("/a.txt"), link);
        assertNotNull(response.headers().firstValue("Teledrop-Delete-Url").orElse(null));
        assertArrayEquals(body, client.download(link).body());
    }

    @Test
    void chosenSlugIsUsedCaseInsensitivelyAndATakenOneAnswers409() {
        String slug = "Team-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> first = client.put("one.txt", new byte[] {1}, "Teledrop-Slug", slug);
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(slug.toLowerCase(), json(first).getString("slug"));
        long blobsBefore = blobCount();

        HttpResponse<String> again = client.put("two.txt", new byte[] {2}, "Teledrop-Slug", slug.toLowerCase());
        HttpResponse<String> againMultipart = client.postMultipart(new Multipart().field("slug", slug)
                .file("file", "three.txt", "text/plain", new byte[] {3}));

        for (HttpResponse<String> conflict : new HttpResponse[] {again, againMultipart}) {
            assertProblem(conflict, 409, "urn:teledrop:problem:slug-taken");
        }
        assertEquals(blobsBefore, blobCount());
        assertEquals(0, leftoverTempFiles());
        HttpResponse<String> lookup = client.send(client.request("api/drops/" + slug.toUpperCase()).GET().build());
        assertEquals(200, lookup.statusCode());
        assertEquals("one.txt", json(lookup).getJsonArray("files").getJsonObject(0).getString("name"));
    }

    @Test
    void aTakenSlugSentBeforeTheFileIsRefusedBeforeTheFileHasArrived() throws Exception {
        String slug = "early-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, client.put("one.txt", new byte[] {1}, "Teledrop-Slug", slug).statusCode());
        long blobsBefore = blobCount();
        String head = "POST /api/uploads HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                + "Content-Length: " + MAX_FILE_SIZE + "\r\n\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"slug\"\r\n\r\n" + slug + "\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n";
        byte[] headBytes = head.substring(head.indexOf("--b")).getBytes(StandardCharsets.ISO_8859_1);
        String tail = "\r\n--b--\r\n";

        try (Socket socket = new Socket(TeledropClient.BASE.getHost(), TeledropClient.BASE.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (CONTAINER_MULTIPART) {
                // The container reads the whole body before the servlet sees a field: the same answer, once it has all.
                out.write(new byte[(int) (MAX_FILE_SIZE - headBytes.length - tail.length())]);
                out.write(tail.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write(new byte[100_000]); // of the megabytes promised: the answer must not wait for the rest
            }
            out.flush();

            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);

            assertEquals("HTTP/1.1 409", answer);
        }
        assertEquals(blobsBefore, blobCount());
        assertEquals(0, leftoverTempFiles());
    }

    @Test
    void invalidSlugIsRefusedWithTheFieldNamed() {
        HttpResponse<String> response = client.put("x.txt", new byte[] {1}, "Teledrop-Slug", "../../etc");

        JsonObject problem = assertProblem(response, 400, "urn:teledrop:problem:invalid-input");
        assertEquals("slug", problem.getJsonArray("errors").getJsonObject(0).getString("field"));
    }

    @Test
    void putDeclaringMoreThanTheLimitIsRefusedBeforeTheBodyIsRead() {
        long blobsBefore = blobCount();
        HttpRequest request = client.request("api/uploads/big.bin")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> TeledropClient.zeros(MAX_FILE_SIZE + 1)), MAX_FILE_SIZE + 1))
                .build();

        assertProblem(client.send(request), 413, "urn:teledrop:problem:payload-too-large");
        assertEquals(blobsBefore, blobCount());
        assertEquals(0, leftoverTempFiles());
    }

    @Test
    void chunkedPutGrowingPastTheLimitIsRefusedAndLeavesNothing() {
        long blobsBefore = blobCount();
        HttpRequest request = client.request("api/uploads/big.bin")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> TeledropClient.zeros(MAX_FILE_SIZE + 1)))
                .build();

        assertProblem(client.send(request), 413, "urn:teledrop:problem:payload-too-large");
        assertEquals(blobsBefore, blobCount());
        assertEquals(0, leftoverTempFiles());
    }

    @Test
    void putOfExactlyTheLimitIsAccepted() {
        HttpRequest request = client.request("api/uploads/exact.bin")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> TeledropClient.zeros(MAX_FILE_SIZE)))
                .build();

        HttpResponse<String> response = client.send(request);

        assertEquals(201, response.statusCode(), response.body());
        assertEquals(MAX_FILE_SIZE, json(response).getJsonArray("files").getJsonObject(0).getJsonNumber("size").longValue());
    }

    @Test
    void multipartFileOverTheLimitIsRefusedAndLeavesNothing() {
        long blobsBefore = blobCount();

        HttpResponse<String> response = client.postMultipart(new Multipart()
                .file("file", "ok.txt", "text/plain", new byte[] {1})
                .file("file", "big.bin", "application/octet-stream", new byte[(int) MAX_FILE_SIZE + 1]));

        assertProblem(response, 413, "urn:teledrop:problem:payload-too-large");
        assertEquals(blobsBefore, blobCount());
        assertEquals(0, leftoverTempFiles());
    }

    @Test
    void moreFilesThanADropMayHoldAnswers413() {
        Multipart body = new Multipart();
        for (int i = 0; i <= MAX_FILES; i++) {
            body.file("file", "f" + i + ".txt", "text/plain", new byte[] {(byte) i});
        }
        long blobsBefore = blobCount();

        assertProblem(client.postMultipart(body), 413, "urn:teledrop:problem:too-many-files");
        assertEquals(blobsBefore, blobCount());
        assertEquals(0, leftoverTempFiles());
    }

    @Test
    void malformedMultipartAnswers400() {
        HttpRequest request = client.request("api/uploads")
                .header("Content-Type", "multipart/form-data; boundary=abc")
                .POST(HttpRequest.BodyPublishers.ofString("--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\ntruncated"))
                .build();

        assertProblem(client.send(request), 400, "urn:teledrop:problem:malformed-multipart");
        assertEquals(0, leftoverTempFiles());
    }

    @Test
    void multipartWithoutAFileAnswers400() {
        assertProblem(client.postMultipart(new Multipart().field("title", "no files here")), 400, "urn:teledrop:problem:no-files");
    }

    @Test
    void emptyMultipartBodyAnswers400() {
        HttpRequest request = client.request("api/uploads")
                .header("Content-Type", "multipart/form-data; boundary=abc")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();

        HttpResponse<String> response = client.send(request);

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
    }

    @Test
    void postThatIsNotMultipartAnswers415() {
        HttpRequest request = client.request("api/uploads")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();

        assertProblem(client.send(request), 415, "urn:teledrop:problem:unsupported-media-type");
    }

    @Test
    void putWithoutAFilenameAnswers400() {
        HttpRequest request = client.request("api/uploads").PUT(HttpRequest.BodyPublishers.ofString("x")).build();

        JsonObject problem = assertProblem(client.send(request), 400, "urn:teledrop:problem:invalid-input");
        assertEquals("filename", problem.getJsonArray("errors").getJsonObject(0).getString("field"));
    }

    @Test
    void getOnTheUploadEndpointAnswers405WithAllow() {
        HttpResponse<String> response = client.send(client.request("api/uploads").GET().build());

        assertProblem(response, 405, "urn:teledrop:problem:method-not-allowed");
        assertEquals("POST, PUT, OPTIONS", response.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void deleteWithTheTokenRemovesRowAndBlobs() {
        HttpResponse<String> created = client.put("gone.txt", "bye".getBytes(StandardCharsets.UTF_8));
        JsonObject drop = json(created);
        String slug = drop.getString("slug");
        String downloadUrl = drop.getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        long blobsBefore = blobCount();

        HttpResponse<String> missing = client.send(client.request("api/drops/" + slug).DELETE().build());
        HttpResponse<String> wrong = client.send(client.request("api/drops/" + slug).header("Teledrop-Delete-Token", "nope").DELETE().build());
        assertProblem(missing, 401, "urn:teledrop:problem:authentication-required");
        assertTrue(missing.headers().firstValue("WWW-Authenticate").isPresent());
        assertProblem(wrong, 403, "urn:teledrop:problem:forbidden");
        assertEquals(200, client.download(downloadUrl).statusCode());

        HttpResponse<String> deleted = client.send(client.request("api/drops/" + slug)
                .header("Teledrop-Delete-Token", drop.getString("deleteToken")).DELETE().build());

        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals(blobsBefore - 1, blobCount());
        assertEquals(404, client.download(downloadUrl).statusCode());
        assertProblem(client.send(client.request("api/drops/" + slug).GET().build()), 404, "urn:teledrop:problem:not-found");
        assertProblem(client.send(client.request("api/drops/" + slug).header("Teledrop-Delete-Token", drop.getString("deleteToken")).DELETE().build()),
                404, "urn:teledrop:problem:not-found");
    }

    @Test
    void deleteLinkWithTheTokenInTheQueryWorks() {
        JsonObject drop = json(client.put("q.txt", new byte[] {7}));

        HttpResponse<String> deleted = client.send(HttpRequest.newBuilder(
                java.net.URI.create(drop.getString("deleteUrl") + "?token=" + drop.getString("deleteToken"))).DELETE().build());

        assertEquals(204, deleted.statusCode(), deleted.body());
    }

    @Test
    void unknownDropAnswers404AsProblemAndAsPageForBrowsers() {
        assertProblem(client.send(client.request("d/nosuchdrop").GET().build()), 404, "urn:teledrop:problem:not-found");

        HttpResponse<String> page = client.send(client.request("d/nosuchdrop").header("Accept", "text/html,application/xhtml+xml").GET().build());

        assertEquals(404, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(page.body().contains("There is no drop here") && page.body().contains("No drop is called “nosuchdrop”"), page.body());
    }
}

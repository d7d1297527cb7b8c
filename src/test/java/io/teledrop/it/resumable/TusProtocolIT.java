package io.teledrop.it.resumable;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.MAX_FILE_SIZE;
import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.randomBytes;
import static io.teledrop.it.TeledropClient.sha256;
import static io.teledrop.it.resumable.Resumable.TUS;
import static io.teledrop.it.resumable.Resumable.TUS_BYTES;
import static io.teledrop.it.resumable.Resumable.header;
import static io.teledrop.it.resumable.Resumable.metadata;
import static io.teledrop.it.resumable.Resumable.offsetOf;
import static io.teledrop.it.resumable.Resumable.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** tus 1.0.0 by hand: every header and status the protocol and its extensions promise, and every refusal. */
@ExtendWith(ArquillianExtension.class)
class TusProtocolIT {

    private final Resumable tus = new Resumable();
    private final TeledropClient client = tus.client;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void optionsTellTheVersionExtensionsAndLimits() {
        HttpResponse<String> options = client.send(client.request("api/uploads").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());

        assertEquals(204, options.statusCode());
        assertEquals(TUS, header(options, "Tus-Resumable"));
        assertEquals("1.0.0", header(options, "Tus-Version"));
        assertEquals(List.of("creation", "creation-with-upload", "creation-defer-length", "expiration", "checksum", "termination"),
                List.of(header(options, "Tus-Extension").split(",")));
        assertEquals(Long.toString(MAX_FILE_SIZE), header(options, "Tus-Max-Size"));
        assertTrue(List.of(header(options, "Tus-Checksum-Algorithm").split(",")).contains("sha256"));
    }

    @Test
    void piecesBecomeOneFileOnlyWhenComplete() {
        byte[] bytes = randomBytes(3_000_000, 17);
        String sent = metadata(new java.util.LinkedHashMap<>(Map.of("filename", "pieces.bin"))) + "," + metadata(Map.of("title", "In pieces"));
        HttpResponse<String> created = tus.tusCreate(bytes.length, sent + ",flag");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(TUS, header(created, "Tus-Resumable"));
        URI upload = URI.create(header(created, "Location"));
        assertTrue(upload.toString().startsWith(TeledropClient.BASE + "api/uploads/resumable/"), upload.toString());
        String dropUrl = header(created, "Teledrop-Drop-Url");
        String slug = dropUrl.substring(dropUrl.lastIndexOf('/') + 1);
        assertEquals(43, header(created, "Teledrop-Delete-Token").length());
        assertFalse(header(created, "Upload-Expires").isBlank());

        HttpResponse<String> first = tus.tusPatch(upload, 0, slice(bytes, 0, 1_000_000));
        assertEquals(204, first.statusCode(), first.body());
        assertEquals(1_000_000, offsetOf(first));
        assertTrue(first.headers().firstValue("Teledrop-File-Url").isEmpty());

        HttpResponse<String> head = tus.tusHead(upload);
        assertEquals(200, head.statusCode());
        assertEquals("no-store", header(head, "Cache-Control"));
        assertEquals(1_000_000, offsetOf(head));
        assertEquals("3000000", header(head, "Upload-Length"));
        assertEquals(sent + ",flag", header(head, "Upload-Metadata"), "the metadata as sent");
        JsonObject midway = json(client.send(client.request("api/drops/" + slug).header("Accept", "application/json").GET().build()));
        assertEquals("In pieces", midway.getString("title"));
        assertEquals(0, midway.getJsonArray("files").size(), "an incomplete file is not in its drop");

        HttpResponse<String> last = tus.tusPatch(upload, 1_000_000, slice(bytes, 1_000_000, bytes.length));
        assertEquals(204, last.statusCode(), last.body());
        assertEquals(bytes.length, offsetOf(last));
        assertEquals(sha256(bytes), header(last, "Teledrop-Sha256"));
        HttpResponse<byte[]> download = client.download(header(last, "Teledrop-File-Url"));
        assertEquals(200, download.statusCode());
        assertArrayEquals(bytes, download.body());
        JsonObject drop = json(client.send(client.request("api/drops/" + slug).header("Accept", "application/json").GET().build()));
        assertEquals(1, drop.getJsonArray("files").size());
        assertEquals("pieces.bin", drop.getJsonArray("files").getJsonObject(0).getString("name"));

        HttpResponse<String> after = tus.tusHead(upload);
        assertEquals(200, after.statusCode(), "a finished upload still tells its client it is complete");
        assertEquals(bytes.length, offsetOf(after));
        assertEquals(header(last, "Teledrop-File-Url"), header(after, "Teledrop-File-Url"));
        assertProblem(tus.tusPatch(upload, bytes.length, new byte[1]), 409, "urn:teledrop:problem:mismatching-upload-offset");
    }

    @Test
    void headNeverEchoesSecrets() {
        String kept = metadata(Map.of("filename", "secret.txt"));
        URI upload = tus.tusUpload(10, kept + "," + metadata(Map.of("password", "open sesame")));
        assertEquals(kept, header(tus.tusHead(upload), "Upload-Metadata"));
        assertEquals(204, tus.delete(upload, "Tus-Resumable", TUS).statusCode());
    }

    @Test
    void creationWithUploadAndDeferredLength() {
        byte[] bytes = randomBytes(200_000, 18);
        HttpResponse<String> created = client.send(client.request("api/uploads")
                .POST(HttpRequest.BodyPublishers.ofByteArray(slice(bytes, 0, 70_000)))
                .header("Tus-Resumable", TUS).header("Upload-Defer-Length", "1").header("Content-Type", TUS_BYTES)
                .header("Upload-Metadata", metadata(Map.of("filename", "deferred.txt"))).build());
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(70_000, offsetOf(created));
        assertEquals("1", header(created, "Upload-Defer-Length"));
        URI upload = URI.create(header(created, "Location"));
        assertEquals("1", header(tus.tusHead(upload), "Upload-Defer-Length"));

        HttpResponse<String> last = tus.tusPatch(upload, 70_000, slice(bytes, 70_000, bytes.length), "Upload-Length", Long.toString(bytes.length));
        assertEquals(204, last.statusCode(), last.body());
        assertEquals(sha256(bytes), header(last, "Teledrop-Sha256"));
        assertArrayEquals(bytes, client.download(header(last, "Teledrop-File-Url")).body());
    }

    @Test
    void aPieceThatFailsItsChecksumKeepsNothing() throws Exception {
        byte[] bytes = randomBytes(100_000, 19);
        URI upload = tus.tusUpload(bytes.length, null);
        byte[] piece = slice(bytes, 0, 60_000);
        String wrong = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(new byte[] {1}));

        HttpResponse<String> mismatch = tus.tusPatch(upload, 0, piece, "Upload-Checksum", "sha256 " + wrong);
        assertProblem(mismatch, 460, "urn:teledrop:problem:checksum-mismatch");
        assertEquals(0, offsetOf(tus.tusHead(upload)));
        assertProblem(tus.tusPatch(upload, 0, piece, "Upload-Checksum", "crc99 AAAA"), 400, "urn:teledrop:problem:invalid-input");

        String right = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(piece));
        assertEquals(204, tus.tusPatch(upload, 0, piece, "Upload-Checksum", "sha256 " + right).statusCode());
        String rest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(slice(bytes, 60_000, bytes.length)));
        HttpResponse<String> last = tus.tusPatch(upload, 60_000, slice(bytes, 60_000, bytes.length), "Upload-Checksum", "sha1 " + rest);
        assertEquals(204, last.statusCode(), last.body());
        assertEquals(sha256(bytes), header(last, "Teledrop-Sha256"));
    }

    @Test
    void terminationRemovesTheUploadAndTheDropMadeForIt() {
        HttpResponse<String> created = tus.tusCreate(50_000, null);
        URI upload = URI.create(header(created, "Location"));
        String dropUrl = header(created, "Teledrop-Drop-Url");
        assertEquals(204, tus.tusPatch(upload, 0, randomBytes(20_000, 20)).statusCode());

        HttpResponse<String> deleted = tus.delete(upload, "Tus-Resumable", TUS);
        assertEquals(204, deleted.statusCode());
        assertEquals(TUS, header(deleted, "Tus-Resumable"));
        assertEquals(404, tus.tusHead(upload).statusCode());
        assertProblem(tus.tusPatch(upload, 20_000, new byte[10]), 404, "urn:teledrop:problem:not-found");
        assertEquals(404, tus.delete(upload, "Tus-Resumable", TUS).statusCode());
        assertEquals(404, client.send(client.request(dropUrl.substring(TeledropClient.BASE.toString().length()))
                .header("Accept", "application/json").GET().build()).statusCode(), "the drop made for the upload went with it");
    }

    @Test
    void refusals() {
        HttpResponse<String> oldVersion = client.send(client.request("api/uploads").POST(HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", "0.2.2").header("Upload-Length", "10").build());
        assertProblem(oldVersion, 412, "urn:teledrop:problem:precondition-failed");
        assertEquals("1.0.0", header(oldVersion, "Tus-Version"));
        HttpResponse<String> noLength = client.send(client.request("api/uploads").POST(HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", TUS).build());
        assertProblem(noLength, 400, "urn:teledrop:problem:invalid-input");
        assertProblem(tus.tusCreate(MAX_FILE_SIZE + 1, null), 413, "urn:teledrop:problem:payload-too-large");
        assertProblem(tus.tusCreate(-1, null), 400, "urn:teledrop:problem:invalid-input");
        assertProblem(tus.tusCreate(10, "filename !!!"), 400, "urn:teledrop:problem:invalid-input");
        assertProblem(tus.tusCreate(10, "filename,filename"), 400, "urn:teledrop:problem:invalid-input");
        assertProblem(tus.tusCreate(10, metadata(Map.of("maxDownloads", "many"))), 400, "urn:teledrop:problem:invalid-input");
        assertProblem(tus.tusCreate(10, null, "Teledrop-Max-Download", "3"), 400, "urn:teledrop:problem:invalid-input");

        URI upload = tus.tusUpload(1000, null);
        assertProblem(tus.tusPatch(upload, 5, new byte[10]), 409, "urn:teledrop:problem:mismatching-upload-offset");
        assertProblem(tus.tusPatch(upload, -1, new byte[10]), 400, "urn:teledrop:problem:invalid-input");
        assertProblem(tus.tusPatch(upload, 0, new byte[1001]), 400, "urn:teledrop:problem:inconsistent-upload-length");
        assertProblem(tus.tusPatch(upload, 0, new byte[10], "Upload-Length", "999"), 400, "urn:teledrop:problem:inconsistent-upload-length");
        HttpResponse<String> wrongType = client.send(HttpRequest.newBuilder(upload).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                .header("Tus-Resumable", TUS).header("Upload-Offset", "0").header("Content-Type", "application/octet-stream").build());
        assertProblem(wrongType, 415, "urn:teledrop:problem:unsupported-media-type");
        assertEquals(0, offsetOf(tus.tusHead(upload)), "no refusal kept a byte");
        assertEquals(404, tus.tusHead(URI.create(TeledropClient.BASE + "api/uploads/resumable/no-such-upload")).statusCode());
        assertEquals(204, tus.delete(upload, "Tus-Resumable", TUS).statusCode());
    }

    @Test
    void aPatchThroughMethodOverrideAppends() {
        byte[] bytes = randomBytes(5000, 21);
        URI upload = tus.tusUpload(bytes.length, null);
        HttpResponse<String> overridden = client.send(HttpRequest.newBuilder(upload).POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("X-HTTP-Method-Override", "PATCH").header("Tus-Resumable", TUS).header("Upload-Offset", "0")
                .header("Content-Type", TUS_BYTES).build());
        assertEquals(204, overridden.statusCode(), overridden.body());
        assertEquals(sha256(bytes), header(overridden, "Teledrop-Sha256"));
    }

    @Test
    void addingToAnExistingDropNeedsItsDeleteToken() {
        HttpResponse<String> first = client.put("first.txt", "first".getBytes(StandardCharsets.UTF_8));
        JsonObject drop = json(first);
        String slug = drop.getString("slug");
        assertProblem(tus.tusCreate(5, metadata(Map.of("drop", slug, "filename", "second.txt"))), 401, "urn:teledrop:problem:authentication-required");
        assertProblem(tus.tusCreate(5, metadata(Map.of("drop", slug, "deleteToken", "wrong-token"))), 403, "urn:teledrop:problem:forbidden");
        assertProblem(tus.tusCreate(5, metadata(Map.of("drop", slug, "deleteToken", drop.getString("deleteToken"), "title", "x"))),
                400, "urn:teledrop:problem:invalid-input");

        HttpResponse<String> created = tus.tusCreate(6, metadata(Map.of("drop", slug, "deleteToken", drop.getString("deleteToken"), "filename", "second.txt")));
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.headers().firstValue("Teledrop-Delete-Token").isEmpty(), "no new drop, so no new token");
        HttpResponse<String> done = tus.tusPatch(URI.create(header(created, "Location")), 0, "second".getBytes(StandardCharsets.UTF_8));
        assertEquals(204, done.statusCode(), done.body());
        JsonObject after = json(client.send(client.request("api/drops/" + slug).header("Accept", "application/json").GET().build()));
        assertEquals(List.of("first.txt", "second.txt"), after.getJsonArray("files").stream()
                .map(f -> f.asJsonObject().getString("name")).toList());
    }

    @Test
    void aTakenSlugIsRefusedAtCreation() {
        String slug = "tus-" + Long.toString(System.nanoTime(), 36);
        URI upload = tus.tusUpload(4, metadata(Map.of("slug", slug)));
        assertProblem(tus.tusCreate(4, metadata(Map.of("slug", slug))), 409, "urn:teledrop:problem:slug-taken");
        assertEquals(204, tus.delete(upload, "Tus-Resumable", TUS).statusCode());
    }

    @Test
    void aClientHoldsALimitedNumberOfIncompleteUploads() {
        List<URI> made = new java.util.ArrayList<>();
        HttpResponse<String> refused = null;
        while (refused == null && made.size() <= MAX_PER_CLIENT) {
            HttpResponse<String> created = tus.tusCreate(10, null);
            if (created.statusCode() == 201) {
                made.add(URI.create(header(created, "Location")));
            } else {
                refused = created;
            }
        }
        assertTrue(refused != null && made.size() <= MAX_PER_CLIENT, made.size() + " incomplete uploads were taken");
        assertProblem(refused, 429, "urn:teledrop:problem:too-many-uploads");
        made.forEach(upload -> assertEquals(204, tus.delete(upload, "Tus-Resumable", TUS).statusCode()));
        URI again = tus.tusUpload(10, null);
        assertEquals(204, tus.delete(again, "Tus-Resumable", TUS).statusCode(), "cancelled uploads give their places back");
    }

    /** teledrop.upload.resumable.max-per-client of the test servers (pom.xml). */
    private static final int MAX_PER_CLIENT = 40;

    @Test
    void aBlockedTypeIsRefusedOnItsFirstBytesAndTheUploadCancelled() {
        byte[] script = "#!/bin/sh\necho hello\n".getBytes(StandardCharsets.UTF_8);
        URI upload = tus.tusUpload(script.length, metadata(Map.of("filename", "run.sh")));
        assertProblem(tus.tusPatch(upload, 0, script), 415, "urn:teledrop:problem:type-not-allowed");
        assertEquals(404, tus.tusHead(upload).statusCode(), "the refused upload is gone, bytes and all");
    }

    @Test
    void anEmptyFileIsCompleteAtCreation() {
        HttpResponse<String> created = tus.tusCreate(0, metadata(Map.of("filename", "empty.txt")));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(0, offsetOf(created));
        assertEquals(sha256(new byte[0]), header(created, "Teledrop-Sha256"));
        assertArrayEquals(new byte[0], client.download(header(created, "Teledrop-File-Url")).body());
    }

    @Test
    void aTypeReadFromBytesThatWereNotKeptDecidesNothing() throws Exception {
        byte[] png = java.util.HexFormat.of().parseHex("89504e470d0a1a0a0000000d49484452");
        byte[] script = "#!/bin/sh\necho pretending to be a picture\n".getBytes(StandardCharsets.UTF_8);
        URI upload = tus.tusUpload(script.length, metadata(Map.of("filename", "picture")));
        String wrong = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(new byte[] {7}));
        assertProblem(tus.tusPatch(upload, 0, png, "Upload-Checksum", "sha256 " + wrong), 460, "urn:teledrop:problem:checksum-mismatch");
        assertProblem(tus.tusPatch(upload, 0, script), 415, "urn:teledrop:problem:type-not-allowed");
    }

    @Test
    void twoRacingPatchesOneWinsAndNothingMixes() throws Exception {
        int length = 4_000_000;
        byte[] a = randomBytes(length, 22);
        byte[] b = randomBytes(length, 23);
        URI upload = tus.tusUpload(length + 10, null);
        CompletableFuture<HttpResponse<String>> first = client.http.sendAsync(patch(upload, a), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> second = client.http.sendAsync(patch(upload, b), HttpResponse.BodyHandlers.ofString());
        List<Integer> statuses = List.of(first.get().statusCode(), second.get().statusCode()).stream().sorted().toList();

        assertEquals(204, statuses.get(0), statuses.toString());
        assertTrue(statuses.get(1) == 409 || statuses.get(1) == 423, statuses.toString());
        byte[] winner = first.get().statusCode() == 204 ? a : b;
        assertEquals(length, offsetOf(tus.tusHead(upload)));
        byte[] tail = randomBytes(10, 24);
        HttpResponse<String> last = tus.tusPatch(upload, length, tail);
        byte[] whole = new byte[length + 10];
        System.arraycopy(winner, 0, whole, 0, length);
        System.arraycopy(tail, 0, whole, length, 10);
        assertEquals(sha256(whole), header(last, "Teledrop-Sha256"));
        assertArrayEquals(whole, client.download(header(last, "Teledrop-File-Url")).body());
    }

    private static HttpRequest patch(URI upload, byte[] bytes) {
        return HttpRequest.newBuilder(upload).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Tus-Resumable", TUS).header("Upload-Offset", "0").header("Content-Type", TUS_BYTES).build();
    }

    @Test
    void aConnectionCutMidPieceKeepsWhatArrivedAndTheUploadGoesOn() throws Exception {
        byte[] bytes = randomBytes(2_000_000, 25);
        URI upload = tus.tusUpload(bytes.length, metadata(Map.of("filename", "cut.bin")));
        try (Socket socket = new Socket(upload.getHost(), upload.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + upload.getRawPath() + " HTTP/1.1\r\nHost: " + upload.getHost() + ":" + upload.getPort()
                    + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: " + TUS_BYTES
                    + "\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, 1_200_000);
            out.flush();
            Thread.sleep(500);
        }
        long offset = 0;
        HttpResponse<String> last = null;
        for (long deadline = System.nanoTime() + 60_000_000_000L; System.nanoTime() < deadline; Thread.sleep(250)) {
            offset = offsetOf(tus.tusHead(upload));
            last = tus.tusPatch(upload, offset, slice(bytes, (int) offset, bytes.length));
            if (last.statusCode() == 204) {
                break;
            }
            assertTrue(last.statusCode() == 423 || last.statusCode() == 409, last.statusCode() + " " + last.body());
        }
        assertTrue(offset > 0 && offset <= 1_200_000, "the bytes that arrived were kept: " + offset);
        assertEquals(204, last.statusCode(), last.body());
        assertEquals(sha256(bytes), header(last, "Teledrop-Sha256"));
        assertArrayEquals(bytes, client.download(header(last, "Teledrop-File-Url")).body());
    }
}

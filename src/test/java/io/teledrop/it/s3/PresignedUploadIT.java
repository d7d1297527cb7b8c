package io.teledrop.it.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Presigned uploads end to end against the S3 server (S3Proxy): the test asks Teledrop for part URLs, PUTs the
 * parts to S3 itself with curl (a real client that knows nothing of Teledrop), and completes. Part size on this
 * server is 5 MiB; its blocked types include application/x-sh; its sweep runs every 3 s.
 */
@ExtendWith(ArquillianExtension.class)
class PresignedUploadIT {

    private static final int MIB = 1024 * 1024;
    private static final String API_KEY = System.getProperty("teledrop.it.api-key");
    private static final String BUCKET = System.getProperty("teledrop.it.s3.bucket");
    private final TeledropClient client = new TeledropClient();

    @TempDir
    Path folder;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private HttpResponse<String> post(String path, String json, boolean withKey) {
        HttpRequest.Builder builder = client.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (withKey) {
            builder.header("X-API-Key", API_KEY);
        }
        return client.send(builder.build());
    }

    private JsonObject create(String filename, long size, String sha256) {
        HttpResponse<String> created = post("api/presigned-uploads", "{\"filename\": \"" + filename + "\", \"size\": " + size
                + (sha256 == null ? "" : ", \"sha256\": \"" + sha256 + "\"") + "}", true);
        assertEquals(201, created.statusCode(), created.body());
        return TeledropClient.json(created);
    }

    private HttpResponse<String> complete(JsonObject upload, boolean withKey) {
        return post("api/presigned-uploads/" + upload.getString("id") + "/complete", "", withKey);
    }

    /** PUTs {@code bytes} to part {@code number}'s URL with curl; returns the HTTP status S3 answered. */
    private int putPart(JsonObject upload, int number, byte[] bytes) throws IOException, InterruptedException {
        Path body = Files.write(folder.resolve("part-" + number + "-" + System.nanoTime()), bytes);
        String url = upload.getJsonArray("parts").getJsonObject(number - 1).getString("url");
        Process curl = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-T", body.toString(), url)
                .redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, curl.waitFor(), out);
        return Integer.parseInt(out.substring(out.length() - 3));
    }

    /** Sends every part, all at once, last part first. */
    private void putAll(JsonObject upload, byte[] bytes) throws Exception {
        long partSize = upload.getJsonNumber("partSize").longValue();
        int count = upload.getJsonArray("parts").size();
        List<CompletableFuture<Integer>> sent = new ArrayList<>();
        for (int number = count; number >= 1; number--) {
            int n = number;
            int from = (int) ((n - 1) * partSize);
            int to = (int) Math.min(bytes.length, n * partSize);
            sent.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return putPart(upload, n, java.util.Arrays.copyOfRange(bytes, from, to));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Integer> status : sent) {
            assertEquals(200, status.get(), "S3 took the part");
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), response.headers().toString());
        assertEquals("urn:teledrop:problem:" + type, TeledropClient.json(response).getString("type"), response.body());
    }

    /** The object key and upload id a part URL names (path-style: /bucket/key?uploadId=…&partNumber=…). */
    private static String[] keyAndUploadId(JsonObject upload) {
        URI url = URI.create(upload.getJsonArray("parts").getJsonObject(0).getString("url"));
        String key = url.getPath().substring(("/" + BUCKET + "/").length());
        String uploadId = null;
        for (String pair : url.getRawQuery().split("&")) {
            if (pair.startsWith("uploadId=")) {
                uploadId = URLDecoder.decode(pair.substring("uploadId=".length()), StandardCharsets.UTF_8);
            }
        }
        return new String[] {key, uploadId};
    }

    /** Whether S3 still lists the upload's multipart upload (S3Proxy answers ListParts of an aborted one too, so not that). */
    private static boolean multipartUploadExists(JsonObject upload) {
        String[] at = keyAndUploadId(upload);
        try (S3Client s3 = S3BlobStoreIT.rawClient()) {
            return s3.listMultipartUploadsPaginator(b -> b.bucket(BUCKET).prefix(at[0])).uploads().stream()
                    .anyMatch(u -> u.key().equals(at[0]) && u.uploadId().equals(at[1]));
        }
    }

    @Test
    void partsSentStraightToS3BecomeAFileOfTheDrop() throws Exception {
        byte[] bytes = TeledropClient.randomBytes(12 * MIB + 3, 90);
        String sha256 = TeledropClient.sha256(bytes);
        JsonObject upload = create("straight.bin", bytes.length, sha256);
        assertEquals(3, upload.getJsonArray("parts").size(), "5 MiB parts: " + upload);
        assertEquals(5L * MIB, upload.getJsonNumber("partSize").longValue());
        assertEquals(2 * MIB + 3, upload.getJsonArray("parts").getJsonObject(2).getJsonNumber("size").longValue());

        putAll(upload, bytes);
        HttpResponse<String> completed = complete(upload, true);

        assertEquals(200, completed.statusCode(), completed.body());
        JsonObject file = TeledropClient.json(completed).getJsonObject("file");
        assertEquals(sha256, file.getString("sha256"));
        assertEquals(bytes.length, file.getJsonNumber("size").longValue());
        assertEquals("application/octet-stream", file.getString("contentType"));
        HttpResponse<String> drop = client.send(client.request("api/drops/" + upload.getString("drop")).GET().build());
        assertEquals(200, drop.statusCode(), drop.body());
        String fileUrl = TeledropClient.json(drop).getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        // The S3 test server presigns downloads: Teledrop answers 307 to the object, which must hold the bytes.
        HttpResponse<byte[]> redirect = client.download(fileUrl);
        assertEquals(307, redirect.statusCode());
        assertArrayEquals(bytes, client.download(redirect.headers().firstValue("Location").orElseThrow()).body());
        assertEquals(completed.body(), complete(upload, true).body(), "completing again answers the same file");
        assertTrue(!multipartUploadExists(upload));
    }

    @Test
    void missingPartsAreNamedAndTheUploadWaitsForThem() throws Exception {
        byte[] bytes = TeledropClient.randomBytes(11 * MIB, 91);
        JsonObject upload = create("incomplete.bin", bytes.length, null);
        assertEquals(200, putPart(upload, 1, java.util.Arrays.copyOfRange(bytes, 0, 5 * MIB)));

        HttpResponse<String> early = complete(upload, true);

        assertProblem(early, 409, "upload-incomplete");
        assertTrue(TeledropClient.json(early).getString("detail").contains("2 of 3 parts missing (2, 3)"), early.body());
        putAll(upload, bytes);
        HttpResponse<String> completed = complete(upload, true);
        assertEquals(200, completed.statusCode(), completed.body());
        assertEquals(TeledropClient.sha256(bytes), TeledropClient.json(completed).getJsonObject("file").getString("sha256"));
    }

    @Test
    void aPartOfTheWrongSizeIsRefused() throws Exception {
        byte[] bytes = TeledropClient.randomBytes(7 * MIB, 92);
        JsonObject upload = create("wrong-size.bin", bytes.length, null);
        assertEquals(200, putPart(upload, 2, java.util.Arrays.copyOfRange(bytes, 5 * MIB, 7 * MIB)));
        // One byte short: the URL was signed for the part's exact Content-Length, so S3 refuses it, or, if a server
        // took it, completion finds the wrong size. Either way the file is not made of it.
        int status = putPart(upload, 1, java.util.Arrays.copyOfRange(bytes, 0, 5 * MIB - 1));
        HttpResponse<String> completed = complete(upload, true);
        assertProblem(completed, 409, "upload-incomplete");
        String detail = TeledropClient.json(completed).getString("detail");
        assertTrue(status == 200 ? detail.contains("part 1 has 5242879 bytes, not 5242880") : detail.contains("parts missing (1)"),
                "S3 answered " + status + "; " + detail);
    }

    @Test
    void aWrongSha256RemovesTheUpload() throws Exception {
        byte[] bytes = TeledropClient.randomBytes(6 * MIB, 93);
        JsonObject upload = create("wrong-hash.bin", bytes.length, TeledropClient.sha256(new byte[] {1}));
        putAll(upload, bytes);

        assertProblem(complete(upload, true), 460, "checksum-mismatch");

        assertProblem(complete(upload, true), 404, "not-found");
        HttpResponse<String> drop = client.send(client.request("api/drops/" + upload.getString("drop")).GET().build());
        assertEquals(404, drop.statusCode(), "the drop made for the upload went with it: " + drop.body());
        try (S3Client s3 = S3BlobStoreIT.rawClient()) {
            String key = keyAndUploadId(upload)[0];
            assertTrue(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(key)).contents().isEmpty(), "no object left");
        }
    }

    @Test
    void aDisallowedTypeIsRefusedWhenDeclaredAndWhenSniffed() throws Exception {
        HttpResponse<String> declared = post("api/presigned-uploads", "{\"filename\": \"run.sh\", \"size\": 10, \"contentType\": \"application/x-sh\"}", true);
        assertProblem(declared, 415, "type-not-allowed");

        byte[] script = "#!/bin/sh\necho hello from a script that pretends to be a text file\n".getBytes(StandardCharsets.US_ASCII);
        JsonObject upload = create("notes.txt", script.length, null);
        assertEquals(200, putPart(upload, 1, script));
        assertProblem(complete(upload, true), 415, "type-not-allowed");
        assertProblem(complete(upload, true), 404, "not-found");
    }

    @Test
    void someoneElsesUploadDoesNotExistForThem() throws Exception {
        byte[] bytes = TeledropClient.randomBytes(1000, 94);
        JsonObject upload = create("mine.bin", bytes.length, null);
        assertEquals(200, putPart(upload, 1, bytes));

        assertProblem(complete(upload, false), 404, "not-found");
        HttpResponse<String> cancel = client.send(client.request("api/presigned-uploads/" + upload.getString("id")).DELETE().build());
        assertProblem(cancel, 404, "not-found");
        // Nor is it a tus upload for anyone.
        HttpResponse<String> tus = client.send(client.request("api/uploads/resumable/" + upload.getString("id"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0").build());
        assertEquals(404, tus.statusCode());

        assertEquals(200, complete(upload, true).statusCode(), "its owner completes it");
    }

    @Test
    void invalidRequestsAreProblems() {
        assertProblem(post("api/presigned-uploads", "{\"filename\": \"x.bin\"}", true), 400, "invalid-input");
        assertProblem(post("api/presigned-uploads", "{\"filename\": \"x.bin\", \"size\": 0}", true), 400, "invalid-input");
        assertProblem(post("api/presigned-uploads", "{\"filename\": \"x.bin\", \"size\": 5, \"sha256\": \"abc\"}", true), 400, "invalid-input");
        assertProblem(post("api/presigned-uploads", "{\"filename\": \"x.bin\", \"size\": 3221225472}", true), 413, "payload-too-large");
        assertProblem(post("api/presigned-uploads/no-such-upload/complete", "", true), 404, "not-found");
    }

    @Test
    void anExpiredUploadIsAbortedByTheSweep() throws Exception {
        byte[] bytes = TeledropClient.randomBytes(6 * MIB, 95);
        JsonObject upload = create("abandoned.bin", bytes.length, null);
        assertEquals(200, putPart(upload, 1, java.util.Arrays.copyOfRange(bytes, 0, 5 * MIB)));
        assertTrue(multipartUploadExists(upload));

        Path database = TeledropClient.DATA_DIR.resolve("teledrop.db");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
             PreparedStatement expire = db.prepareStatement("UPDATE resumable_uploads SET expires_at = 1 WHERE id = ?")) {
            expire.setString(1, upload.getString("id"));
            assertEquals(1, expire.executeUpdate());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (multipartUploadExists(upload) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertTrue(!multipartUploadExists(upload), "the sweep aborted the multipart upload");
        assertProblem(complete(upload, true), 404, "not-found");
        HttpResponse<String> drop = client.send(client.request("api/drops/" + upload.getString("drop")).GET().build());
        assertEquals(404, drop.statusCode(), "its drop went with it (its reservation given back): " + drop.body());
    }
}

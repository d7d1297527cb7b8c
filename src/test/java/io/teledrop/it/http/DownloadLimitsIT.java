package io.teledrop.it.http;

import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.randomBytes;
import static io.teledrop.it.TeledropClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient.Multipart;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download limits as an attacker tries them (issue 14): parallel whole downloads, ranges, the ZIP, and the
 * resumes that honest clients (curl -C -, wget -c) make of a download that was counted. A limit of N never
 * gives out more than N copies, by any route.
 */
@ExtendWith(ArquillianExtension.class)
class DownloadLimitsIT {

    private static final int SIZE = 6 * 1024 * 1024 + 321;

    private final TeledropClient client = new TeledropClient();

    @TempDir
    Path dir;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private JsonObject limited(byte[] content, int maxDownloads) {
        HttpResponse<String> created = client.put("limited.bin", content, "Teledrop-Max-Downloads", String.valueOf(maxDownloads));
        assertEquals(201, created.statusCode(), created.body());
        return json(created);
    }

    private static String fileUrl(JsonObject drop) {
        return drop.getJsonArray("files").getJsonObject(0).getString("downloadUrl");
    }

    private int downloadCount(JsonObject drop) {
        HttpResponse<String> metadata = client.send(client.request("api/drops/" + drop.getString("slug")).GET().build());
        if (metadata.statusCode() == 410) {
            return -1;
        }
        return json(metadata).getInt("downloadCount");
    }

    private HttpRequest get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request.build();
    }

    /** Sends {@code count} copies of a request at once; every answer, with its body. */
    private List<HttpResponse<byte[]>> inParallel(int count, HttpRequest request) {
        List<CompletableFuture<HttpResponse<byte[]>>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(client.http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
        }
        return pending.stream().map(CompletableFuture::join).toList();
    }

    private static Map<Integer, Integer> statuses(List<HttpResponse<byte[]>> answers) {
        Map<Integer, Integer> byStatus = new HashMap<>();
        answers.forEach(a -> byStatus.merge(a.statusCode(), 1, Integer::sum));
        return byStatus;
    }

    private static void assertGone(HttpResponse<byte[]> answer) {
        assertEquals(410, answer.statusCode());
        assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertTrue(new String(answer.body(), StandardCharsets.UTF_8).contains("urn:teledrop:problem:gone"));
        assertTrue(answer.headers().firstValue("Content-Disposition").isEmpty(), "no file headers on a refusal");
    }

    @Test
    void aOneTimeLinkGivesOneWholeCopyToEightParallelClients() {
        byte[] content = randomBytes(SIZE, 1);
        JsonObject drop = limited(content, 1);

        List<HttpResponse<byte[]>> answers = inParallel(8, get(fileUrl(drop)));

        assertEquals(Map.of(200, 1, 410, 7), statuses(answers));
        answers.stream().filter(a -> a.statusCode() == 200).forEach(a -> assertEquals(sha256(content), sha256(a.body())));
        answers.stream().filter(a -> a.statusCode() == 410).forEach(DownloadLimitsIT::assertGone);
        assertEquals(-1, downloadCount(drop), "used up: the drop answers 410");
    }

    @Test
    void sixtyParallelDownloadsOfAFiveDownloadDropGiveExactlyFive() {
        byte[] content = randomBytes(256 * 1024, 2);
        JsonObject drop = limited(content, 5);

        List<HttpResponse<byte[]>> answers = inParallel(60, get(fileUrl(drop)));

        assertEquals(Map.of(200, 5, 410, 55), statuses(answers));
        answers.stream().filter(a -> a.statusCode() == 200).forEach(a -> assertEquals(sha256(content), sha256(a.body())));
    }

    @Test
    void aRangeThatResumesNothingIsACountedCopyAndCannotBeRepeated() {
        byte[] content = randomBytes(SIZE, 3);
        JsonObject drop = limited(content, 1);
        String url = fileUrl(drop);

        HttpResponse<byte[]> first = client.sendForBytes(get(url, "Range", "bytes=0-"));
        assertEquals(206, first.statusCode());
        assertArrayEquals(content, first.body());
        for (int i = 0; i < 4; i++) {
            assertGone(client.sendForBytes(get(url, "Range", "bytes=0-")));
        }
        assertGone(client.sendForBytes(get(url)));
        // The copy's resend allowance (for bytes lost with a broken connection) serves a resume from this
        // client, but all ranges together stay short of a second copy.
        long more = 0;
        for (String range : List.of("bytes=1000000-", "bytes=3000000-", "bytes=5000000-", "bytes=0-999999")) {
            HttpResponse<byte[]> answer = client.sendForBytes(get(url, "Range", range));
            assertTrue(answer.statusCode() == 206 || answer.statusCode() == 410, range + ": " + answer.statusCode());
            more += answer.statusCode() == 206 ? answer.body().length : 0;
        }
        assertTrue(more > 0 && more < SIZE, "resent " + more + " of " + SIZE);
    }

    @Test
    void parallelRangesCannotAssembleMoreCopiesThanTheLimit() {
        byte[] content = randomBytes(SIZE, 4);
        JsonObject drop = limited(content, 2);

        List<HttpResponse<byte[]>> answers = inParallel(20, get(fileUrl(drop), "Range", "bytes=0-"));

        assertEquals(Map.of(206, 2, 410, 18), statuses(answers));
        // Halves of the file from the same client: the allowance of a copy is less than a copy.
        List<HttpResponse<byte[]>> halves = inParallel(6, get(fileUrl(drop), "Range", "bytes=" + SIZE / 2 + "-"));
        long bytes = halves.stream().filter(a -> a.statusCode() == 206).mapToLong(a -> a.body().length).sum();
        assertTrue(bytes < SIZE, "after two whole copies, less than one more copy's bytes: " + bytes);
    }

    @Test
    void headAndConditionalRequestsTakeNoDownload() {
        byte[] content = randomBytes(100_000, 5);
        JsonObject drop = limited(content, 1);
        String url = fileUrl(drop);

        HttpResponse<byte[]> head = client.sendForBytes(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode());
        String etag = head.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, client.sendForBytes(get(url, "If-None-Match", etag)).statusCode());
        assertEquals(0, downloadCount(drop));

        assertArrayEquals(content, client.sendForBytes(get(url)).body());
        assertGone(client.sendForBytes(get(url)));
    }

    @Test
    void curlResumesACountedDownloadWithoutCountingAgain() throws Exception {
        byte[] content = randomBytes(SIZE, 6);
        JsonObject drop = limited(content, 1);
        String url = fileUrl(drop);
        Path out = dir.resolve("resumed.bin");
        Files.write(out, breakOffAfter(url, 1024 * 1024));

        run("curl", "-s", "-S", "-f", "-C", "-", "-o", out.toString(), url);

        assertEquals(sha256(content), sha256(Files.readAllBytes(out)));
        assertGone(client.sendForBytes(get(url)));
        assertGone(client.sendForBytes(get(url, "Range", "bytes=0-")));
    }

    @Test
    void wgetResumesACountedDownloadWithoutCountingAgain() throws Exception {
        byte[] content = randomBytes(SIZE, 7);
        JsonObject drop = limited(content, 1);
        String url = fileUrl(drop);
        Path out = dir.resolve("resumed.bin");
        Files.write(out, breakOffAfter(url, 2 * 1024 * 1024 + 17));

        // The only slot is taken: wget's range can only be served as the resume of the first copy.
        run("wget", "-q", "-c", "-O", out.toString(), url);

        assertEquals(sha256(content), sha256(Files.readAllBytes(out)));
        assertGone(client.sendForBytes(get(url)));
    }

    @Test
    void aZipIsOneCountedCopyAndItsFilesAreGoneWithIt() throws IOException {
        byte[] a = randomBytes(300_000, 8);
        byte[] b = randomBytes(200_000, 9);
        JsonObject drop = json(client.postMultipart(new Multipart().field("maxDownloads", "1")
                .file("file", "a.bin", "application/octet-stream", a).file("file", "b.bin", "application/octet-stream", b)));
        String zipUrl = drop.getString("zipUrl");

        List<HttpResponse<byte[]>> answers = inParallel(6, get(zipUrl));

        assertEquals(Map.of(200, 1, 410, 5), statuses(answers));
        byte[] zip = answers.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow().body();
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), sha256(in.readAllBytes()));
            }
        }
        assertEquals(Map.of("a.bin", sha256(a), "b.bin", sha256(b)), entries);
        assertGone(client.sendForBytes(get(drop.getJsonArray("files").getJsonObject(0).getString("downloadUrl"))));
        assertGone(client.sendForBytes(get(drop.getJsonArray("files").getJsonObject(1).getString("downloadUrl"), "Range", "bytes=0-")));
    }

    /** Starts a whole download, keeps the first {@code bytes} and drops the connection, as a broken transfer would. */
    private byte[] breakOffAfter(String url, int bytes) throws Exception {
        HttpResponse<InputStream> response = client.http.send(get(url), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        byte[] partial;
        try (InputStream body = response.body()) {
            partial = body.readNBytes(bytes);
        }
        assertEquals(bytes, partial.length);
        return partial;
    }

    /** Runs a real client to completion; a resume refused as 416 would mean the grant was not honoured. */
    private static void run(String... command) throws IOException, InterruptedException {
        String output = TeledropClient.runClient(command);
        assertFalse(output.contains("416"), output);
    }
}

package io.teledrop.it.upload;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.MAX_FILES;
import static io.teledrop.it.TeledropClient.blobCount;
import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.randomBytes;
import static io.teledrop.it.TeledropClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient.Multipart;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many writers at once against one drop (issue 14): additions, deletions of the drop and of one file, patches
 * and downloads. On SQLite none may fail with a 500 (SQLITE_BUSY) or a "try again" 400; the files-per-drop
 * and drop-size limits hold exactly, the losers of the race for the last places get 413; every file that
 * was acknowledged is listed with the bytes that were sent, and no blob is left without its row.
 *
 * <p>The IT server allows {@link TeledropClient#MAX_FILES} files per drop (5, {@code it.max-files} in the
 * pom) and 12 MiB per drop (arquillian.xml): the expectations are written in terms of the file limit, so
 * {@code mvn verify -Dit.max-files=64 -Dit.test=ConcurrentDropWritesIT} shows 32 parallel additions that
 * all succeed.
 */
@ExtendWith(ArquillianExtension.class)
class ConcurrentDropWritesIT {

    private static final int PARALLEL = 32;
    private static final String TOKEN = "Teledrop-Delete-Token";
    /** {@code teledrop.upload.max-drop-size} of the IT server (arquillian.xml). */
    private static final long MAX_DROP_SIZE = 12L * 1024 * 1024;

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void parallelRawAdditionsFillTheDropExactlyAndTheRestGet413() throws Exception {
        JsonObject drop = json(client.put("first.bin", randomBytes(1000, 1)));
        String slug = drop.getString("slug");
        long blobsBefore = blobCount();
        Map<String, String> sent = new HashMap<>();
        List<Callable<HttpResponse<String>>> additions = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            byte[] content = randomBytes(32 * 1024 + i, 1000 + i);
            String name = "add" + i + ".bin";
            sent.put(name, sha256(content));
            additions.add(() -> client.put(name, content, "Teledrop-Drop", slug, TOKEN, drop.getString("deleteToken")));
        }

        List<HttpResponse<String>> responses = runTogether(additions);

        int room = Math.min(PARALLEL, MAX_FILES - 1);
        assertOutcome(responses, Map.of(201, room, 413, PARALLEL - room));
        responses.stream().filter(r -> r.statusCode() == 413)
                .forEach(r -> assertProblem(r, 413, "urn:teledrop:problem:too-many-files"));
        Set<String> acknowledged = new HashSet<>();
        for (int i = 0; i < PARALLEL; i++) {
            if (responses.get(i).statusCode() == 201) {
                acknowledged.add("add" + i + ".bin");
            }
        }
        JsonArray files = listed(slug);
        assertEquals(1 + room, files.size(), files::toString);
        assertEquals(acknowledged, names(files).stream().filter(n -> !n.equals("first.bin")).collect(Collectors.toSet()));
        assertBytesAsSent(files, sent);
        // Exactly the acknowledged files' blobs were kept: the losers' were removed by their rollback.
        assertEquals(blobsBefore + room, blobCount());
    }

    @Test
    void parallelMultipartAdditionsOfTwoFilesEachNeverSplitARequest() throws Exception {
        JsonObject drop = json(client.put("first.bin", randomBytes(1000, 2)));
        String slug = drop.getString("slug");
        long blobsBefore = blobCount();
        int requests = 16;
        Map<String, String> sent = new HashMap<>();
        List<Callable<HttpResponse<String>>> additions = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            byte[] a = randomBytes(20_000 + i, 2000 + i);
            byte[] b = randomBytes(30_000 + i, 3000 + i);
            sent.put("m" + i + "a.bin", sha256(a));
            sent.put("m" + i + "b.bin", sha256(b));
            Multipart body = new Multipart().field("drop", slug)
                    .file("file", "m" + i + "a.bin", "application/octet-stream", a)
                    .file("file", "m" + i + "b.bin", "application/octet-stream", b);
            additions.add(() -> client.postMultipart(body, TOKEN, drop.getString("deleteToken")));
        }

        List<HttpResponse<String>> responses = runTogether(additions);

        int winners = Math.min(requests, (MAX_FILES - 1) / 2);
        assertOutcome(responses, Map.of(201, winners, 413, requests - winners));
        responses.stream().filter(r -> r.statusCode() == 413)
                .forEach(r -> assertProblem(r, 413, "urn:teledrop:problem:too-many-files"));
        JsonArray files = listed(slug);
        assertEquals(1 + 2 * winners, files.size(), files::toString);
        for (int i = 0; i < requests; i++) {
            // Both files of a request, or neither.
            boolean won = responses.get(i).statusCode() == 201;
            assertEquals(won, names(files).contains("m" + i + "a.bin"), "request " + i);
            assertEquals(won, names(files).contains("m" + i + "b.bin"), "request " + i);
        }
        assertBytesAsSent(files, sent);
        assertEquals(blobsBefore + 2L * winners, blobCount());
    }

    @Test
    void parallelAdditionsRacingForTheLastBytesGet413DropTooLarge() throws Exception {
        JsonObject drop = json(client.put("first.bin", randomBytes(1000, 3)));
        String slug = drop.getString("slug");
        long blobsBefore = blobCount();
        int size = 5 * 1024 * 1024;
        int fit = (int) ((MAX_DROP_SIZE - 1000) / size); // 2 under the IT server's 12 MiB and 5-file limits
        int requests = 8;
        Map<String, String> sent = new HashMap<>();
        List<Callable<HttpResponse<String>>> additions = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            byte[] content = randomBytes(size, 4000 + i);
            sent.put("big" + i + ".bin", sha256(content));
            String name = "big" + i + ".bin";
            additions.add(() -> client.put(name, content, "Teledrop-Drop", slug, TOKEN, drop.getString("deleteToken")));
        }

        List<HttpResponse<String>> responses = runTogether(additions);

        assertOutcome(responses, Map.of(201, fit, 413, requests - fit));
        responses.stream().filter(r -> r.statusCode() == 413)
                .forEach(r -> assertProblem(r, 413, "urn:teledrop:problem:drop-too-large"));
        JsonArray files = listed(slug);
        assertEquals(1 + fit, files.size());
        assertEquals(1000L + (long) fit * size, json(get("api/drops/" + slug)).getJsonNumber("totalSize").longValue());
        assertBytesAsSent(files, sent);
        assertEquals(blobsBefore + fit, blobCount());
    }

    @Test
    void ofParallelDeletionsOfOneDropExactlyOneSucceedsAndTheOthersHear404() throws Exception {
        JsonObject drop = json(client.put("first.bin", randomBytes(1000, 4)));
        String slug = drop.getString("slug");
        client.put("second.bin", randomBytes(2000, 5), "Teledrop-Drop", slug, TOKEN, drop.getString("deleteToken"));
        long blobsBefore = blobCount();
        List<Callable<HttpResponse<String>>> deletions = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            deletions.add(() -> client.send(client.request("api/drops/" + slug).header(TOKEN, drop.getString("deleteToken")).DELETE().build()));
        }

        List<HttpResponse<String>> responses = runTogether(deletions);

        assertOutcome(responses, Map.of(204, 1, 404, 15));
        responses.stream().filter(r -> r.statusCode() == 404).forEach(r -> assertProblem(r, 404, "urn:teledrop:problem:not-found"));
        assertProblem(get("api/drops/" + slug), 404, "urn:teledrop:problem:not-found");
        assertEquals(blobsBefore - 2, blobCount());
    }

    @Test
    void ofParallelDeletionsOfOneFileExactlyOneSucceedsAndItsPlaceIsFreedOnce() throws Exception {
        JsonObject drop = json(client.put("first.bin", randomBytes(1000, 6)));
        String slug = drop.getString("slug");
        String token = drop.getString("deleteToken");
        for (int i = 1; i < MAX_FILES; i++) {
            assertEquals(201, client.put("f" + i + ".bin", randomBytes(100, 60 + i), "Teledrop-Drop", slug, TOKEN, token).statusCode());
        }
        String fileId = listed(slug).getJsonObject(1).getString("id");
        long blobsBefore = blobCount();
        List<Callable<HttpResponse<String>>> deletions = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            deletions.add(() -> client.send(client.request("api/drops/" + slug + "/files/" + fileId).header(TOKEN, token).DELETE().build()));
        }

        List<HttpResponse<String>> responses = runTogether(deletions);

        assertOutcome(responses, Map.of(204, 1, 404, 15));
        responses.stream().filter(r -> r.statusCode() == 404).forEach(r -> assertProblem(r, 404, "urn:teledrop:problem:not-found"));
        assertEquals(MAX_FILES - 1, listed(slug).size());
        assertEquals(blobsBefore - 1, blobCount());
        // The full drop had one place freed, once: of 8 parallel additions exactly one fits.
        List<Callable<HttpResponse<String>>> additions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] content = randomBytes(500, 700 + i);
            String name = "again" + i + ".bin";
            additions.add(() -> client.put(name, content, "Teledrop-Drop", slug, TOKEN, token));
        }
        assertOutcome(runTogether(additions), Map.of(201, 1, 413, 7));
        assertEquals(MAX_FILES, listed(slug).size());
    }

    @Test
    void parallelPatchesAllSucceedAndOneOfThemIsTheFinalState() throws Exception {
        JsonObject drop = json(client.put("first.bin", randomBytes(1000, 7)));
        String slug = drop.getString("slug");
        Set<String> titles = new HashSet<>();
        List<Callable<HttpResponse<String>>> patches = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String title = "title " + i;
            titles.add(title);
            patches.add(() -> client.send(client.request("api/drops/" + slug).header(TOKEN, drop.getString("deleteToken"))
                    .header("Content-Type", "application/merge-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\",\"expires\":\"P1D\"}")).build()));
        }

        List<HttpResponse<String>> responses = runTogether(patches);

        assertOutcome(responses, Map.of(200, 16));
        responses.forEach(r -> assertTrue(titles.contains(json(r).getString("title")), r.body()));
        JsonObject now = json(get("api/drops/" + slug));
        assertTrue(titles.contains(now.getString("title")), now.toString());
        assertEquals(1, now.getJsonArray("files").size());
    }

    @Test
    void downloadsWhileFilesAreAddedAllGetTheWholeFile() throws Exception {
        byte[] first = randomBytes(256 * 1024, 8);
        JsonObject drop = json(client.put("first.bin", first));
        String slug = drop.getString("slug");
        String url = drop.getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        List<Callable<Object>> work = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            work.add(() -> client.download(url));
            work.add(() -> get("api/drops/" + slug));
        }
        for (int i = 0; i < PARALLEL; i++) {
            byte[] content = randomBytes(10_000, 800 + i);
            String name = "during" + i + ".bin";
            work.add(() -> client.put(name, content, "Teledrop-Drop", slug, TOKEN, drop.getString("deleteToken")));
        }

        List<Object> results = runTogether(work);

        int added = 0;
        for (Object result : results) {
            HttpResponse<?> response = (HttpResponse<?>) result;
            if (response.body() instanceof byte[] bytes) {
                assertEquals(200, response.statusCode());
                assertArrayEquals(first, bytes);
            } else if (response.request().method().equals("GET")) {
                assertEquals(200, response.statusCode(), String.valueOf(response.body()));
            } else if (response.statusCode() == 201) {
                added++;
            } else {
                @SuppressWarnings("unchecked")
                HttpResponse<String> refused = (HttpResponse<String>) response;
                assertProblem(refused, 413, "urn:teledrop:problem:too-many-files");
            }
        }
        assertEquals(Math.min(PARALLEL, MAX_FILES - 1), added);
        assertEquals(1 + added, listed(slug).size());
    }

    @Test
    void additionsRacingTheDropsDeletionLeaveNoBlobBehind() throws Exception {
        JsonObject drop = json(client.put("first.bin", randomBytes(1000, 9)));
        String slug = drop.getString("slug");
        String token = drop.getString("deleteToken");
        long blobsBefore = blobCount();
        List<Callable<HttpResponse<String>>> work = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] content = randomBytes(50_000, 900 + i);
            String name = "late" + i + ".bin";
            work.add(() -> client.put(name, content, "Teledrop-Drop", slug, TOKEN, token));
            if (i == 6) {
                work.add(() -> client.send(client.request("api/drops/" + slug).header(TOKEN, token).DELETE().build()));
            }
        }

        List<HttpResponse<String>> responses = runTogether(work);

        for (HttpResponse<String> response : responses) {
            int status = response.statusCode();
            assertTrue(status == 201 || status == 204 || status == 404 || status == 413, status + " " + response.body());
        }
        assertEquals(1, responses.stream().filter(r -> r.statusCode() == 204).count());
        assertProblem(get("api/drops/" + slug), 404, "urn:teledrop:problem:not-found");
        // Files added before the deletion went with the drop; additions after it found the drop gone.
        assertEquals(blobsBefore - 1, blobCount());
    }

    private HttpResponse<String> get(String path) {
        return client.send(client.request(path).GET().build());
    }

    private JsonArray listed(String slug) {
        HttpResponse<String> response = get("api/drops/" + slug);
        assertEquals(200, response.statusCode(), response.body());
        return json(response).getJsonArray("files");
    }

    private static List<String> names(JsonArray files) {
        return files.stream().map(f -> f.asJsonObject().getString("name")).toList();
    }

    /** Every listed file (but the first) has the SHA-256 of what was sent under its name, and serves those bytes. */
    private void assertBytesAsSent(JsonArray files, Map<String, String> sent) {
        for (JsonValue value : files) {
            JsonObject file = value.asJsonObject();
            if (file.getString("name").equals("first.bin")) {
                continue;
            }
            assertEquals(sent.get(file.getString("name")), file.getString("sha256"), file.getString("name"));
            HttpResponse<byte[]> download = client.download(file.getString("downloadUrl"));
            assertEquals(200, download.statusCode());
            assertEquals(file.getString("sha256"), sha256(download.body()));
        }
    }

    /** Exactly these counts of statuses, and no other status (a 500 or a "send again" 400 fails here). */
    private static void assertOutcome(List<HttpResponse<String>> responses, Map<Integer, Integer> expected) {
        Map<Integer, Integer> seen = new HashMap<>();
        responses.forEach(r -> seen.merge(r.statusCode(), 1, Integer::sum));
        Map<Integer, Integer> wanted = new HashMap<>(expected);
        wanted.values().removeIf(n -> n == 0);
        assertEquals(wanted, seen, () -> responses.stream().map(r -> r.statusCode() + " " + r.body())
                .collect(Collectors.joining("\n", "\n", "")));
    }

    /** Starts every task at the same moment and returns their results in order. */
    private static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

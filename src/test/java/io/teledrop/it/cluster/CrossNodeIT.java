package io.teledrop.it.cluster;

import static io.teledrop.it.cluster.Nodes.get;
import static io.teledrop.it.cluster.Nodes.json;
import static io.teledrop.it.cluster.Nodes.on;
import static io.teledrop.it.cluster.Nodes.send;
import static io.teledrop.it.cluster.Nodes.sendForBytes;
import static io.teledrop.it.cluster.Nodes.sha256;
import static io.teledrop.it.cluster.Nodes.text;
import static io.teledrop.it.cluster.Nodes.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.LibertyServer;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every feature across nodes: a request answered by one server sees at once what another did, and every limit
 * holds for the cluster as a whole, not per server. Requests go to named nodes (to be sure they differ) and
 * through the balancer.
 */
class CrossNodeIT {

    private static Cluster cluster;
    private static URI a;
    private static URI b;
    private static URI c;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.get();
        List<LibertyServer> nodes = cluster.nodes();
        a = nodes.get(0).base();
        b = nodes.get(1).base();
        c = nodes.get(2).base();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aDropUploadedOnOneNodeIsReadChangedAndDeletedOnTheOthers() {
        byte[] content = random(300_000, 1);
        HttpResponse<String> created = upload(a, "report.bin", content, "Teledrop-Title", "first");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject drop = json(created);
        String slug = drop.getString("slug");
        String token = drop.getString("deleteToken");
        String download = drop.getJsonArray("files").getJsonObject(0).getString("downloadUrl");

        HttpResponse<String> read = get(b, "api/drops/" + slug);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals("first", json(read).getString("title"));
        HttpResponse<byte[]> bytes = sendForBytes(HttpRequest.newBuilder(on(c, download)).build());
        assertEquals(200, bytes.statusCode());
        assertEquals(sha256(content), sha256(bytes.body()));

        warmEveryNode(slug, download);

        HttpResponse<String> patched = send(HttpRequest.newBuilder(b.resolve("api/drops/" + slug))
                .header("Teledrop-Delete-Token", token).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"second\"}")).build());
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals("second", json(get(c, "api/drops/" + slug)).getString("title"));
        assertEquals("second", json(get(a, "api/drops/" + slug)).getString("title"), "node A's view is not stale");

        HttpResponse<String> deleted = send(HttpRequest.newBuilder(c.resolve("api/drops/" + slug))
                .header("Teledrop-Delete-Token", token).DELETE().build());
        assertEquals(204, deleted.statusCode(), deleted.body());
        for (URI node : List.of(a, b, c)) {
            assertEquals(404, get(node, "api/drops/" + slug).statusCode(), "metadata on " + node);
            assertEquals(404, sendForBytes(HttpRequest.newBuilder(on(node, download)).build()).statusCode(), "download on " + node);
        }
    }

    @Test
    void aUsedUpDropAnswers410AtOnceOnEveryNode() {
        HttpResponse<String> created = upload(a, "once.txt", text("once only"), "Teledrop-Max-Downloads", "1");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject drop = json(created);
        String download = drop.getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        warmEveryNode(drop.getString("slug"), null);

        HttpResponse<byte[]> first = sendForBytes(HttpRequest.newBuilder(on(b, download)).build());
        assertEquals(200, first.statusCode());
        assertArrayEquals(text("once only"), first.body());
        for (URI node : List.of(a, b, c)) {
            assertEquals(410, sendForBytes(HttpRequest.newBuilder(on(node, download)).build()).statusCode(), "download on " + node);
            assertEquals(410, get(node, "api/drops/" + drop.getString("slug")).statusCode(), "metadata on " + node);
        }
    }

    /** Reads the drop on every node twice, so that each keeps it (DropSnapshots) before another node changes it. */
    private void warmEveryNode(String slug, String download) {
        for (URI node : List.of(a, b, c)) {
            for (int i = 0; i < 2; i++) {
                assertEquals(200, get(node, "api/drops/" + slug).statusCode());
                assertEquals(200, get(node, "d/" + slug).statusCode());
                if (download != null) {
                    assertEquals(200, sendForBytes(HttpRequest.newBuilder(on(node, download)).build()).statusCode());
                }
            }
        }
    }

    @Test
    void anExpiredDropAnswers410OnEveryNode() throws InterruptedException {
        HttpResponse<String> created = upload(b, "soon.txt", text("gone soon"), "Teledrop-Expires", "PT6S");
        assertEquals(201, created.statusCode(), created.body());
        String slug = json(created).getString("slug");
        assertEquals(200, get(c, "api/drops/" + slug).statusCode());
        Thread.sleep(6_500);
        for (URI node : List.of(a, b, c)) {
            int status = get(node, "api/drops/" + slug).statusCode();
            // 410 until the sweep (every 2 s, on whichever node takes it) removes it, 404 after
            assertTrue(status == 410 || status == 404, "expired drop on " + node + " answered " + status);
        }
    }

    @Test
    void sixtyParallelDownloadsOfAFiveDownloadDropOverThreeNodesGiveExactlyFive() throws Exception {
        byte[] content = random(200_000, 2);
        HttpResponse<String> created = upload(cluster.base(), "limited.bin", content, "Teledrop-Max-Downloads", "5");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject drop = json(created);
        String download = drop.getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        List<URI> nodes = List.of(a, b, c);
        List<CompletableFuture<HttpResponse<byte[]>>> calls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            calls.add(Nodes.HTTP.sendAsync(HttpRequest.newBuilder(on(nodes.get(i % 3), download)).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        int ok = 0;
        int gone = 0;
        for (CompletableFuture<HttpResponse<byte[]>> call : calls) {
            HttpResponse<byte[]> answer = call.get();
            if (answer.statusCode() == 200) {
                ok++;
                assertEquals(sha256(content), sha256(answer.body()), "a full download has the file's bytes");
            } else {
                assertEquals(410, answer.statusCode(), new String(answer.body()));
                gone++;
            }
        }
        assertEquals(5, ok, "full downloads served");
        assertEquals(55, gone);
        try (Connection db = cluster.database();
             PreparedStatement count = db.prepareStatement("SELECT download_count FROM drops WHERE slug = ?")) {
            count.setString(1, drop.getString("slug"));
            try (ResultSet row = count.executeQuery()) {
                assertTrue(row.next());
                assertEquals(5, row.getInt(1), "the count in the database");
            }
        }
    }

    @Test
    void passwordGuessesAreLimitedForTheWholeClusterNotPerNode() {
        HttpResponse<String> created = upload(a, "secret.txt", text("s3cret"), "Teledrop-Password", "correct horse battery");
        assertEquals(201, created.statusCode(), created.body());
        String slug = json(created).getString("slug");
        List<URI> nodes = List.of(a, b, c);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> wrong = unlock(nodes.get(i % 3), slug, "wrong guess " + i);
            assertEquals(403, wrong.statusCode(), "guess " + (i + 1) + ": " + wrong.body());
        }
        for (URI node : nodes) {
            HttpResponse<String> limited = unlock(node, slug, "correct horse battery");
            assertEquals(429, limited.statusCode(), "the sixth attempt, on " + node + ": " + limited.body());
            assertTrue(limited.headers().firstValue("Retry-After").isPresent(), "Retry-After");
        }
    }

    @Test
    void anUnlockTokenFromOneNodeOpensTheDropOnTheOthers() {
        byte[] content = text("behind a password");
        HttpResponse<String> created = upload(a, "locked.txt", content, "Teledrop-Password", "open sesame please");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject drop = json(created);
        String download = drop.getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        HttpResponse<String> unlocked = unlock(a, drop.getString("slug"), "open sesame please");
        assertEquals(200, unlocked.statusCode(), unlocked.body());
        String token = json(unlocked).getString("token");
        for (URI node : List.of(b, c)) {
            assertEquals(401, sendForBytes(HttpRequest.newBuilder(on(node, download)).build()).statusCode(), "without the token on " + node);
            HttpResponse<byte[]> bytes = sendForBytes(HttpRequest.newBuilder(on(node, download)).header("Teledrop-Unlock", token).build());
            assertEquals(200, bytes.statusCode(), "with node A's token on " + node);
            assertArrayEquals(content, bytes.body());
        }
    }

    @Test
    void sweepAndReconciliationRunOncePerIntervalForTheWholeCluster() throws InterruptedException {
        long t0 = System.currentTimeMillis();
        double sweeps0 = summed("teledrop_sweep_runs_total");
        double reconciliations0 = summed("teledrop_reconcile_runs_total");
        Thread.sleep(15_000);
        double sweeps = summed("teledrop_sweep_runs_total") - sweeps0;
        double reconciliations = summed("teledrop_reconcile_runs_total") - reconciliations0;
        long t1 = System.currentTimeMillis();
        long sweepPeriods = t1 / 2_000 - t0 / 2_000;
        long reconcilePeriods = t1 / 3_000 - t0 / 3_000;
        System.out.println("CrossNodeIT: " + sweeps + " sweeps in " + sweepPeriods + " periods, " + reconciliations
                + " reconciliations in " + reconcilePeriods + " periods, over 3 nodes");
        assertTrue(sweeps >= sweepPeriods - 1 && sweeps <= sweepPeriods + 1, sweeps + " sweeps in " + sweepPeriods + " periods of 2 s");
        assertTrue(reconciliations >= reconcilePeriods - 1 && reconciliations <= reconcilePeriods + 1,
                reconciliations + " reconciliations in " + reconcilePeriods + " periods of 3 s");
    }

    private static double summed(String metric) {
        return cluster.nodes().stream().mapToDouble(n -> Nodes.metric(n.base(), metric, Map.of())).sum();
    }

    private static HttpResponse<String> unlock(URI node, String slug, String password) {
        return send(HttpRequest.newBuilder(node.resolve("api/drops/" + slug + "/unlock")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + password + "\"}")).build());
    }
}

package io.teledrop.it.cluster;

import static io.teledrop.it.cluster.Nodes.get;
import static io.teledrop.it.cluster.Nodes.json;
import static io.teledrop.it.cluster.Nodes.on;
import static io.teledrop.it.cluster.Nodes.sha256;
import static io.teledrop.it.cluster.Nodes.text;
import static io.teledrop.it.cluster.Nodes.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.teledrop.it.LibertyServer;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The cluster when a part of it fails: a node killed under load, the database restarted, the storage stopped.
 * Each test leaves the cluster whole again (node restarted, database and storage back), whatever failed.
 */
class ClusterFaultsIT {

    private static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.get();
    }

    /** One upload of the kill test: what was sent, and what came back (null: no answer). */
    private record Sent(String slug, byte[] content, HttpResponse<String> answer) {
    }

    @Test
    void aNodeKilledUnderAHundredParallelUploadsLosesNoAcknowledgedUpload() throws Exception {
        LibertyServer victim = cluster.nodes().get(1);
        List<CompletableFuture<Sent>> calls = new ArrayList<>();
        Random random = new Random(16);
        for (int i = 0; i < 100; i++) {
            byte[] content = new byte[1024 * 1024 + random.nextInt(7 * 1024 * 1024)];
            random.nextBytes(content);
            String slug = "kill-" + i + "-" + Long.toString(System.nanoTime(), 36);
            // At about 2 MiB/s each, so that uploads are still in flight when the node dies.
            HttpRequest request = HttpRequest.newBuilder(cluster.base().resolve("api/uploads/file-" + i + ".bin"))
                    .timeout(Duration.ofSeconds(120)).header("Teledrop-Slug", slug)
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new Throttled(content)), content.length))
                    .build();
            calls.add(Nodes.HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .handle((answer, error) -> new Sent(slug, content, answer)));
        }
        try {
            // Killed once the first ten are answered: the rest are in flight, a third of them on the victim.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (calls.stream().filter(CompletableFuture::isDone).count() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            victim.kill();
            // The others keep answering while it is gone.
            for (int n : new int[] {0, 2}) {
                assertEquals(200, get(cluster.nodes().get(n).base(), "health/ready").statusCode(), "node " + (n + 1) + " while node 2 is down");
            }
            int acknowledged = 0;
            int refused = 0;
            for (CompletableFuture<Sent> call : calls) {
                Sent sent = call.get(180, TimeUnit.SECONDS);
                HttpResponse<String> drop = get(cluster.base(), "api/drops/" + sent.slug());
                if (sent.answer() != null && sent.answer().statusCode() == 201) {
                    acknowledged++;
                    assertEquals(200, drop.statusCode(), "acknowledged upload " + sent.slug() + " is listed");
                    assertIntact(json(drop), sent.content(), "acknowledged upload " + sent.slug());
                } else {
                    refused++;
                    // Not acknowledged: it may have committed just before the kill, but then it is whole.
                    if (drop.statusCode() == 200) {
                        assertIntact(json(drop), sent.content(), "unacknowledged upload " + sent.slug());
                    } else {
                        assertEquals(404, drop.statusCode(), drop.body());
                    }
                }
            }
            System.out.println("ClusterFaultsIT: node 2 killed under 100 uploads: " + acknowledged + " acknowledged, " + refused + " not");
            assertTrue(acknowledged >= 50, "most uploads went to the two nodes that lived: " + acknowledged);
            assertTrue(refused >= 1, "the kill cut uploads in flight (else it tested nothing)");
        } finally {
            if (!victim.running()) {
                victim.start("health/ready");
            }
        }
        assertNoOrphanInTheBucket();
    }

    @Test
    void theDatabaseRestartedUnderLoadGives503sNever500sAndTheNodesRecoverByThemselves() throws Exception {
        HttpResponse<String> before = upload(cluster.base(), "before.txt", text("before the restart"));
        assertEquals(201, before.statusCode(), before.body());
        String slugBefore = json(before).getString("slug");
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(6);
        for (int t = 0; t < 6; t++) {
            int thread = t;
            load.submit(() -> {
                int i = 0;
                while (loading.get()) {
                    HttpResponse<String> answer = (i++ + thread) % 2 == 0
                            ? upload(cluster.base(), "load.txt", text("load " + i))
                            : get(cluster.base(), "api/drops/" + slugBefore);
                    statuses.merge(answer.statusCode(), 1, Integer::sum);
                    checkAnswerUnderFault(answer, "database-unavailable", wrong);
                }
                return null;
            });
        }
        try {
            Thread.sleep(1_000);
            cluster.pauseDatabase();
            Thread.sleep(2_000);
            for (LibertyServer node : cluster.nodes()) {
                HttpResponse<String> ready = get(node.base(), "health/ready");
                assertEquals(503, ready.statusCode(), node.name() + " readiness while the database is down: " + ready.body());
                assertTrue(ready.body().contains("\"database\"") && ready.body().contains("DOWN"), ready.body());
            }
            Thread.sleep(3_000);
        } finally {
            cluster.resumeDatabase();
        }
        try {
            awaitReadyEverywhere(Duration.ofSeconds(60));
            Thread.sleep(2_000);
        } finally {
            loading.set(false);
            load.shutdown();
            assertTrue(load.awaitTermination(120, TimeUnit.SECONDS));
        }
        System.out.println("ClusterFaultsIT: answers while the database restarted: " + statuses);
        assertTrue(wrong.isEmpty(), wrong.toString());
        assertTrue(statuses.getOrDefault(503, 0) > 0, "some requests met the database down: " + statuses);
        assertFalse(statuses.containsKey(500), "no 500: " + statuses);
        for (LibertyServer node : cluster.nodes()) {
            HttpResponse<String> after = upload(node.base(), "after.txt", text("after the restart"));
            assertEquals(201, after.statusCode(), node.name() + " after the restart, without one of its own: " + after.body());
        }
        assertEquals(200, get(cluster.base(), "api/drops/" + slugBefore).statusCode());
    }

    @Test
    void theStorageStoppedGives503sAndReadinessDownAndServiceResumesWhenItReturns() throws Exception {
        byte[] content = text("stored before the outage");
        HttpResponse<String> before = upload(cluster.base(), "kept.txt", content);
        assertEquals(201, before.statusCode(), before.body());
        JsonObject drop = json(before);
        List<String> wrong = new ArrayList<>();
        cluster.s3().stop();
        try {
            for (LibertyServer node : cluster.nodes()) {
                HttpResponse<String> refused = upload(node.base(), "lost.txt", text("no storage"));
                assertEquals(503, refused.statusCode(), node.name() + ": " + refused.body());
                checkAnswerUnderFault(refused, "storage-unavailable", wrong);
                HttpResponse<String> ready = get(node.base(), "health/ready");
                assertEquals(503, ready.statusCode(), node.name() + " readiness without storage: " + ready.body());
                assertEquals(200, get(node.base(), "api/drops/" + drop.getString("slug")).statusCode(), "metadata needs no storage");
            }
            assertTrue(wrong.isEmpty(), wrong.toString());
        } finally {
            cluster.s3().start();
        }
        awaitReadyEverywhere(Duration.ofSeconds(60));
        for (LibertyServer node : cluster.nodes()) {
            HttpResponse<String> after = upload(node.base(), "back.txt", text("storage back"));
            assertEquals(201, after.statusCode(), node.name() + ": " + after.body());
        }
        assertIntact(drop, content, "the file stored before the outage");
    }

    /** The status of a GET once the server's HTTP port is open (the refusal can be logged before it opens). */
    private static int answeredStatus(LibertyServer node, String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return get(node.base(), path).statusCode();
            } catch (java.io.UncheckedIOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    @Test
    void aNodeWithoutTheSharedTokenSecretRefusesToStartNamingTheKey() throws Exception {
        LibertyServer node = cluster.nodes().get(2);
        Map<String, String> settings = cluster.settingsOf(2);
        node.stop();
        try {
            Map<String, String> withoutSecret = new HashMap<>(settings);
            withoutSecret.remove("teledrop.auth.token-secret");
            node.settings(withoutSecret);
            Files.deleteIfExists(node.directory().resolve("logs/messages.log"));
            node.launch();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String refusal = null;
            while (refusal == null && System.nanoTime() < deadline) {
                Thread.sleep(500);
                refusal = Files.exists(node.directory().resolve("logs/messages.log"))
                        ? node.messages().stream().filter(l -> l.contains("TELEDROP_AUTH_TOKEN_SECRET")).findFirst().orElse(null) : null;
            }
            if (refusal == null) {
                fail("no line naming TELEDROP_AUTH_TOKEN_SECRET in " + node.directory().resolve("logs/messages.log"));
            }
            assertTrue(refusal.contains("teledrop.auth.token-secret") && refusal.contains("PostgreSQL"), refusal);
            int status = answeredStatus(node, "api/drops/anything");
            assertEquals(404, status, "the application is not running on a node that refused to start");
            assertTrue(!get(node.base(), "health/ready").body().contains("\"database\""), "no Teledrop check answers");
        } finally {
            node.stop();
            node.settings(settings);
            node.start("health/ready");
        }
    }

    /** The bytes of an upload, 64 KiB every 30 ms. */
    private static final class Throttled extends java.io.InputStream {
        private final byte[] content;
        private int position;

        Throttled(byte[] content) {
            this.content = content;
        }

        @Override
        public int read() {
            return position < content.length ? content[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= content.length) {
                return -1;
            }
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int n = Math.min(Math.min(length, 64 * 1024), content.length - position);
            System.arraycopy(content, position, buffer, offset, n);
            position += n;
            return n;
        }
    }

    /** A 503 must be a problem of {@code type} with Retry-After; anything else but a success is a defect. */
    private static void checkAnswerUnderFault(HttpResponse<String> answer, String type, List<String> wrong) {
        int status = answer.statusCode();
        if (status == 503) {
            if (!answer.body().contains("urn:teledrop:problem:" + type) || answer.headers().firstValue("Retry-After").isEmpty()
                    || !answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                wrong.add("503 without the " + type + " problem: " + answer.headers().map() + " " + answer.body());
            }
        } else if (status != 200 && status != 201) {
            wrong.add(status + ": " + answer.body());
        }
    }

    private static void assertIntact(JsonObject drop, byte[] content, String what) {
        JsonObject file = drop.getJsonArray("files").getJsonObject(0);
        assertEquals(sha256(content), file.getString("sha256"), what + ": recorded SHA-256");
        HttpResponse<byte[]> bytes = Nodes.sendForBytes(HttpRequest.newBuilder(on(cluster.base(), file.getString("downloadUrl"))).build());
        assertEquals(200, bytes.statusCode(), what);
        assertEquals(sha256(content), sha256(bytes.body()), what + ": downloaded bytes");
    }

    private static void awaitReadyEverywhere(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (LibertyServer node : cluster.nodes()) {
            while (get(node.base(), "health/ready").statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    fail(node.name() + " not ready again within " + within + ": " + get(node.base(), "health/ready").body());
                }
                Thread.sleep(500);
            }
        }
    }

    /** Every object in the bucket belongs to a file row, once the grace and a reconciliation have passed. */
    private static void assertNoOrphanInTheBucket() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Set<String> orphans;
        do {
            Thread.sleep(2_000);
            Set<String> recorded = new HashSet<>();
            try (Connection db = cluster.database(); Statement statement = db.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT storage_key FROM stored_files")) {
                while (rows.next()) {
                    recorded.add(rows.getString(1));
                }
            }
            orphans = new HashSet<>();
            try (S3Client s3 = S3Client.builder().endpointOverride(cluster.s3().endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(Cluster.S3_ACCESS_KEY, Cluster.S3_SECRET_KEY)))
                    .build()) {
                for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(Cluster.BUCKET)).contents()) {
                    if (!recorded.contains(object.key()) && !object.key().startsWith("health/") && !object.key().startsWith(".backups/")) {
                        orphans.add(object.key());
                    }
                }
            }
        } while (!orphans.isEmpty() && System.nanoTime() < deadline);
        assertTrue(orphans.isEmpty(), "objects no file refers to, 90 s after the kill: " + orphans);
    }
}

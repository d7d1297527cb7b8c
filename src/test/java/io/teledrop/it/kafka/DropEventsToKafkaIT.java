package io.teledrop.it.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.LibertyServer;
import io.teledrop.it.TeledropClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drop events reach a real Kafka broker (started by the build) exactly as committed: every change's event,
 * in order per drop, as CloudEvents without secrets; nothing lost while Kafka is down or when the server is
 * killed between commit and publication; nothing invented for a change that rolled back. A server of its own,
 * each test on a topic of its own.
 */
class DropEventsToKafkaIT {

    private static final Path WORK = Path.of("target", "events");
    private static final String KEY = "events-bootstrap-key-0123456789abcdef0123";
    private static final KafkaBroker KAFKA = KafkaBroker.fromBuild();

    private static LibertyServer server;
    private static String topic;
    private static int topics;
    private final TeledropClient client = new TeledropClient();

    @BeforeAll
    static void start() throws Exception {
        deleteTree(WORK);
        server = new LibertyServer(System.getProperty("teledrop.faults.server", "teledrop-faults"), LibertyServer.BASE, Map.of(), WORK.resolve("console.log"));
        useNewTopic();
    }

    /** Restarts the server on a topic of its own, so that no test reads another's events. */
    private static void useNewTopic() throws Exception {
        if (server.running()) {
            server.stop();
        }
        topic = "teledrop-events-" + ProcessHandle.current().pid() + "-" + (++topics);
        Map<String, String> settings = new HashMap<>();
        settings.put("teledrop.data.dir", WORK.resolve("data").toAbsolutePath().toString());
        settings.put("teledrop.auth.bootstrap-key", KEY);
        settings.put("teledrop.events.kafka.bootstrap-servers", KAFKA.bootstrap());
        settings.put("teledrop.events.kafka.topic", topic);
        settings.put("teledrop.events.kafka.relay-interval", "PT0.5S");
        settings.put("teledrop.events.source", "https://files.example.com/");
        settings.put("teledrop.maintenance.sweep-interval", "PT1S");
        server.settings(settings);
        server.start("health/ready");
    }

    @AfterEach
    void kafkaIsBack() throws Exception {
        KAFKA.resume();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private static JsonObject parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    /** The events on the topic, as CloudEvents, in the order of their partition (one drop's are in one). */
    private static List<JsonObject> events(int expected) {
        List<JsonObject> events = new ArrayList<>();
        for (ConsumerRecord<String, String> record : KAFKA.readAll(topic, Duration.ofSeconds(90), expected)) {
            JsonObject event = parse(record.value());
            assertEquals(event.getString("subject", ""), record.key(), "keyed by slug");
            events.add(event);
        }
        return events;
    }

    private static List<String> typesOf(List<JsonObject> events, String slug) {
        return events.stream().filter(e -> e.getString("subject", "").equals(slug)).map(e -> e.getString("type")).toList();
    }

    @Test
    void everyChangeOfADropIsPublishedInOrderAsACloudEventWithoutSecrets() throws Exception {
        TeledropClient.Multipart body = new TeledropClient.Multipart().field("title", "Quarterly").field("password", "s3cret-pass")
                .file("file", "a.txt", "text/plain", "alpha".getBytes(StandardCharsets.UTF_8))
                .file("file", "b.txt", "text/plain", "beta".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> created = client.postMultipart(body, "Accept", "application/json");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject drop = TeledropClient.json(created);
        String slug = drop.getString("slug");
        String deleteToken = drop.getString("deleteToken");

        HttpResponse<String> added = client.put("c.txt", "gamma".getBytes(StandardCharsets.UTF_8), "Teledrop-Drop", slug, "Teledrop-Delete-Token", deleteToken);
        assertEquals(201, added.statusCode(), added.body());
        HttpResponse<String> patched = client.send(client.request("api/drops/" + slug).header("Teledrop-Delete-Token", deleteToken)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"Q3\"}")).build());
        assertEquals(200, patched.statusCode(), patched.body());
        String fileId = drop.getJsonArray("files").getJsonObject(0).getString("id");
        HttpResponse<String> fileGone = client.send(client.request("api/drops/" + slug + "/files/" + fileId).header("Teledrop-Delete-Token", deleteToken)
                .DELETE().build());
        assertEquals(204, fileGone.statusCode(), fileGone.body());
        HttpResponse<String> dropGone = client.send(client.request("api/drops/" + slug).header("Teledrop-Delete-Token", deleteToken).DELETE().build());
        assertEquals(204, dropGone.statusCode(), dropGone.body());

        List<JsonObject> events = events(7);
        assertEquals(List.of("io.teledrop.drop.created", "io.teledrop.file.added", "io.teledrop.file.added", "io.teledrop.file.added",
                "io.teledrop.drop.updated", "io.teledrop.file.deleted", "io.teledrop.drop.deleted"), typesOf(events, slug));
        JsonObject first = events.get(0);
        assertEquals("1.0", first.getString("specversion"));
        assertEquals("https://files.example.com/", first.getString("source"));
        assertEquals("application/json", first.getString("datacontenttype"));
        assertFalse(first.getString("id").isBlank());
        assertFalse(first.getString("time").isBlank());
        assertEquals("Quarterly", first.getJsonObject("data").getString("title"));
        assertTrue(first.getJsonObject("data").getBoolean("passwordProtected"));
        assertEquals(2, first.getJsonObject("data").getJsonArray("files").size());
        assertEquals("Q3", events.get(4).getJsonObject("data").getString("title"));
        assertEquals(7, events.stream().map(e -> e.getString("id")).distinct().count(), "every event has its own id");
        for (JsonObject event : events) {
            String json = event.toString();
            assertFalse(json.contains(deleteToken), "no delete token in " + json);
            assertFalse(json.contains("s3cret-pass"), "no password in " + json);
            assertFalse(json.contains(KEY), "no key in " + json);
        }
    }

    @Test
    void eventsWaitWhileKafkaIsDownAndAllArriveInOrderWhenItReturns() throws Exception {
        useNewTopic();
        KAFKA.pause();
        List<String> slugs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> created = client.put("while-down-" + i + ".txt", ("down " + i).getBytes(StandardCharsets.UTF_8), "X-API-Key", KEY);
            assertEquals(201, created.statusCode(), "uploads work while Kafka is down: " + created.body());
            String slug = TeledropClient.json(created).getString("slug");
            slugs.add(slug);
            HttpResponse<String> patched = client.send(client.request("api/drops/" + slug).header("X-API-Key", KEY)
                    .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"t" + i + "\"}")).build());
            assertEquals(200, patched.statusCode(), patched.body());
        }
        HttpResponse<String> ready = client.send(client.request("health/ready").GET().build());
        assertEquals(200, ready.statusCode(), "ready while Kafka is down: " + ready.body());
        assertTrue(ready.body().contains("\"backlog\":15"), "the backlog shows: " + ready.body());
        String metrics = client.send(client.request("metrics?scope=application").GET().build()).body();
        assertTrue(metrics.lines().anyMatch(l -> l.matches("teledrop_events_backlog(\\{[^}]*\\})? 15(\\.0)?")),
                metrics.lines().filter(l -> l.contains("events")).toList().toString());

        KAFKA.resume();
        List<JsonObject> events = events(15);
        for (String slug : slugs) {
            assertEquals(List.of("io.teledrop.drop.created", "io.teledrop.file.added", "io.teledrop.drop.updated"), typesOf(events, slug), slug);
        }
        assertEquals(15, events.size());
        waitForBacklog(0);
    }

    @Test
    void anEventCommittedButNotPublishedWhenTheServerIsKilledArrivesAfterTheRestart() throws Exception {
        useNewTopic();
        KAFKA.pause();
        HttpResponse<String> created = client.put("before-the-crash.txt", "kept".getBytes(StandardCharsets.UTF_8), "X-API-Key", KEY);
        assertEquals(201, created.statusCode(), created.body());
        String slug = TeledropClient.json(created).getString("slug");
        server.kill();
        KAFKA.resume();
        server.start("health/ready");

        List<JsonObject> events = events(2);
        assertEquals(List.of("io.teledrop.drop.created", "io.teledrop.file.added"), typesOf(events, slug));
    }

    @Test
    void uploadsThatRollBackPublishNothing() throws Exception {
        useNewTopic();
        // Eight uploads race for one slug: the database lets exactly one commit; the others roll back.
        String slug = "race-" + System.nanoTime() % 1_000_000;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] content = ("racer " + i).getBytes(StandardCharsets.UTF_8);
                answers.add(pool.submit(() -> client.put("racer.txt", content, "Teledrop-Slug", slug)));
            }
            Map<Integer, Integer> statuses = new LinkedHashMap<>();
            for (Future<HttpResponse<String>> answer : answers) {
                statuses.merge(answer.get().statusCode(), 1, Integer::sum);
            }
            assertEquals(1, statuses.getOrDefault(201, 0), statuses.toString());
            assertEquals(7, statuses.getOrDefault(409, 0), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        // A marker after the race: once it is on the topic, everything before it is too.
        HttpResponse<String> marker = client.put("marker.txt", "m".getBytes(StandardCharsets.UTF_8));
        String markerSlug = TeledropClient.json(marker).getString("slug");
        List<JsonObject> events = events(4);
        assertEquals(List.of("io.teledrop.drop.created", "io.teledrop.file.added"), typesOf(events, markerSlug));
        assertEquals(List.of("io.teledrop.drop.created", "io.teledrop.file.added"), typesOf(events, slug), "one upload's events, not eight");
        Set<String> ids = new HashSet<>();
        events.forEach(e -> assertTrue(ids.add(e.getString("id")), "no event twice"));
    }

    @Test
    void aRefusedUploadIsRecordedWithItsReason() throws Exception {
        useNewTopic();
        HttpResponse<String> refused = client.put("audit.txt", "x".getBytes(StandardCharsets.UTF_8), "Teledrop-Slug", "audit-me",
                "Teledrop-Max-Downloads", "lots");
        assertEquals(400, refused.statusCode(), refused.body());

        List<JsonObject> events = events(1);
        assertEquals(List.of("io.teledrop.upload.refused"), typesOf(events, "audit-me"));
        JsonObject data = events.get(0).getJsonObject("data");
        assertEquals("urn:teledrop:problem:invalid-input", data.getString("reason"));
        assertEquals(400, data.getInt("status"));
        assertFalse(data.getString("detail").isBlank());
    }

    private void waitForBacklog(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = client.send(client.request("health/ready").GET().build()).body();
            if (body.contains("\"backlog\":" + expected + ",") || body.contains("\"backlog\":" + expected + "}")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the backlog did not reach " + expected + ": " + body);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}

package io.teledrop.it.cluster;

import static io.teledrop.it.cluster.Nodes.json;
import static io.teledrop.it.cluster.Nodes.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.kafka.KafkaBroker;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three servers write drop events into one outbox and all relay it: each event reaches Kafka once (two servers
 * never publish the same one), and each drop's events in the order they committed, whichever server made them.
 */
class EventsAcrossNodesIT {

    private static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.get();
    }

    @Test
    void eventsMadeOnEveryServerArriveOnceEachAndInOrderPerDrop() throws Exception {
        int drops = 30;
        List<String> slugs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> made = new ArrayList<>();
            for (int i = 0; i < drops; i++) {
                int n = i;
                made.add(pool.submit(() -> {
                    HttpResponse<String> created = upload(cluster.base(), "e" + n + ".txt", Nodes.text("event " + n));
                    assertEquals(201, created.statusCode(), created.body());
                    JsonObject drop = json(created);
                    HttpResponse<String> deleted = Nodes.delete(cluster.base(), "api/drops/" + drop.getString("slug"), drop.getString("deleteToken"));
                    assertEquals(204, deleted.statusCode(), deleted.body());
                    return drop.getString("slug");
                }));
            }
            for (Future<String> slug : made) {
                slugs.add(slug.get());
            }
        } finally {
            pool.shutdownNow();
        }

        // The topic is the cluster's: other tests' drops are there too. Read until every one of these drops has its events.
        Map<String, List<String>> typesBySlug = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        do {
            typesBySlug.clear();
            Set<String> ids = new HashSet<>();
            for (ConsumerRecord<String, String> record : KafkaBroker.fromBuild().readAll(Cluster.EVENTS_TOPIC, Duration.ofSeconds(10), Integer.MAX_VALUE)) {
                JsonObject event;
                try (var reader = Json.createReader(new StringReader(record.value()))) {
                    event = reader.readObject();
                }
                assertTrue(ids.add(event.getString("id")), "published once: " + event);
                typesBySlug.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(event.getString("type"));
            }
        } while (!slugs.stream().allMatch(slug -> typesBySlug.getOrDefault(slug, List.of()).size() >= 3) && System.nanoTime() < deadline);
        for (String slug : slugs) {
            assertEquals(List.of("io.teledrop.drop.created", "io.teledrop.file.added", "io.teledrop.drop.deleted"), typesBySlug.get(slug), slug);
        }
    }
}

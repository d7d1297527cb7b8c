package io.teledrop.it.cluster;

import static io.teledrop.it.cluster.Nodes.get;
import static io.teledrop.it.cluster.Nodes.json;
import static io.teledrop.it.cluster.Nodes.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.LibertyServer;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A log level an admin sets through one server reaches every server (issue 21; README, "Logs and audit"): the
 * override is a row of log_levels, which each server reads every 5 seconds.
 */
class LogLevelsAcrossNodesIT {

    private static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.get();
    }

    @AfterEach
    void backToTheConfiguredLevel() {
        assertEquals(200, put(cluster.nodes().get(0).base(), "{\"area\":\"web\",\"level\":null}").statusCode());
    }

    private static HttpResponse<String> put(URI node, String body) {
        return send(HttpRequest.newBuilder(node.resolve("api/admin/log-level")).timeout(Duration.ofSeconds(60))
                .header("X-API-Key", ClusterSettings.API_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String webLevel(URI node) {
        HttpResponse<String> answer = get(node, "api/admin/log-level", "X-API-Key", ClusterSettings.API_KEY);
        assertEquals(200, answer.statusCode(), answer.body());
        return json(answer).getJsonArray("levels").stream().map(JsonValue::asJsonObject)
                .filter(a -> a.getString("area").equals("web")).findFirst().map(a -> a.getString("level")).orElseThrow();
    }

    @Test
    void aLevelSetThroughOneServerIsAppliedByAll() throws Exception {
        List<LibertyServer> nodes = cluster.nodes();
        HttpResponse<String> changed = put(nodes.get(0).base(), "{\"area\":\"web\",\"level\":\"FINE\"}");
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("FINE", json(changed).getString("level"));

        for (LibertyServer node : nodes.subList(1, nodes.size())) {
            // Each server reads the table every 5 s: waited for, up to 20 s.
            for (int i = 0; i < 200 && !webLevel(node.base()).equals("FINE"); i++) {
                Thread.sleep(100);
            }
            assertEquals("FINE", webLevel(node.base()), node.name());
            // And its loggers follow: a refused request's FINE line lands in that server's trace.log.
            String id = "it-" + UUID.randomUUID();
            assertEquals(404, get(node.base(), "api/drops/no-such-" + id.substring(3, 11), "X-Request-Id", id).statusCode());
            assertTrue(awaitLine(node.directory().resolve("logs"), id), node.name() + "'s trace.log has no FINE line for " + id);
        }
    }

    private static boolean awaitLine(Path logs, String text) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Stream<Path> files = Files.list(logs)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("trace")).toList()) {
                    if (Files.readString(file, StandardCharsets.ISO_8859_1).contains(text)) {
                        return true;
                    }
                }
            }
            Thread.sleep(100);
        }
        return false;
    }
}

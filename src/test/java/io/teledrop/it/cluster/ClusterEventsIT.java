package io.teledrop.it.cluster;

import static io.teledrop.it.cluster.Nodes.json;
import static io.teledrop.it.cluster.Nodes.text;
import static io.teledrop.it.cluster.Nodes.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Live events ({@code /api/drops/{slug}/events}) of a change made on one node reach a reader on another. */
class ClusterEventsIT {

    private static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.get();
    }

    @Test
    void aFileAddedOnNodeAIsHeardByASubscriberOnNodeC() throws Exception {
        URI a = cluster.nodes().get(0).base();
        URI c = cluster.nodes().get(2).base();
        HttpResponse<String> created = upload(a, "first.txt", text("first"));
        assertEquals(201, created.statusCode(), created.body());
        JsonObject drop = json(created);
        String slug = drop.getString("slug");

        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = Nodes.HTTP.send(HttpRequest.newBuilder(c.resolve("api/drops/" + slug + "/events"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        Thread reader = new Thread(() -> stream.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        try {
            awaitLine(lines, "event: ready", 10);

            HttpResponse<String> added = upload(a, "second.txt", text("second"), "Teledrop-Drop", slug,
                    "Teledrop-Delete-Token", drop.getString("deleteToken"));
            assertEquals(201, added.statusCode(), added.body());
            awaitLine(lines, "event: file-added", 10);
            String data = awaitLine(lines, "data:", 5);
            assertTrue(data.contains("second.txt"), data);

            HttpResponse<String> deleted = Nodes.send(HttpRequest.newBuilder(cluster.nodes().get(1).base().resolve("api/drops/" + slug))
                    .header("Teledrop-Delete-Token", drop.getString("deleteToken")).DELETE().build());
            assertEquals(204, deleted.statusCode());
            awaitLine(lines, "event: drop-deleted", 10);
        } finally {
            stream.body().close();
        }
    }

    /** The first line starting with {@code prefix} within {@code seconds}, skipping others. */
    private static String awaitLine(BlockingQueue<String> lines, String prefix, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
        return fail("no line '" + prefix + "…' within " + seconds + " s");
    }
}

package io.teledrop.it.http;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient.Multipart;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /api/drops/{slug}/events}: what happens to a drop arrives as Server-Sent Events. */
@ExtendWith(ArquillianExtension.class)
class DropEventsIT {

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    /** Reads an event stream on a thread of its own; each complete event arrives as "name data", comments apart. */
    private static final class EventReader implements AutoCloseable {
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
        private final InputStream body;
        private final Thread thread;

        EventReader(HttpResponse<InputStream> response) {
            body = response.body();
            thread = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    String name = "message";
                    StringBuilder data = new StringBuilder();
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.startsWith(":")) {
                            comments.add(line.substring(1).strip());
                        } else if (line.startsWith("event:")) {
                            name = line.substring(6).strip();
                        } else if (line.startsWith("data:")) {
                            data.append(line.substring(5).strip());
                        } else if (line.isEmpty() && data.length() > 0) {
                            events.add(name + " " + data);
                            name = "message";
                            data.setLength(0);
                        }
                    }
                    events.add("(end)");
                } catch (IOException e) {
                    events.add("(end)");
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        String next() throws InterruptedException {
            String event = events.poll(30, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no event within 30 s");
            }
            return event;
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    private HttpResponse<InputStream> open(String slug, String... headers) {
        var request = client.request("api/drops/" + slug + "/events").header("Accept", "text/event-stream").timeout(Duration.ofMinutes(2)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return client.http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void addedFilesDownloadsAndTheEndOfADropArriveInOrder() throws Exception {
        JsonObject drop = json(client.put("first.txt", "one".getBytes()));
        String slug = drop.getString("slug");
        HttpResponse<InputStream> stream = open(slug);
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));

        try (EventReader events = new EventReader(stream)) {
            assertTrue(events.next().startsWith("ready "), "a greeting first");

            JsonObject added = json(client.put("second.txt", "two".getBytes(), "Teledrop-Drop", slug,
                    "Teledrop-Delete-Token", drop.getString("deleteToken")));
            String fileAdded = events.next();
            assertTrue(fileAdded.startsWith("file-added ") && fileAdded.contains("\"fileName\":\"second.txt\""), fileAdded);

            client.download(added.getJsonArray("files").getJsonObject(0).getString("downloadUrl"));
            assertTrue(events.next().startsWith("download "));

            client.send(client.request("api/drops/" + slug).header("Teledrop-Delete-Token", drop.getString("deleteToken")).DELETE().build());
            assertTrue(events.next().startsWith("drop-deleted "));
            assertEquals("(end)", events.next(), "the stream closes with its drop");
        }
    }

    @Test
    void aDeletedFileIsAnnounced() throws Exception {
        JsonObject drop = json(client.postMultipart(new Multipart().file("file", "keep.txt", "text/plain", new byte[] {1})
                .file("file", "gone.txt", "text/plain", new byte[] {2})));
        String slug = drop.getString("slug");
        String goneId = drop.getJsonArray("files").getJsonObject(1).getString("id");
        try (EventReader events = new EventReader(open(slug))) {
            assertTrue(events.next().startsWith("ready "));

            assertEquals(204, client.send(client.request("api/drops/" + slug + "/files/" + goneId)
                    .header("Teledrop-Delete-Token", drop.getString("deleteToken")).DELETE().build()).statusCode());

            String deleted = events.next();
            assertTrue(deleted.startsWith("file-deleted ") && deleted.contains("\"fileName\":\"gone.txt\"")
                    && deleted.contains(goneId), deleted);
        }
    }

    @Test
    void anIdleStreamGetsHeartbeatCommentsThatAreNoEvents() throws Exception {
        String slug = json(client.put("idle.txt", "x".getBytes())).getString("slug");
        try (EventReader events = new EventReader(open(slug))) {
            assertTrue(events.next().startsWith("ready "));

            // The test server beats every 2 s (arquillian.xml); the 30 s default is checked in SettingsTest.
            assertEquals("heartbeat", events.comments.poll(10, TimeUnit.SECONDS));
            assertEquals("heartbeat", events.comments.poll(10, TimeUnit.SECONDS), "the heartbeat repeats");
            assertNull(events.events.poll(), "a heartbeat is no event for EventSource listeners");
        }
    }

    @Test
    void aProtectedDropsEventsNeedItsPasswordAndAMissingDropHasNone() throws Exception {
        String slug = json(client.postMultipart(new Multipart().field("password", "pw").file("file", "a.txt", "text/plain", new byte[] {1})))
                .getString("slug");
        HttpResponse<InputStream> locked = open(slug);
        assertEquals(401, locked.statusCode());
        locked.body().close();

        String token = json(client.send(client.request("api/drops/" + slug + "/unlock").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"password\":\"pw\"}")).build())).getString("token");
        try (EventReader events = new EventReader(open(slug, "Teledrop-Unlock", token))) {
            assertTrue(events.next().startsWith("ready "));
        }

        assertProblem(client.send(client.request("api/drops/no-such-drop/events").GET().build()), 404, "urn:teledrop:problem:not-found");
    }
}

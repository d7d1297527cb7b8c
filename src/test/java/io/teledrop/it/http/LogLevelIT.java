package io.teledrop.it.http;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET} and {@code PUT /api/admin/log-level} on the running server (issue 21): who may, what a wrong body
 * gets, and that lowering an area's level makes its FINE lines appear in trace.log, where Liberty writes what is
 * below INFO (README, "Logs and audit").
 */
@ExtendWith(ArquillianExtension.class)
class LogLevelIT {

    private static final String ADMIN_KEY = System.getProperty("teledrop.it.api-key");
    private static final Path LOGS = TeledropClient.SERVER_DIR.resolve("logs");
    private static final List<String> AREAS = List.of("teledrop", "audit", "cluster", "config", "drop", "events", "ops", "security", "storage", "web");

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    /** Levels live in the database: leave none behind for the other tests. */
    @AfterEach
    void backToTheConfiguredLevels() {
        for (String area : List.of("teledrop", "web")) {
            assertEquals(200, put(ADMIN_KEY, "{\"area\":\"" + area + "\",\"level\":null}").statusCode());
        }
    }

    private HttpResponse<String> get(String key) {
        HttpRequest.Builder request = client.request("api/admin/log-level").GET();
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return client.send(request.build());
    }

    private HttpResponse<String> put(String key, String body) {
        HttpRequest.Builder request = client.request("api/admin/log-level").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return client.send(request.build());
    }

    private String readKey() {
        HttpResponse<String> issued = client.send(client.request("api/keys").header("Content-Type", "application/json").header("X-API-Key", ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"log-level-reader\",\"permissions\":[\"read\",\"delete\"]}")).build());
        assertEquals(201, issued.statusCode(), issued.body());
        return json(issued).getString("key");
    }

    private static JsonObject area(JsonObject answer, String area) {
        return answer.getJsonArray("levels").stream().map(JsonValue::asJsonObject).filter(a -> a.getString("area").equals(area))
                .findFirst().orElseThrow();
    }

    @Test
    void onlyAnAdminMaySeeOrChangeLevels() {
        assertProblem(get(null), 401, "urn:teledrop:problem:authentication-required");
        assertProblem(put(null, "{\"level\":\"FINE\"}"), 401, "urn:teledrop:problem:authentication-required");
        String reader = readKey();
        assertProblem(get(reader), 403, "urn:teledrop:problem:forbidden");
        assertProblem(put(reader, "{\"level\":\"FINE\"}"), 403, "urn:teledrop:problem:forbidden");
        assertProblem(put("td_not-a-key-at-all-0000000000000000000000", "{\"level\":\"FINE\"}"), 401, "urn:teledrop:problem:authentication-required");
    }

    @Test
    void theLevelsOfEveryArea() {
        HttpResponse<String> response = get(ADMIN_KEY);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
        JsonObject answer = json(response);
        assertEquals(AREAS, answer.getJsonArray("levels").stream().map(a -> a.asJsonObject().getString("area")).toList());
        JsonObject root = area(answer, "teledrop");
        assertEquals("io.teledrop", root.getString("logger"));
        assertEquals("INFO", root.getString("level"));
        assertEquals("INFO", root.getString("configured"));
        assertTrue(root.isNull("override"), root.toString());
        assertEquals("io.teledrop.storage", area(answer, "storage").getString("logger"));
    }

    @Test
    void aWrongBodyIsRefusedNamingTheField() {
        assertField(put(ADMIN_KEY, "[\"FINE\"]"), "body");
        assertField(put(ADMIN_KEY, "not json"), "body");
        assertField(put(ADMIN_KEY, ""), "body");
        assertField(put(ADMIN_KEY, "{}"), "level");
        assertField(put(ADMIN_KEY, "{\"level\":\"LOUD\"}"), "level");
        assertField(put(ADMIN_KEY, "{\"level\":5}"), "level");
        assertField(put(ADMIN_KEY, "{\"area\":\"nowhere\",\"level\":\"FINE\"}"), "area");
        assertField(put(ADMIN_KEY, "{\"area\":[\"web\"],\"level\":\"FINE\"}"), "area");
        assertField(put(ADMIN_KEY, "{\"level\":\"FINE\",\"colour\":\"red\"}"), "colour");
        JsonObject typo = assertField(put(ADMIN_KEY, "{\"area\":\"storag\",\"level\":\"FINE\"}"), "area");
        assertTrue(typo.getJsonArray("errors").getJsonObject(0).getString("message").contains("did you mean 'storage'"), typo.toString());

        assertEquals("INFO", area(json(get(ADMIN_KEY)), "teledrop").getString("level"), "nothing changed");
    }

    private static JsonObject assertField(HttpResponse<String> response, String field) {
        JsonObject problem = assertProblem(response, 400, "urn:teledrop:problem:invalid-input");
        assertEquals(List.of(field), problem.getJsonArray("errors").stream().map(e -> e.asJsonObject().getString("field")).toList(), problem.toString());
        return problem;
    }

    /** A client error is logged at FINE in the web area: not written at INFO, written once web is at FINE, in trace.log. */
    @Test
    void loweringAnAreasLevelMakesItsFineLinesAppear() throws Exception {
        String before = refusedRequest();

        HttpResponse<String> changed = put(ADMIN_KEY, "{\"area\":\"web\",\"level\":\"fine\"}");

        assertEquals(200, changed.statusCode(), changed.body());
        JsonObject answer = json(changed);
        assertEquals("web", answer.getString("area"));
        assertEquals("INFO", answer.getString("previous"));
        assertEquals("FINE", answer.getString("level"));
        JsonObject web = area(json(get(ADMIN_KEY)), "web");
        assertEquals("FINE", web.getString("level"));
        assertEquals("INFO", web.getString("configured"));
        assertEquals("FINE", web.getString("override"));
        assertEquals("bootstrap-key", web.getString("changedBy"));
        assertEquals("INFO", area(json(get(ADMIN_KEY)), "storage").getString("level"), "other areas keep theirs");

        String after = refusedRequest();
        String line = awaitTraceLine(after);
        assertTrue(line.contains("refused (404)"), line);
        assertFalse(traceContains(before), "a FINE line was written while web was at INFO");

        HttpResponse<String> back = put(ADMIN_KEY, "{\"area\":\"web\",\"level\":null}");
        assertEquals(200, back.statusCode(), back.body());
        assertEquals("FINE", json(back).getString("previous"));
        assertEquals("INFO", json(back).getString("level"));
        assertTrue(area(json(back), "web").isNull("override"));
    }

    /** The root's level reaches every area without a level of its own. */
    @Test
    void theRootsLevelReachesEveryArea() throws Exception {
        HttpResponse<String> changed = put(ADMIN_KEY, "{\"level\":\"FINER\"}");

        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("teledrop", json(changed).getString("area"));
        for (String area : AREAS) {
            assertEquals("FINER", area(json(changed), area).getString("level"), area);
        }
        String id = refusedRequest();
        assertTrue(awaitTraceLine(id).contains("refused (404)"));
    }

    /** A request answered 404 (logged at FINE), with an id of its own. */
    private String refusedRequest() {
        String id = "it-" + UUID.randomUUID();
        HttpResponse<String> response = client.send(client.request("api/drops/no-such-drop-" + id.substring(3, 11)).header("X-Request-Id", id).GET().build());
        assertEquals(404, response.statusCode());
        return id;
    }

    /** Liberty writes trace.log from a buffer: the line is waited for, up to 10 s. */
    private static String awaitTraceLine(String text) throws Exception {
        for (int i = 0; i < 100; i++) {
            String line = traceLine(text);
            if (line != null) {
                return line;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("trace.log has no line with " + text);
    }

    private static boolean traceContains(String text) throws IOException {
        return traceLine(text) != null;
    }

    private static String traceLine(String text) throws IOException {
        try (Stream<Path> files = Files.list(LOGS)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("trace")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
        }
        return null;
    }
}

package io.teledrop.it.http;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit log on the running server (issue 21): security events land in logs/audit.log as one JSON object a line,
 * naming who (by key id, never the key), what, from where and in which request; no secret ever reaches the file.
 */
@ExtendWith(ArquillianExtension.class)
class AuditLogIT {

    private static final String ADMIN_KEY = System.getProperty("teledrop.it.api-key");
    private static final Path LOGS = TeledropClient.SERVER_DIR.resolve("logs");
    private static final String PASSWORD = "audit-pa55word-never-logged";

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private static String requestId() {
        return "it-" + UUID.randomUUID();
    }

    private HttpResponse<String> issue(String key, String requestId, String body) {
        return client.send(client.request("api/keys").header("Content-Type", "application/json").header("X-API-Key", key)
                .header("X-Request-Id", requestId).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void issuingAndRevokingAKeyAreAudited() throws Exception {
        String issuing = requestId();
        HttpResponse<String> issued = issue(ADMIN_KEY, issuing, "{\"name\":\"audited ci\",\"permissions\":[\"read\",\"create\"]}");
        assertEquals(201, issued.statusCode(), issued.body());
        String secret = json(issued).getString("key");
        String id = json(issued).getJsonObject("details").getString("id");
        String revoking = requestId();
        assertEquals(204, client.send(client.request("api/keys/" + id).header("X-API-Key", ADMIN_KEY).header("X-Request-Id", revoking)
                .DELETE().build()).statusCode());

        JsonObject issuedLine = line(issuing);
        assertEquals("key-issued", issuedLine.getString("type"));
        assertEquals("success", issuedLine.getString("outcome"));
        assertEquals("bootstrap-key", issuedLine.getString("actor"));
        assertEquals(id, issuedLine.getJsonObject("target").getString("key"));
        assertEquals("audited ci", issuedLine.getJsonObject("detail").getString("name"));
        assertEquals("read,create", issuedLine.getJsonObject("detail").getString("permissions"));
        assertTrue(issuedLine.getString("client").length() > 0);
        assertTrue(issuedLine.getString("node").length() > 0);
        assertTrue(Instant.parse(issuedLine.getString("time")).isAfter(Instant.now().minusSeconds(600)));

        JsonObject revokedLine = line(revoking);
        assertEquals("key-revoked", revokedLine.getString("type"));
        assertEquals("success", revokedLine.getString("outcome"));
        assertEquals(id, revokedLine.getJsonObject("target").getString("key"));

        assertNoSecrets(secret, ADMIN_KEY);
    }

    @Test
    void aNonAdminKeyTryingToIssueKeysIsAuditedByItsId() throws Exception {
        HttpResponse<String> issued = issue(ADMIN_KEY, requestId(), "{\"name\":\"reader\",\"permissions\":[\"read\"]}");
        String reader = json(issued).getString("key");
        String readerId = json(issued).getJsonObject("details").getString("id");
        String refused = requestId();

        assertProblem(issue(reader, refused, "{\"name\":\"escalation\",\"permissions\":[\"admin\"]}"), 403, "urn:teledrop:problem:forbidden");

        JsonObject line = line(refused);
        assertEquals("key-issued", line.getString("type"));
        assertEquals("failure", line.getString("outcome"));
        assertEquals("key:" + readerId, line.getString("actor"));
        assertNoSecrets(reader);
    }

    @Test
    void deletingADropByKeyAndByTokenIsAudited() throws Exception {
        HttpResponse<String> issued = issue(ADMIN_KEY, requestId(), "{\"name\":\"cleaner\",\"permissions\":[\"delete\"]}");
        String key = json(issued).getString("key");
        String keyId = json(issued).getJsonObject("details").getString("id");
        JsonObject byKey = json(client.put("by-key.txt", new byte[] {1}));
        JsonObject byToken = json(client.put("by-token.txt", new byte[] {2}));
        String keyRequest = requestId();
        String tokenRequest = requestId();
        String wrongRequest = requestId();

        assertEquals(204, client.send(client.request("api/drops/" + byKey.getString("slug")).header("X-API-Key", key)
                .header("X-Request-Id", keyRequest).DELETE().build()).statusCode());
        assertProblem(client.send(client.request("api/drops/" + byToken.getString("slug")).header("Teledrop-Delete-Token", "wrong-" + byKey.getString("deleteToken"))
                .header("X-Request-Id", wrongRequest).DELETE().build()), 403, "urn:teledrop:problem:forbidden");
        assertEquals(204, client.send(client.request("api/drops/" + byToken.getString("slug")).header("Teledrop-Delete-Token", byToken.getString("deleteToken"))
                .header("X-Request-Id", tokenRequest).DELETE().build()).statusCode());

        JsonObject keyLine = line(keyRequest);
        assertEquals("drop-deleted", keyLine.getString("type"));
        assertEquals("success", keyLine.getString("outcome"));
        assertEquals("key:" + keyId, keyLine.getString("actor"));
        assertEquals(byKey.getString("slug"), keyLine.getJsonObject("target").getString("drop"));
        assertEquals("api-key", keyLine.getJsonObject("detail").getString("by"));
        JsonObject tokenLine = line(tokenRequest);
        assertEquals("success", tokenLine.getString("outcome"));
        assertEquals("anonymous", tokenLine.getString("actor"));
        assertEquals("delete-token", tokenLine.getJsonObject("detail").getString("by"));
        JsonObject wrongLine = line(wrongRequest);
        assertEquals("failure", wrongLine.getString("outcome"));
        assertEquals(byToken.getString("slug"), wrongLine.getJsonObject("target").getString("drop"));

        assertNoSecrets(key, byKey.getString("deleteToken"), byToken.getString("deleteToken"));
    }

    @Test
    void unlockingOverTheLimitIsAudited() throws Exception {
        HttpResponse<String> created = client.put("guarded.txt", "guarded".getBytes(StandardCharsets.UTF_8), "Teledrop-Password", PASSWORD);
        assertEquals(201, created.statusCode(), created.body());
        String slug = json(created).getString("slug");
        List<String> wrongIds = new ArrayList<>();
        HttpResponse<String> last = null;
        String limited = null;
        for (int i = 0; i < 10 && (last == null || last.statusCode() != 429); i++) {
            String id = requestId();
            last = client.send(client.request("api/drops/" + slug + "/unlock").header("Content-Type", "application/json").header("X-Request-Id", id)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + PASSWORD + "-wrong-" + i + "\"}")).build());
            if (last.statusCode() == 429) {
                limited = id;
            } else {
                assertProblem(last, 403, "urn:teledrop:problem:wrong-password");
                wrongIds.add(id);
            }
        }
        assertProblem(last, 429, "urn:teledrop:problem:too-many-attempts");

        JsonObject line = line(limited);
        assertEquals("unlock-limited", line.getString("type"));
        assertEquals("limited", line.getString("outcome"));
        assertEquals(slug, line.getJsonObject("target").getString("drop"));
        assertTrue(Long.parseLong(line.getJsonObject("detail").getString("retryAfterSeconds")) > 0);
        // A wrong password under the limit is not a security event of its own.
        for (String id : wrongIds) {
            assertFalse(lines().stream().anyMatch(l -> id.equals(l.getString("requestId", null))), id);
        }
        assertNoSecrets(PASSWORD);
    }

    @Test
    void changingALogLevelIsAudited() throws Exception {
        String id = requestId();
        HttpResponse<String> changed = client.send(client.request("api/admin/log-level").header("Content-Type", "application/json")
                .header("X-API-Key", ADMIN_KEY).header("X-Request-Id", id).PUT(HttpRequest.BodyPublishers.ofString("{\"area\":\"ops\",\"level\":\"WARNING\"}")).build());
        assertEquals(200, changed.statusCode(), changed.body());
        try {
            JsonObject line = line(id);
            assertEquals("log-level-changed", line.getString("type"));
            assertEquals("bootstrap-key", line.getString("actor"));
            assertEquals("ops", line.getJsonObject("target").getString("area"));
            assertEquals("INFO", line.getJsonObject("detail").getString("old"));
            assertEquals("WARNING", line.getJsonObject("detail").getString("new"));
        } finally {
            assertEquals(200, client.send(client.request("api/admin/log-level").header("Content-Type", "application/json").header("X-API-Key", ADMIN_KEY)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"area\":\"ops\",\"level\":null}")).build()).statusCode());
        }
    }

    /** The one line of request {@code id}. */
    private static JsonObject line(String id) throws IOException {
        List<JsonObject> found = lines().stream().filter(l -> id.equals(l.getString("requestId", null))).toList();
        assertEquals(1, found.size(), "audit lines of request " + id + ": " + found);
        return found.get(0);
    }

    /** Every line of the audit log and its rolled-over files, each of which must be one JSON object. */
    private static List<JsonObject> lines() throws IOException {
        List<JsonObject> lines = new ArrayList<>();
        for (Path file : auditFiles()) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try (JsonReader reader = Json.createReader(new StringReader(line))) {
                    lines.add(reader.readObject());
                } catch (JsonException e) {
                    throw new AssertionError(file + " has a line that is not a JSON object: " + line, e);
                }
            }
        }
        return lines;
    }

    private static List<Path> auditFiles() throws IOException {
        try (Stream<Path> files = Files.list(LOGS)) {
            List<Path> audit = files.filter(f -> f.getFileName().toString().startsWith("audit.log")).toList();
            assertFalse(audit.isEmpty(), "no audit.log in " + LOGS);
            return audit;
        }
    }

    private static void assertNoSecrets(String... secrets) throws IOException {
        for (Path file : auditFiles()) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            for (String secret : secrets) {
                assertFalse(text.contains(secret), file + " contains a secret");
            }
        }
    }
}

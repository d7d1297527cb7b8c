package io.teledrop.it.http;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.config.SettingsCatalog;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/admin/config} and the start-up lines against the test server, which sets its small limits and
 * its bootstrap key as system properties (pom.xml, it.vm-arguments).
 */
@ExtendWith(ArquillianExtension.class)
class ConfigIT {

    private static final String ADMIN_KEY = System.getProperty("teledrop.it.api-key");
    private static final String MAX_FILES_PER_DROP = "teledrop.upload.max-files-per-drop";
    private static final String BOOTSTRAP_KEY = "teledrop.auth.bootstrap-key";

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private HttpResponse<String> config(String key) {
        HttpRequest.Builder request = client.request("api/admin/config").GET();
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return client.send(request.build());
    }

    private Map<String, JsonObject> settings() {
        HttpResponse<String> response = config(ADMIN_KEY);
        assertEquals(200, response.statusCode(), response.body());
        return json(response).getJsonArray("settings").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(s -> s.getString("key"), Function.identity()));
    }

    /** The secrets this server was given: the bootstrap key, and on the PostgreSQL server its password. */
    private static List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of(ADMIN_KEY));
        Optional.ofNullable(System.getProperty("teledrop.it.pg.password")).ifPresent(secrets::add);
        return secrets;
    }

    @Test
    void onlyAnAdminSeesTheConfiguration() {
        assertProblem(config(null), 401, "urn:teledrop:problem:authentication-required");
        HttpResponse<String> issued = client.send(client.request("api/keys").header("X-API-Key", ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"not-admin\",\"permissions\":[\"read\",\"create\",\"update\",\"delete\"]}")).build());
        assertEquals(201, issued.statusCode(), issued.body());
        assertProblem(config(json(issued).getString("key")), 403, "urn:teledrop:problem:forbidden");

        HttpResponse<String> answer = config(ADMIN_KEY);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(answer.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    }

    @Test
    void everySettingShowsItsValueDefaultAndSource() {
        Map<String, JsonObject> settings = settings();

        Set<String> known = settings.values().stream().filter(s -> s.getBoolean("known")).map(s -> s.getString("key"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(SettingsCatalog.settings().stream().map(SettingsCatalog.Setting::key).toList()), known);

        JsonObject maxFiles = settings.get(MAX_FILES_PER_DROP);
        assertEquals(String.valueOf(TeledropClient.MAX_FILES), maxFiles.getString("value"));
        assertEquals("100", maxFiles.getString("default"));
        assertTrue(maxFiles.getBoolean("changed"));
        assertEquals("system property", maxFiles.getString("source"), maxFiles.toString());
        assertNotNull(maxFiles.getString("sourceName"));
        assertFalse(maxFiles.getBoolean("secret"));

        JsonObject slugLength = settings.get("teledrop.slug.length");
        assertEquals("8", slugLength.getString("value"));
        assertEquals("default", slugLength.getString("source"));
        assertFalse(slugLength.getBoolean("changed"));
        assertEquals(JsonValue.NULL, slugLength.get("sourceName"));

        JsonObject publicUrl = settings.get("teledrop.public-url");
        assertEquals(JsonValue.NULL, publicUrl.get("value"), "no default and not set");
        assertFalse(publicUrl.getBoolean("changed"));
    }

    @Test
    void secretsAreMaskedAndTheirValuesAppearNowhere() {
        HttpResponse<String> answer = config(ADMIN_KEY);
        assertEquals(200, answer.statusCode());
        for (String secret : secrets()) {
            assertFalse(answer.body().contains(secret), "the answer contains a secret");
        }
        assertFalse(answer.body().contains(ADMIN_KEY.substring(0, 12)), "the answer contains the start of the bootstrap key");

        JsonObject bootstrapKey = settings().get(BOOTSTRAP_KEY);
        assertTrue(bootstrapKey.getBoolean("secret"));
        assertEquals(SettingsCatalog.MASK, bootstrapKey.getString("value"));
        assertTrue(bootstrapKey.getBoolean("changed"));
        assertEquals("system property", bootstrapKey.getString("source"));
        if (TeledropClient.POSTGRESQL) {
            JsonObject password = settings().get("teledrop.db.password");
            assertEquals(SettingsCatalog.MASK, password.getString("value"));
            assertTrue(password.getBoolean("secret"));
        }
    }

    @Test
    void theStartUpLogHasALinePerChangedSettingAndNoSecret() throws IOException {
        List<String> lines = messages();

        String expected = "Setting " + MAX_FILES_PER_DROP + " = " + TeledropClient.MAX_FILES + " (from system property)";
        assertTrue(lines.stream().anyMatch(line -> line.contains(expected)), "messages.log has no line '" + expected + "'");
        assertTrue(lines.stream().anyMatch(line -> line.contains("Setting " + BOOTSTRAP_KEY + " = ") && line.contains("(from system property)")),
                "the bootstrap key is logged as set");
        assertFalse(lines.stream().anyMatch(line -> line.contains("Setting teledrop.slug.length ")), "a default is not logged");
        for (String secret : secrets()) {
            assertFalse(lines.stream().anyMatch(line -> line.contains(secret)), "messages.log contains a secret");
        }
    }

    /** The lines of the server's messages.log and its rotations. */
    private static List<String> messages() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(TeledropClient.SERVER_DIR.resolve("logs"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("messages")).toList()) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.ISO_8859_1));
            }
        }
        return lines;
    }
}

package io.teledrop.it.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The access log carries each request's id; the server's logs never carry keys or tokens. */
@ExtendWith(ArquillianExtension.class)
class LoggingIT {

    private static final Path LOGS = TeledropClient.SERVER_DIR.resolve("logs");

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void theAccessLogNamesEveryRequestById() throws Exception {
        String id = "it-" + UUID.randomUUID();

        HttpResponse<String> response = client.send(client.request("api/drops/nosuchdrop").header("X-Request-Id", id).GET().build());

        assertEquals(id, response.headers().firstValue("X-Request-Id").orElseThrow());
        for (int i = 0; i < 50 && !logsContain("access.log", id); i++) {
            Thread.sleep(100);
        }
        assertTrue(logsContain("access.log", id), "access.log has no line for request " + id);
    }

    @Test
    void keysAndTokensNeverReachTheLogs() throws Exception {
        String deleteToken = TeledropClient.json(client.put("secret.txt", new byte[] {1}, "Teledrop-Password", "pa55-word-in-log?"))
                .getString("deleteToken");
        jakarta.json.JsonObject other = TeledropClient.json(client.put("other.txt", new byte[] {2}));
        String queryToken = other.getString("deleteToken");
        client.send(client.request("api/drops").header("Authorization", "Bearer wrong-" + deleteToken).GET().build());
        // A delete link carries its token in the query string.
        assertEquals(204, client.send(client.request("api/drops/" + other.getString("slug") + "?token=" + queryToken).DELETE().build()).statusCode());
        Thread.sleep(500);

        java.util.List<String> secrets = new java.util.ArrayList<>(java.util.List.of(System.getProperty("teledrop.it.api-key"), deleteToken, queryToken, "pa55-word-in-log?"));
        // On the PostgreSQL server, its password (teledrop.db.password) too.
        java.util.Optional.ofNullable(System.getProperty("teledrop.it.pg.password")).ifPresent(secrets::add);
        for (String secret : secrets) {
            for (String log : new String[] {"messages.log", "trace.log", "access.log", "console.log"}) {
                assertFalse(logsContain(log, secret), log + " contains a secret");
            }
        }
    }

    private static boolean logsContain(String name, String text) throws IOException {
        try (Stream<Path> files = Files.list(LOGS)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(name.replace(".log", ""))).toList()) {
                if (Files.readString(file, StandardCharsets.ISO_8859_1).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }
}

package io.teledrop.it.http;

import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MicroProfile Health on the running server. */
@ExtendWith(ArquillianExtension.class)
class HealthIT {

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void readyChecksTheDatabaseAndTheStorage() {
        HttpResponse<String> ready = client.send(client.request("health/ready").GET().build());

        assertEquals(200, ready.statusCode(), ready.body());
        JsonObject answer = json(ready);
        assertEquals("UP", answer.getString("status"));
        Map<String, String> checks = answer.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(c -> c.getString("name"), c -> c.getString("status")));
        assertEquals(Map.of("database", "UP", "storage", "UP"), checks);
    }

    @Test
    void liveAndStartedAreUp() {
        for (String path : new String[] {"health/live", "health/started", "health"}) {
            HttpResponse<String> response = client.send(client.request(path).GET().build());
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            assertEquals("UP", json(response).getString("status"), path);
        }
    }
}

package io.teledrop.it.http;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issuing, using, listing and revoking API keys against the running server. */
@ExtendWith(ArquillianExtension.class)
class ApiKeysIT {

    private static final String ADMIN_KEY = System.getProperty("teledrop.it.api-key");

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private HttpResponse<String> issue(String key, String body) {
        HttpRequest.Builder request = client.request("api/keys").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return client.send(request.build());
    }

    private HttpResponse<String> listDrops(String key) {
        return client.send(client.request("api/drops?size=1").header("Authorization", "Bearer " + key).GET().build());
    }

    @Test
    void aReadKeyListsButCannotDeleteAndStopsWorkingWhenRevoked() {
        HttpResponse<String> issued = issue(ADMIN_KEY, "{\"name\":\"reporting\",\"permissions\":[\"read\"]}");
        assertEquals(201, issued.statusCode(), issued.body());
        assertEquals("no-store", issued.headers().firstValue("Cache-Control").orElseThrow());
        JsonObject answer = json(issued);
        String key = answer.getString("key");
        String id = answer.getJsonObject("details").getString("id");
        assertTrue(key.startsWith("td_") && key.length() > 40, key);
        assertEquals(List.of("read"), answer.getJsonObject("details").getJsonArray("permissions").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());

        assertEquals(200, listDrops(key).statusCode());
        JsonObject drop = json(client.put("x.txt", new byte[] {1}));
        assertProblem(client.send(client.request("api/drops/" + drop.getString("slug")).header("X-API-Key", key).DELETE().build()),
                403, "urn:teledrop:problem:forbidden");
        assertProblem(issue(key, "{\"name\":\"sneaky\",\"permissions\":[\"admin\"]}"), 403, "urn:teledrop:problem:forbidden");

        HttpResponse<String> listed = client.send(client.request("api/keys").header("X-API-Key", ADMIN_KEY).GET().build());
        assertEquals(200, listed.statusCode());
        assertTrue(listed.body().contains(id) && !listed.body().contains(key), "keys are listed without their secret");
        assertTrue(listed.body().contains("\"lastUsed\""), "a used key shows when it was last used");

        HttpResponse<String> revoked = client.send(client.request("api/keys/" + id).header("X-API-Key", ADMIN_KEY).DELETE().build());
        assertEquals(204, revoked.statusCode());
        assertProblem(listDrops(key), 401, "urn:teledrop:problem:authentication-required");
    }

    @Test
    void anExpiredKeyIsRefused() throws InterruptedException {
        String key = json(issue(ADMIN_KEY, "{\"name\":\"short\",\"permissions\":[\"read\"],\"expires\":\"PT1S\"}")).getString("key");
        assertEquals(200, listDrops(key).statusCode());

        Thread.sleep(1500);

        assertProblem(listDrops(key), 401, "urn:teledrop:problem:authentication-required");
    }

    @Test
    void keyManagementNeedsAnAdminAndValidFields() {
        assertProblem(issue(null, "{\"name\":\"x\",\"permissions\":[\"read\"]}"), 401, "urn:teledrop:problem:authentication-required");
        JsonObject invalid = assertProblem(issue(ADMIN_KEY, "{\"name\":\"\",\"permissions\":[\"fly\"],\"expires\":\"2001-01-01T00:00:00Z\"}"),
                400, "urn:teledrop:problem:invalid-input");
        assertFalse(invalid.getJsonArray("errors").isEmpty());
        assertProblem(client.send(client.request("api/keys/no-such-key").header("X-API-Key", ADMIN_KEY).DELETE().build()),
                404, "urn:teledrop:problem:not-found");
        assertProblem(client.send(client.request("api/keys").GET().build()), 401, "urn:teledrop:problem:authentication-required");
    }
}

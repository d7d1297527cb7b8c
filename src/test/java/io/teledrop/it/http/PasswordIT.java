package io.teledrop.it.http;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient.Multipart;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Password-protected drops: locked until unlocked, unlock tokens scoped to one drop, guessing slowed down. */
@ExtendWith(ArquillianExtension.class)
class PasswordIT {

    private static final byte[] SECRET = "the secret file".getBytes(StandardCharsets.UTF_8);

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private HttpResponse<String> unlock(String slug, String password) {
        return client.send(client.request("api/drops/" + slug + "/unlock").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + password + "\"}")).build());
    }

    private HttpResponse<byte[]> download(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.sendForBytes(request.build());
    }

    @Test
    void aProtectedDropOpensOnlyWithItsPassword() {
        JsonObject drop = json(client.postMultipart(new Multipart().field("password", "correct horse")
                .file("file", "secret.txt", "text/plain", SECRET)));
        String slug = drop.getString("slug");
        String url = drop.getJsonArray("files").getJsonObject(0).getString("downloadUrl");

        HttpResponse<String> locked = client.send(client.request("api/drops/" + slug).GET().build());
        assertProblem(locked, 401, "urn:teledrop:problem:password-required");
        assertTrue(locked.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Teledrop-Unlock"));
        assertEquals(401, download(url).statusCode());
        assertEquals(401, download(drop.getString("zipUrl")).statusCode());
        assertProblem(unlock(slug, "wrong"), 403, "urn:teledrop:problem:wrong-password");

        HttpResponse<String> unlocked = unlock(slug, "correct horse");
        assertEquals(200, unlocked.statusCode(), unlocked.body());
        String token = json(unlocked).getString("token");
        String cookie = unlocked.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("td_unlock_" + slug + "=") && cookie.contains("HttpOnly"), cookie);

        assertArrayEquals(SECRET, download(url, "Teledrop-Unlock", token).body());
        assertArrayEquals(SECRET, download(url, "Cookie", "td_unlock_" + slug + "=" + token).body());
        assertEquals(200, client.send(client.request("api/drops/" + slug).header("Teledrop-Unlock", token).GET().build()).statusCode());
        // The owner's delete token and an admin key open it too.
        assertEquals(200, download(url, "Teledrop-Delete-Token", drop.getString("deleteToken")).statusCode());
        assertEquals(200, download(url, "X-API-Key", System.getProperty("teledrop.it.api-key")).statusCode());
    }

    @Test
    void anUnlockTokenOpensOnlyItsOwnDrop() {
        JsonObject first = json(client.put("a.txt", SECRET, "Teledrop-Password", "one"));
        JsonObject second = json(client.put("b.txt", SECRET, "Teledrop-Password", "two"));
        String token = json(unlock(first.getString("slug"), "one")).getString("token");

        HttpResponse<byte[]> other = download(second.getJsonArray("files").getJsonObject(0).getString("downloadUrl"), "Teledrop-Unlock", token);
        HttpResponse<byte[]> forged = download(first.getJsonArray("files").getJsonObject(0).getString("downloadUrl"),
                "Teledrop-Unlock", token.substring(0, token.length() - 2) + "xx");

        assertEquals(401, other.statusCode());
        assertEquals(401, forged.statusCode());
    }

    @Test
    void repeatedWrongPasswordsAreSlowedDownWithRetryAfter() {
        String slug = json(client.put("c.txt", SECRET, "Teledrop-Password", "right")).getString("slug");

        for (int i = 0; i < 5; i++) {
            assertProblem(unlock(slug, "guess" + i), 403, "urn:teledrop:problem:wrong-password");
        }
        HttpResponse<String> limited = unlock(slug, "right");

        assertProblem(limited, 429, "urn:teledrop:problem:too-many-attempts");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 900, String.valueOf(retryAfter));
    }
}

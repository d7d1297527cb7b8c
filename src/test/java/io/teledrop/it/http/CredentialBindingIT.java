package io.teledrop.it.http;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Credentials are bound to the identity of what they open (issue 14): an unlock token or a delete token of
 * a drop opens nothing once the drop is gone, not even a new drop under the same slug with the same
 * password; an admin page session ends when its key is revoked; the unlock-token secret survives restarts.
 */
@ExtendWith(ArquillianExtension.class)
class CredentialBindingIT {

    private static final String ADMIN_KEY = System.getProperty("teledrop.it.api-key");
    private static final String PASSWORD = "the same password";
    private static final byte[] OLD = "the first drop's file".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "the second drop's file, someone else's".getBytes(StandardCharsets.UTF_8);

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private JsonObject protectedDrop(String slug, String name, byte[] content) {
        HttpResponse<String> created = client.put(name, content, "Teledrop-Slug", slug, "Teledrop-Password", PASSWORD);
        assertEquals(201, created.statusCode(), created.body());
        return json(created);
    }

    private String unlock(String slug) {
        HttpResponse<String> unlocked = client.send(client.request("api/drops/" + slug + "/unlock").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + PASSWORD + "\"}")).build());
        assertEquals(200, unlocked.statusCode(), unlocked.body());
        return json(unlocked).getString("token");
    }

    private HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = client.request(path).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build());
    }

    private HttpResponse<byte[]> download(String url, String... headers) {
        return client.sendForBytes(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).headers(headers).GET().build());
    }

    @Test
    void tokensOfADeletedDropOpenNothingOfANewDropUnderTheSameSlugAndPassword() {
        String slug = "cb-" + UUID.randomUUID().toString().substring(0, 8);
        JsonObject first = protectedDrop(slug, "old.txt", OLD);
        String oldDeleteToken = first.getString("deleteToken");
        String oldUnlock = unlock(slug);
        assertEquals(200, get("api/drops/" + slug, "Teledrop-Unlock", oldUnlock).statusCode());

        HttpResponse<String> deleted = client.send(client.request("api/drops/" + slug).header("Teledrop-Delete-Token", oldDeleteToken).DELETE().build());
        assertEquals(204, deleted.statusCode(), deleted.body());
        // The drop is gone: its token opens nothing.
        assertProblem(get("api/drops/" + slug, "Teledrop-Unlock", oldUnlock), 404, "urn:teledrop:problem:not-found");

        JsonObject second = protectedDrop(slug, "new.txt", NEW);
        String fileUrl = second.getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        String fileId = second.getJsonArray("files").getJsonObject(0).getString("id");

        // The old unlock token, as header or as the drop's cookie, does not open the new drop.
        assertProblem(get("api/drops/" + slug, "Teledrop-Unlock", oldUnlock), 401, "urn:teledrop:problem:password-required");
        assertProblem(get("api/drops/" + slug, "Cookie", "td_unlock_" + slug + "=" + oldUnlock), 401, "urn:teledrop:problem:password-required");
        HttpResponse<byte[]> file = download(fileUrl, "Teledrop-Unlock", oldUnlock);
        assertEquals(401, file.statusCode());
        assertTrue(file.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
        assertEquals(401, download(second.getString("zipUrl"), "Cookie", "td_unlock_" + slug + "=" + oldUnlock).statusCode());

        // The old delete token is a wrong token for the new drop: it neither deletes, changes, adds to nor opens it.
        assertProblem(client.send(client.request("api/drops/" + slug).header("Teledrop-Delete-Token", oldDeleteToken).DELETE().build()),
                403, "urn:teledrop:problem:forbidden");
        assertProblem(client.send(client.request("api/drops/" + slug + "/files/" + fileId).header("Teledrop-Delete-Token", oldDeleteToken)
                .DELETE().build()), 403, "urn:teledrop:problem:forbidden");
        assertProblem(client.send(client.request("api/drops/" + slug).header("Teledrop-Delete-Token", oldDeleteToken)
                .header("Content-Type", "application/merge-patch+json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"mine\"}"))
                .build()), 403, "urn:teledrop:problem:forbidden");
        assertProblem(client.put("planted.txt", OLD, "Teledrop-Drop", slug, "Teledrop-Delete-Token", oldDeleteToken), 403, "urn:teledrop:problem:forbidden");
        assertProblem(get("api/drops/" + slug, "Teledrop-Delete-Token", oldDeleteToken), 401, "urn:teledrop:problem:password-required");

        // The new drop is untouched and opens to its own credentials.
        JsonObject now = json(get("api/drops/" + slug, "Teledrop-Delete-Token", second.getString("deleteToken")));
        assertEquals(1, now.getJsonArray("files").size());
        assertTrue(!now.containsKey("title") || now.isNull("title") || !now.getString("title").equals("mine"), now.toString());
        assertArrayEquals(NEW, download(fileUrl, "Teledrop-Unlock", unlock(slug)).body());
    }

    @Test
    void anAdminPageSessionEndsWhenItsKeyIsRevoked() throws Exception {
        HttpResponse<String> issued = client.send(client.request("api/keys").header("X-API-Key", ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"session-" + UUID.randomUUID() + "\",\"permissions\":[\"admin\"]}")).build());
        assertEquals(201, issued.statusCode(), issued.body());
        String key = json(issued).getString("key");
        String id = json(issued).getJsonObject("details").getString("id");

        HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
        HttpResponse<String> login = browser.send(client.request("admin/login.xhtml").header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        // The form as a browser sends it: its hidden fields (Faces' view state and submit marker), the key, the button.
        StringBuilder form = new StringBuilder("login%3Akey=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&login%3Asubmit=Log+in");
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"").matcher(login.body());
        while (hidden.find()) {
            form.append('&').append(URLEncoder.encode(hidden.group(1), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(hidden.group(2), StandardCharsets.UTF_8));
        }
        assertTrue(form.toString().contains("jakarta.faces.ViewState="), login.body());
        HttpResponse<String> loggedIn = browser.send(client.request("admin/login.xhtml").header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, loggedIn.statusCode(), loggedIn.body());
        HttpResponse<String> before = browser.send(client.request("admin/drops.xhtml").header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, before.statusCode());

        assertEquals(204, client.send(client.request("api/keys/" + id).header("X-API-Key", ADMIN_KEY).DELETE().build()).statusCode());
        HttpResponse<String> after = browser.send(client.request("admin/drops.xhtml").header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(303, after.statusCode(), "the session's key is revoked: back to the login");
        assertEquals("/admin/login.xhtml", after.headers().firstValue("Location").orElseThrow());
    }

    /** On PostgreSQL the secret must be configured (servers sharing the database share it), so no file is made. */
    @Test
    void withoutAConfiguredSecretTheUnlockSecretIsKeptInTheDataFolderForItsOwnerOnly() throws Exception {
        // Unlocking makes sure the signer has started (it also does so at application start).
        String slug = "cb-" + UUID.randomUUID().toString().substring(0, 8);
        protectedDrop(slug, "a.txt", OLD);
        unlock(slug);
        Path secret = TeledropClient.DATA_DIR.resolve("token-secret");
        if (TeledropClient.POSTGRESQL) {
            assertFalse(Files.exists(secret), secret + " made although teledrop.auth.token-secret is set");
            return;
        }

        assertTrue(Files.isRegularFile(secret), secret + " is missing");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertTrue(Files.readString(secret).strip().length() >= 43, "256 bits in Base64");
    }
}

package io.teledrop.it.http;

import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The answers /openapi documents are the answers the server gives: the upload, download and drop requests
 * below provoke each status a client meets (successes and the usual errors), and every (path, method, status)
 * they got must be listed in the document. Issue 14 found the raw PUT's 403, 404 and 415 and HEAD missing.
 */
@ExtendWith(ArquillianExtension.class)
class OpenApiContractIT {

    private static final String ADMIN_KEY = System.getProperty("teledrop.it.api-key");
    private static final byte[] TEXT = "contract\n".getBytes(StandardCharsets.UTF_8);

    private final TeledropClient client = new TeledropClient();
    /** What the server answered: "METHOD path-template status". */
    private final Set<String> seen = new LinkedHashSet<>();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void everyAnswerTheServerGivesIsDocumented() {
        exerciseUploads();
        exerciseDownloads();
        exerciseDropsApi();
        exerciseKeys();

        JsonObject paths = document().getJsonObject("paths");
        List<String> undocumented = new ArrayList<>();
        for (String answer : seen) {
            String[] parts = answer.split(" ");
            JsonObject path = paths.getJsonObject(parts[1]);
            JsonObject operation = path == null ? null : path.getJsonObject(parts[0].toLowerCase(Locale.ROOT));
            JsonObject responses = operation == null ? null : operation.getJsonObject("responses");
            if (responses == null || !(responses.containsKey(parts[2]) || responses.containsKey("default"))) {
                undocumented.add(answer);
            }
        }
        assertEquals(List.of(), undocumented, "answers the server gives that /openapi does not list");
        // The exercise must have reached the cases the issue named.
        for (String expected : List.of("PUT /api/uploads/{filename} 403", "PUT /api/uploads/{filename} 404",
                "PUT /api/uploads/{filename} 415", "HEAD /d/{slug}/{fileId}/{name} 200", "HEAD /d/{slug}/{fileId}/{name} 404")) {
            assertTrue(seen.contains(expected), expected + " not exercised; seen " + seen);
        }
    }

    @Test
    void theMultipartSchemaRequiresNoFieldNamedFile() {
        JsonObject schema = document().getJsonObject("paths").getJsonObject("/api/uploads").getJsonObject("post")
                .getJsonObject("requestBody").getJsonObject("content").getJsonObject("multipart/form-data").getJsonObject("schema");

        assertTrue(!schema.containsKey("required") || !schema.getJsonArray("required").toString().contains("\"file\""), schema.toString());
        // Any field name carries a file: the schema admits fields beyond the listed ones.
        assertTrue(schema.containsKey("additionalProperties"), schema.toString());
        HttpResponse<String> anyName = client.postMultipart(new TeledropClient.Multipart().file("attachment", "a.txt", "text/plain", TEXT));
        assertEquals(201, anyName.statusCode(), anyName.body());
    }

    private void exerciseUploads() {
        String put = "/api/uploads/{filename}";
        JsonObject drop = json(record("PUT", put, 201, client.put("a.txt", TEXT)));
        String slug = drop.getString("slug");
        record("PUT", put, 400, client.put("a.txt", TEXT, "Teledrop-Slug", "no good!"));
        record("PUT", put, 401, client.put("b.txt", TEXT, "Teledrop-Drop", slug));
        record("PUT", put, 403, client.put("b.txt", TEXT, "Teledrop-Drop", slug, "Teledrop-Delete-Token", "wrong"));
        record("PUT", put, 404, client.put("b.txt", TEXT, "Teledrop-Drop", "no-such-drop-here", "Teledrop-Delete-Token", "x"));
        record("PUT", put, 409, client.put("b.txt", TEXT, "Teledrop-Slug", slug));
        byte[] exe = new byte[4096];
        exe[0] = 'M';
        exe[1] = 'Z';
        record("PUT", put, 415, client.put("holiday.jpg", exe));
        record("PUT", put, 413, client.send(client.request("api/uploads/big.bin")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> TeledropClient.zeros(TeledropClient.MAX_FILE_SIZE + 1)), TeledropClient.MAX_FILE_SIZE + 1)).build()));

        String post = "/api/uploads";
        record("POST", post, 201, client.postMultipart(new TeledropClient.Multipart().file("file", "a.txt", "text/plain", TEXT)));
        record("POST", post, 400, client.postMultipart(new TeledropClient.Multipart().field("title", "no file")));
        record("POST", post, 404, client.postMultipart(new TeledropClient.Multipart().field("drop", "no-such-drop-here")
                .field("deleteToken", "x").file("file", "a.txt", "text/plain", TEXT)));
        record("POST", post, 415, client.send(client.request("api/uploads").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TEXT)).build()));
        TeledropClient.Multipart tooMany = new TeledropClient.Multipart();
        for (int i = 0; i <= TeledropClient.MAX_FILES; i++) {
            tooMany.file("file", "f" + i + ".txt", "text/plain", TEXT);
        }
        record("POST", post, 413, client.postMultipart(tooMany));
    }

    private void exerciseDownloads() {
        JsonObject drop = json(client.put("d.txt", TEXT));
        String slug = drop.getString("slug");
        JsonObject file = drop.getJsonArray("files").getJsonObject(0);
        String url = "d/" + slug + "/" + file.getString("id") + "/d.txt";
        String etag = "\"" + file.getString("sha256") + "\"";
        String one = "/d/{slug}/{fileId}/{name}";
        record("GET", one, 200, client.send(client.request(url).GET().build()));
        record("GET", one, 206, client.send(client.request(url).header("Range", "bytes=0-1").GET().build()));
        record("GET", one, 304, client.send(client.request(url).header("If-None-Match", etag).GET().build()));
        record("GET", one, 412, client.send(client.request(url).header("If-Match", "\"other\"").GET().build()));
        record("GET", one, 416, client.send(client.request(url).header("Range", "bytes=9999-").GET().build()));
        record("GET", one, 404, client.send(client.request("d/" + slug + "/no-such-file/x.txt").GET().build()));
        record("HEAD", one, 200, client.send(client.request(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build()));
        record("HEAD", one, 404, client.send(client.request("d/" + slug + "/no-such-file/x.txt").method("HEAD", HttpRequest.BodyPublishers.noBody()).build()));
        record("GET", "/d/{slug}", 200, client.send(client.request("d/" + slug).GET().build()));
        record("HEAD", "/d/{slug}", 200, client.send(client.request("d/" + slug).method("HEAD", HttpRequest.BodyPublishers.noBody()).build()));
        record("GET", "/d/{slug}", 404, client.send(client.request("d/no-such-drop-here").GET().build()));
        record("GET", "/d/{slug}/zip", 200, client.send(client.request("d/" + slug + "/zip").GET().build()));
        record("GET", "/d/{slug}/zip", 404, client.send(client.request("d/no-such-drop-here/zip").GET().build()));
        JsonObject locked = json(client.put("l.txt", TEXT, "Teledrop-Password", "pw"));
        String lockedUrl = "d/" + locked.getString("slug") + "/" + locked.getJsonArray("files").getJsonObject(0).getString("id") + "/l.txt";
        record("GET", one, 401, client.send(client.request(lockedUrl).GET().build()));
    }

    private void exerciseDropsApi() {
        JsonObject drop = json(client.put("r.txt", TEXT, "Teledrop-Password", "pw"));
        String slug = drop.getString("slug");
        String token = drop.getString("deleteToken");
        String one = "/api/drops/{slug}";
        record("GET", one, 200, client.send(client.request("api/drops/" + slug).header("Teledrop-Delete-Token", token).GET().build()));
        record("GET", one, 404, client.send(client.request("api/drops/no-such-drop-here").GET().build()));
        record("PATCH", one, 200, patch(slug, token, "{\"title\":\"t\"}", "application/merge-patch+json"));
        record("PATCH", one, 400, patch(slug, token, "[]", "application/merge-patch+json"));
        record("PATCH", one, 401, patch(slug, null, "{\"title\":\"t\"}", "application/merge-patch+json"));
        record("PATCH", one, 403, patch(slug, "wrong", "{\"title\":\"t\"}", "application/merge-patch+json"));
        record("PATCH", one, 404, patch("no-such-drop-here", token, "{\"title\":\"t\"}", "application/merge-patch+json"));
        record("PATCH", one, 415, patch(slug, token, "title=t", "application/x-www-form-urlencoded"));
        String unlock = "/api/drops/{slug}/unlock";
        record("POST", unlock, 400, unlock(slug, "[]"));
        record("POST", unlock, 403, unlock(slug, "{\"password\":\"wrong\"}"));
        record("POST", unlock, 200, unlock(slug, "{\"password\":\"pw\"}"));
        record("POST", unlock, 404, unlock("no-such-drop-here", "{\"password\":\"pw\"}"));
        record("GET", "/api/drops", 200, client.send(client.request("api/drops").header("X-API-Key", ADMIN_KEY).GET().build()));
        record("GET", "/api/drops", 400, client.send(client.request("api/drops?size=0").header("X-API-Key", ADMIN_KEY).GET().build()));
        record("GET", "/api/drops", 401, client.send(client.request("api/drops").GET().build()));
        record("DELETE", one, 401, client.send(client.request("api/drops/" + slug).DELETE().build()));
        record("DELETE", one, 403, client.send(client.request("api/drops/" + slug).header("Teledrop-Delete-Token", "wrong").DELETE().build()));
        record("DELETE", one, 204, client.send(client.request("api/drops/" + slug).header("Teledrop-Delete-Token", token).DELETE().build()));
        record("DELETE", one, 404, client.send(client.request("api/drops/" + slug).header("Teledrop-Delete-Token", token).DELETE().build()));
    }

    private void exerciseKeys() {
        record("POST", "/api/keys", 201, issue(ADMIN_KEY, "{\"name\":\"contract\",\"permissions\":[\"read\"]}", "application/json"));
        record("POST", "/api/keys", 400, issue(ADMIN_KEY, "{\"name\":\"contract\",\"permissions\":[\"read\"],\"expiry\":\"P1D\"}", "application/json"));
        record("POST", "/api/keys", 401, issue(null, "{\"name\":\"contract\",\"permissions\":[\"read\"]}", "application/json"));
        record("POST", "/api/keys", 415, issue(ADMIN_KEY, "name=contract", "text/plain"));
    }

    private HttpResponse<String> record(String method, String template, int expected, HttpResponse<String> response) {
        assertEquals(expected, response.statusCode(), method + " " + template + ": " + response.body());
        seen.add(method + " " + template + " " + response.statusCode());
        return response;
    }

    private HttpResponse<String> patch(String slug, String token, String body, String type) {
        HttpRequest.Builder request = client.request("api/drops/" + slug).header("Content-Type", type)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Teledrop-Delete-Token", token);
        }
        return client.send(request.build());
    }

    private HttpResponse<String> unlock(String slug, String body) {
        return client.send(client.request("api/drops/" + slug + "/unlock").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> issue(String key, String body, String type) {
        HttpRequest.Builder request = client.request("api/keys").header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return client.send(request.build());
    }

    private JsonObject document() {
        HttpResponse<String> response = client.send(client.request("openapi?format=JSON").header("Accept", "application/json").GET().build());
        assertEquals(200, response.statusCode());
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }
}

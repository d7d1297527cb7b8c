package io.teledrop.it.http;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.blobCount;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient.Multipart;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The REST API of drops and files against the running server, error paths included. */
@ExtendWith(ArquillianExtension.class)
class DropsApiIT {

    private static final String TOKEN = "Teledrop-Delete-Token";
    private static final String API_KEY = System.getProperty("teledrop.it.api-key");

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private HttpResponse<String> patch(String slug, String token, String body) {
        HttpRequest.Builder request = client.request("api/drops/" + slug)
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header(TOKEN, token);
        }
        return client.send(request.build());
    }

    private HttpResponse<String> get(String path) {
        return client.send(client.request(path).GET().build());
    }

    @Test
    void listingAllDropsNeedsAnApiKey() {
        HttpResponse<String> response = get("api/drops");

        assertProblem(response, 401, "urn:teledrop:problem:authentication-required");
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
    }

    @Test
    void anApiKeyListsDropsPageByPageInEitherHeader() {
        String prefix = "key" + System.nanoTime() % 100000 + "-";
        for (String name : List.of("a", "b", "c")) {
            assertEquals(201, client.put("f.txt", new byte[] {1}, "Teledrop-Slug", prefix + name).statusCode());
        }

        HttpResponse<String> first = client.send(client.request("api/drops?prefix=" + prefix + "&sort=slug&size=2")
                .header("Authorization", "Bearer " + API_KEY).GET().build());
        assertEquals(200, first.statusCode(), first.body());
        JsonObject page = json(first);
        assertEquals(3, page.getInt("total"));
        assertEquals(List.of(prefix + "a", prefix + "b"), page.getJsonArray("items").stream().map(d -> d.asJsonObject().getString("slug")).toList());
        HttpResponse<String> second = client.send(HttpRequest.newBuilder(java.net.URI.create(page.getString("next")))
                .header("X-API-Key", API_KEY).GET().build());
        assertEquals(List.of(prefix + "c"), json(second).getJsonArray("items").stream().map(d -> d.asJsonObject().getString("slug")).toList());
        assertFalse(json(second).containsKey("next"));
        assertProblem(client.send(client.request("api/drops?sort=sideways").header("X-API-Key", API_KEY).GET().build()),
                400, "urn:teledrop:problem:invalid-input");
    }

    @Test
    void searchFindsDropsByWordsOfTheirTitleIgnoringCase() {
        String word = "Zebra" + System.nanoTime() % 1000000;
        String slug = json(client.put("f.txt", new byte[] {1}, "Teledrop-Title", "Minutes of the " + word + " meeting")).getString("slug");
        json(client.put("g.txt", new byte[] {1}, "Teledrop-Title", "Unrelated"));

        JsonObject found = json(client.send(client.request("api/drops?q=" + word.toLowerCase() + "%20meeting")
                .header("X-API-Key", API_KEY).GET().build()));

        assertEquals(1, found.getInt("total"));
        assertEquals(slug, found.getJsonArray("items").getJsonObject(0).getString("slug"));
    }

    @Test
    void aWrongApiKeyIsRefusedEvenWhereNoneIsNeeded() {
        JsonObject drop = json(client.put("k.txt", new byte[] {1}));

        HttpResponse<String> response = client.send(client.request("api/drops/" + drop.getString("slug"))
                .header("Authorization", "Bearer not-the-key").GET().build());

        assertProblem(response, 401, "urn:teledrop:problem:authentication-required");
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
    }

    @Test
    void anAdminKeyMayChangeAndDeleteAnyDropWithoutItsToken() {
        JsonObject drop = json(client.put("k.txt", new byte[] {1}));
        String slug = drop.getString("slug");

        HttpResponse<String> changed = client.send(client.request("api/drops/" + slug).header("X-API-Key", API_KEY)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"by admin\"}")).build());
        HttpResponse<String> deleted = client.send(client.request("api/drops/" + slug).header("X-API-Key", API_KEY).DELETE().build());

        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("by admin", json(changed).getString("title"));
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertProblem(get("api/drops/" + slug), 404, "urn:teledrop:problem:not-found");
    }

    @Test
    void patchChangesTitleDescriptionAndClearsWithNull() {
        JsonObject drop = json(client.put("p.txt", new byte[] {1}, "Teledrop-Title", "Before"));
        String slug = drop.getString("slug");

        HttpResponse<String> changed = patch(slug, drop.getString("deleteToken"),
                "{\"title\":\"  After  \",\"description\":\"Now with words\"}");

        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("After", json(changed).getString("title"));
        assertEquals("Now with words", json(get("api/drops/" + slug)).getString("description"));

        HttpResponse<String> cleared = patch(slug, drop.getString("deleteToken"), "{\"title\":null}");
        assertEquals(200, cleared.statusCode(), cleared.body());
        assertFalse(json(cleared).containsKey("title"));
        assertEquals("Now with words", json(cleared).getString("description"));
    }

    @Test
    void patchErrorsNameTheirFieldsAndChangeNothing() {
        JsonObject drop = json(client.put("p.txt", new byte[] {1}, "Teledrop-Title", "Kept"));
        String slug = drop.getString("slug");
        String token = drop.getString("deleteToken");

        assertProblem(patch(slug, null, "{\"title\":\"x\"}"), 401, "urn:teledrop:problem:authentication-required");
        assertProblem(patch(slug, "wrong", "{\"title\":\"x\"}"), 403, "urn:teledrop:problem:forbidden");
        JsonObject unknown = assertProblem(patch(slug, token, "{\"slug\":\"other\",\"title\":5}"), 400, "urn:teledrop:problem:invalid-input");
        assertEquals(List.of("slug", "title"), unknown.getJsonArray("errors").stream().map(e -> e.asJsonObject().getString("field")).sorted().toList());
        JsonObject past = assertProblem(patch(slug, token, "{\"expires\":\"2001-01-01T00:00:00Z\"}"), 400, "urn:teledrop:problem:invalid-input");
        assertEquals("expires", past.getJsonArray("errors").getJsonObject(0).getString("field"));
        assertProblem(patch(slug, token, "{\"expires\":\"next tuesday\"}"), 400, "urn:teledrop:problem:invalid-input");
        assertProblem(patch(slug, token, "{\"title\":\"" + "t".repeat(201) + "\"}"), 400, "urn:teledrop:problem:invalid-input");
        assertEquals(400, patch(slug, token, "not json").statusCode());
        assertProblem(patch("nosuchdrop", token, "{\"title\":\"x\"}"), 404, "urn:teledrop:problem:not-found");

        assertEquals("Kept", json(get("api/drops/" + slug)).getString("title"));
    }

    @Test
    void anExpiredDropAnswers410Everywhere() throws InterruptedException {
        JsonObject drop = json(client.put("soon.txt", new byte[] {1}));
        String slug = drop.getString("slug");
        String download = drop.getJsonArray("files").getJsonObject(0).getString("downloadUrl");

        HttpResponse<String> set = patch(slug, drop.getString("deleteToken"), "{\"expires\":\"PT1S\"}");
        assertEquals(200, set.statusCode(), set.body());
        assertTrue(json(set).containsKey("expires"));
        Thread.sleep(1500);

        assertProblem(get("api/drops/" + slug), 410, "urn:teledrop:problem:gone");
        assertEquals(410, client.download(download).statusCode());
        assertEquals(410, client.download(drop.getString("url")).statusCode());
    }

    @Test
    void filesOfADropCanBeListedReadAndDeletedOneByOne() {
        JsonObject drop = json(client.postMultipart(new Multipart()
                .file("file", "keep.txt", "text/plain", "keep".getBytes(StandardCharsets.UTF_8))
                .file("file", "drop.txt", "text/plain", "drop".getBytes(StandardCharsets.UTF_8))));
        String slug = drop.getString("slug");
        String token = drop.getString("deleteToken");
        String dropId = drop.getJsonArray("files").getJsonObject(1).getString("id");
        String goneUrl = drop.getJsonArray("files").getJsonObject(1).getString("downloadUrl");
        long blobsBefore = blobCount();

        HttpResponse<String> files = get("api/drops/" + slug + "/files");
        assertEquals(200, files.statusCode());
        assertTrue(files.body().startsWith("["));
        assertEquals("drop.txt", json(get("api/drops/" + slug + "/files/" + dropId)).getString("name"));
        assertProblem(get("api/drops/" + slug + "/files/nope"), 404, "urn:teledrop:problem:not-found");

        HttpRequest.Builder delete = client.request("api/drops/" + slug + "/files/" + dropId).DELETE();
        assertProblem(client.send(delete.build()), 401, "urn:teledrop:problem:authentication-required");
        HttpResponse<String> deleted = client.send(client.request("api/drops/" + slug + "/files/" + dropId).header(TOKEN, token).DELETE().build());

        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals(blobsBefore - 1, blobCount());
        assertEquals(404, client.download(goneUrl).statusCode());
        assertEquals(List.of("keep.txt"), json(get("api/drops/" + slug)).getJsonArray("files").stream()
                .map(f -> f.asJsonObject().getString("name")).toList());
    }

    @Test
    void filesCanBeAddedToAnExistingDropWithItsToken() {
        JsonObject drop = json(client.put("first.txt", "1".getBytes(StandardCharsets.UTF_8)));
        String slug = drop.getString("slug");
        String token = drop.getString("deleteToken");
        byte[] third = "third".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> viaMultipart = client.postMultipart(new Multipart().field("drop", slug)
                .file("file", "second.txt", "text/plain", "2".getBytes(StandardCharsets.UTF_8)), TOKEN, token);
        HttpResponse<String> viaPut = client.put("third.txt", third, "Teledrop-Drop", slug, TOKEN, token);

        assertEquals(201, viaMultipart.statusCode(), viaMultipart.body());
        assertEquals(201, viaPut.statusCode(), viaPut.body());
        assertFalse(json(viaPut).containsKey("deleteToken"));
        JsonObject now = json(get("api/drops/" + slug));
        assertEquals(List.of("first.txt", "second.txt", "third.txt"), now.getJsonArray("files").stream()
                .map(f -> f.asJsonObject().getString("name")).toList());
        assertArrayEquals(third, client.download(now.getJsonArray("files").getJsonObject(2).getString("downloadUrl")).body());
    }

    @Test
    void addingWithoutTheTokenIsRefusedAndStoresNothing() {
        JsonObject drop = json(client.put("first.txt", new byte[] {1}));
        long blobsBefore = blobCount();

        HttpResponse<String> missing = client.put("x.txt", new byte[] {2}, "Teledrop-Drop", drop.getString("slug"));
        HttpResponse<String> wrong = client.postMultipart(new Multipart().field("drop", drop.getString("slug")).field("deleteToken", "bad")
                .file("file", "y.txt", "text/plain", new byte[] {3}));
        HttpResponse<String> noDrop = client.put("x.txt", new byte[] {2}, "Teledrop-Drop", "nosuchdrop", TOKEN, "t");

        assertProblem(missing, 401, "urn:teledrop:problem:authentication-required");
        assertProblem(wrong, 403, "urn:teledrop:problem:forbidden");
        assertProblem(noDrop, 404, "urn:teledrop:problem:not-found");
        assertEquals(blobsBefore, blobCount());
        assertEquals(0, TeledropClient.leftoverTempFiles());
        assertEquals(1, json(get("api/drops/" + drop.getString("slug"))).getJsonArray("files").size());
    }
}

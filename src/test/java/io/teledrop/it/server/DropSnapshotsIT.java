package io.teledrop.it.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.Sql;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drops read by slug are kept between requests (DropSnapshots), and a kept drop is never served once it has
 * changed: each test reads the drop a few times first (metadata, the text list, a file), so that it is kept,
 * then changes it through the API or, as another server would, straight in the database, and the very next
 * request must show the change. The metadata's answer is kept too (RenderedDrops): its entity-tag answers
 * {@code If-None-Match} with 304 only while the drop is unchanged, and only to a client that may read it.
 */
@ExtendWith(ArquillianExtension.class)
class DropSnapshotsIT {

    private static final String TOKEN = "Teledrop-Delete-Token";

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(DropSnapshotsIT.class);
    }

    @Test
    void aChangeWrittenStraightToTheDatabaseIsServedAtOnce() throws Exception {
        JsonObject drop = upload("kept.txt", "kept for a while");
        String slug = drop.getString("slug");
        keep(drop);

        assertEquals(1, Sql.update("UPDATE drops SET title = ? WHERE slug = ?", "changed elsewhere", slug));
        assertEquals("changed elsewhere", json(get("api/drops/" + slug)).getString("title"));

        assertEquals(1, Sql.update("UPDATE stored_files SET original_name = ? WHERE drop_id = (SELECT id FROM drops WHERE slug = ?)", "renamed.txt", slug));
        assertEquals("renamed.txt", json(get("api/drops/" + slug)).getJsonArray("files").getJsonObject(0).getString("name"));
        assertTrue(get("d/" + slug).body().contains("renamed.txt"), "the text list");

        assertEquals(1, Sql.update("UPDATE drops SET expires_at = ? WHERE slug = ?", System.currentTimeMillis() - 1_000, slug));
        assertEquals(410, get("api/drops/" + slug).statusCode(), "expired: metadata");
        assertEquals(410, get("d/" + slug).statusCode(), "expired: the text list");
        assertEquals(410, get(fileUrl(drop)).statusCode(), "expired: the file");
    }

    @Test
    void aUsedUpDropIsGoneForTheNextRequest() throws Exception {
        JsonObject drop = upload("once.txt", "one download only", "Teledrop-Max-Downloads", "1");
        String slug = drop.getString("slug");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("api/drops/" + slug).statusCode());
            assertEquals(200, get("d/" + slug).statusCode());
        }

        HttpResponse<String> first = get(fileUrl(drop));
        assertEquals(200, first.statusCode());
        assertEquals("one download only", first.body());

        assertEquals(410, get("api/drops/" + slug).statusCode(), "metadata");
        assertEquals(410, get("d/" + slug).statusCode(), "the text list");
        assertEquals(410, get(fileUrl(drop)).statusCode(), "a second download");
    }

    @Test
    void aDeletedDropIsNotFoundAtOnceAndANewDropMayTakeItsSlug() throws Exception {
        String slug = "kept-" + UUID.randomUUID().toString().substring(0, 8);
        JsonObject old = upload("old.txt", "the old drop", "Teledrop-Slug", slug);
        keep(old);

        HttpResponse<String> deleted = http.send(request("api/drops/" + slug).header(TOKEN, old.getString("deleteToken")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals(404, get("api/drops/" + slug).statusCode(), "metadata");
        assertEquals(404, get("d/" + slug).statusCode(), "the text list");
        assertEquals(404, get(fileUrl(old)).statusCode(), "the file");

        JsonObject renewed = upload("new.txt", "the new drop", "Teledrop-Slug", slug);
        JsonObject read = json(get("api/drops/" + slug));
        assertEquals("new.txt", read.getJsonArray("files").getJsonObject(0).getString("name"), "the new drop, not the kept old one");
        assertEquals(1, read.getJsonArray("files").size());
        assertEquals(404, get(fileUrl(old)).statusCode(), "the old file stays gone");
        assertEquals("the new drop", get(fileUrl(renewed)).body());
    }

    @Test
    void filesAddedAndRemovedAreListedAtOnce() throws Exception {
        JsonObject drop = upload("first.txt", "first file");
        String slug = drop.getString("slug");
        String token = drop.getString("deleteToken");
        keep(drop);

        JsonObject added = upload("second.txt", "second file", "Teledrop-Drop", slug, TOKEN, token);
        assertEquals(2, json(get("api/drops/" + slug)).getJsonArray("files").size(), "added: metadata");
        assertTrue(get("d/" + slug).body().contains("second.txt"), "added: the text list");

        String firstId = drop.getJsonArray("files").getJsonObject(0).getString("id");
        HttpResponse<String> removed = http.send(request("api/drops/" + slug + "/files/" + firstId).header(TOKEN, token).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, removed.statusCode(), removed.body());
        JsonObject read = json(get("api/drops/" + slug));
        assertEquals(1, read.getJsonArray("files").size(), "removed: metadata");
        assertFalse(get("d/" + slug).body().contains("first.txt"), "removed: the text list");
        assertEquals(404, get(fileUrl(drop)).statusCode(), "removed: the file");
        assertEquals("second file", get(fileUrl(added)).body());
    }

    @Test
    void theMetadataCarriesAnEntityTagThatAnswersNotModifiedUntilTheDropChanges() throws Exception {
        JsonObject drop = upload("tagged.txt", "tagged");
        String slug = drop.getString("slug");
        HttpResponse<String> first = get("api/drops/" + slug);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"[A-Za-z0-9_-]{22}\""), "a strong entity-tag: " + etag);
        assertEquals("private, no-cache", first.headers().firstValue("Cache-Control").orElse(null));
        HttpResponse<String> again = get("api/drops/" + slug);
        assertEquals(etag, again.headers().firstValue("ETag").orElse(null), "the same drop, the same tag");
        assertEquals(first.body(), again.body(), "the kept answer is the one written first");

        HttpResponse<String> unchanged = get("api/drops/" + slug, "If-None-Match", etag);
        assertEquals(304, unchanged.statusCode());
        assertEquals("", unchanged.body());
        assertEquals(etag, unchanged.headers().firstValue("ETag").orElse(null));
        assertEquals(304, get("api/drops/" + slug, "If-None-Match", "\"other\", W/" + etag).statusCode(), "weak comparison, in a list");
        HttpResponse<Void> head = http.send(request("api/drops/" + slug).header("If-None-Match", etag)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(304, head.statusCode(), "HEAD");
        HttpResponse<String> mismatch = get("api/drops/" + slug, "If-Match", "\"other\"");
        assertEquals(412, mismatch.statusCode(), mismatch.body());
        assertEquals("application/problem+json", mismatch.headers().firstValue("Content-Type").orElse(""));
        assertEquals(200, get("api/drops/" + slug, "If-Match", etag).statusCode());

        // Each change gives the next request a new body and a new tag, and the old tag no longer answers 304.
        String[] changes = {"a title", "a download", "a file added", "written straight to the database"};
        for (String change : changes) {
            switch (change) {
                case "a title" -> assertEquals(200, http.send(request("api/drops/" + slug).header(TOKEN, drop.getString("deleteToken"))
                        .header("Content-Type", "application/merge-patch+json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\": \"retitled\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
                case "a download" -> assertEquals("tagged", get(fileUrl(drop)).body());
                case "a file added" -> upload("more.txt", "more", "Teledrop-Drop", slug, TOKEN, drop.getString("deleteToken"));
                default -> assertEquals(1, Sql.update("UPDATE drops SET description = ? WHERE slug = ?", "from elsewhere", slug));
            }
            HttpResponse<String> changed = get("api/drops/" + slug, "If-None-Match", etag);
            assertEquals(200, changed.statusCode(), change);
            String newTag = changed.headers().firstValue("ETag").orElseThrow();
            assertFalse(newTag.equals(etag), change + ": a new tag");
            assertFalse(changed.body().equals(again.body()), change + ": a new body");
            assertEquals(304, get("api/drops/" + slug, "If-None-Match", newTag).statusCode(), change + ": the new tag holds");
            etag = newTag;
            again = changed;
        }
        JsonObject last = json(again);
        assertEquals("retitled", last.getString("title"));
        assertEquals(1, last.getInt("downloadCount"));
        assertEquals(2, last.getJsonArray("files").size());
        assertEquals("from elsewhere", last.getString("description"));

        HttpResponse<String> deleted = http.send(request("api/drops/" + slug).header(TOKEN, drop.getString("deleteToken")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals(404, get("api/drops/" + slug, "If-None-Match", etag).statusCode(), "deleted: 404, never 304");
    }

    @Test
    void theKeptAnswerNamesTheAddressTheClientUsed() throws Exception {
        JsonObject drop = upload("addressed.txt", "addressed");
        String slug = drop.getString("slug");
        String byIp = json(get("api/drops/" + slug)).getString("url");
        // The same server by its other loopback name (the JDK's client sends the Host of the URL it is given).
        String otherHost = base.getHost().equals("localhost") ? "127.0.0.1" : "localhost";
        URI byName = new URI(base.getProtocol(), null, otherHost, base.getPort(), base.getPath(), null, null);
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(byName.resolve("api/drops/" + slug)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String byHost = json(other).getString("url");
        assertEquals(byName.resolve("d/" + slug).toString(), byHost, "links for the address asked, not the kept one");
        assertEquals(base.toURI().resolve("d/" + slug).toString(), byIp);
    }

    @Test
    void aProtectedDropsTagOpensNothingWithoutItsUnlockToken() throws Exception {
        JsonObject drop = upload("locked.txt", "locked", "Teledrop-Password", "correct horse");
        String slug = drop.getString("slug");
        HttpResponse<String> unlocked = http.send(request("api/drops/" + slug + "/unlock").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\": \"correct horse\"}")).build(), HttpResponse.BodyHandlers.ofString());
        String token = json(unlocked).getString("token");
        HttpResponse<String> read = get("api/drops/" + slug, "Teledrop-Unlock", token);
        String etag = read.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get("api/drops/" + slug, "Teledrop-Unlock", token, "If-None-Match", etag).statusCode());

        HttpResponse<String> stranger = get("api/drops/" + slug, "If-None-Match", etag);
        assertEquals(401, stranger.statusCode(), "the tag alone is no key: " + stranger.body());
        assertFalse(stranger.body().contains("locked.txt"));
        HttpResponse<String> plain = get("api/drops/" + slug);
        assertEquals(401, plain.statusCode(), "a kept answer is not served to a client without the token");
        assertFalse(plain.body().contains("locked.txt"));
    }

    /** Reads the drop's metadata, its text list and its first file three times each: it is kept after this. */
    private void keep(JsonObject drop) throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("api/drops/" + drop.getString("slug")).statusCode());
            assertEquals(200, get("d/" + drop.getString("slug")).statusCode());
            assertEquals(200, get(fileUrl(drop)).statusCode());
        }
    }

    private static String fileUrl(JsonObject drop) {
        return drop.getJsonArray("files").getJsonObject(drop.getJsonArray("files").size() - 1).getString("downloadUrl");
    }

    private JsonObject upload(String name, String content, String... headers) throws Exception {
        HttpRequest.Builder put = request("api/uploads/" + name).PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            put.headers(headers);
        }
        HttpResponse<String> created = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(created.statusCode() == 201 || created.statusCode() == 200, created.body());
        return Json.createReader(new StringReader(created.body())).readObject();
    }

    private HttpResponse<String> get(String pathOrUrl, String... headers) throws Exception {
        HttpRequest.Builder get = request(pathOrUrl).GET();
        if (headers.length > 0) {
            get.headers(headers);
        }
        return http.send(get.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String pathOrUrl) throws Exception {
        URI uri = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : base.toURI().resolve(pathOrUrl);
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    }

    private static JsonObject json(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}

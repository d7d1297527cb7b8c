package io.teledrop.it.http;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.blobCount;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient.Multipart;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Expiry and download limits as uploaders set them, and what counts as a download. */
@ExtendWith(ArquillianExtension.class)
class LifetimeIT {

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private HttpResponse<byte[]> get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.sendForBytes(request.build());
    }

    @Test
    void onlyCompleteDownloadsCountAndTheLimitEndsTheDrop() {
        JsonObject drop = json(client.put("limited.bin", new byte[1000], "Teledrop-Max-Downloads", "2"));
        String url = drop.getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        String etag = get(url).headers().firstValue("ETag").orElseThrow();

        // None of these is a complete download: a HEAD, a range, a conditional 304.
        client.sendForBytes(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(206, get(url, "Range", "bytes=0-99").statusCode());
        assertEquals(304, get(url, "If-None-Match", etag).statusCode());
        JsonObject afterOne = json(client.send(client.request("api/drops/" + drop.getString("slug")).GET().build()));
        assertEquals(1, afterOne.getInt("downloadCount"));
        assertEquals(2, afterOne.getInt("maxDownloads"));

        assertEquals(200, get(url).statusCode());

        assertEquals(410, get(url).statusCode());
        assertProblem(client.send(client.request("api/drops/" + drop.getString("slug")).GET().build()), 410, "urn:teledrop:problem:gone");
    }

    @Test
    void uploadsExpireAsAskedOrByDefaultWithinTheMaximum() {
        JsonObject asked = json(client.postMultipart(new Multipart().field("expires", "2h").file("file", "a.txt", "text/plain", new byte[] {1})));
        JsonObject byDefault = json(client.put("b.txt", new byte[] {1}));

        Instant expires = Instant.parse(asked.getString("expires"));
        assertTrue(Duration.between(Instant.now(), expires).toMinutes() > 110 && Duration.between(Instant.now(), expires).toMinutes() <= 120, expires::toString);
        Instant defaultExpiry = Instant.parse(byDefault.getString("expires"));
        assertEquals(defaultExpiry, Instant.parse(json(client.send(client.request("api/drops/" + byDefault.getString("slug")).GET().build())).getString("expires")));
        assertEquals(7, Math.round(Duration.between(Instant.now(), defaultExpiry).toHours() / 24.0));
    }

    @Test
    void badLifetimesAndOverlongPasswordsAreRefusedBeforeAnythingIsStored() {
        long before = blobCount();

        assertField(client.put("x.txt", new byte[] {1}, "Teledrop-Max-Downloads", "0"), "maxDownloads");
        assertField(client.put("x.txt", new byte[] {1}, "Teledrop-Max-Downloads", "many"), "maxDownloads");
        assertField(client.put("x.txt", new byte[] {1}, "Teledrop-Expires", "2001-01-01T00:00:00Z"), "expires");
        assertField(client.put("x.txt", new byte[] {1}, "Teledrop-Expires", "P60D"), "expires");
        assertField(client.put("x.txt", new byte[] {1}, "Teledrop-Expires", "someday"), "expires");
        assertField(client.put("x.txt", new byte[] {1}, "Teledrop-Password", "p".repeat(1025)), "password");

        assertEquals(before, blobCount());
        assertEquals(0, TeledropClient.leftoverTempFiles());
    }

    @Test
    void aPatchCannotLiftTheExpiryBeyondTheMaximum() {
        JsonObject drop = json(client.put("p.txt", new byte[] {1}));
        HttpRequest.Builder patch = client.request("api/drops/" + drop.getString("slug"))
                .header("Content-Type", "application/merge-patch+json").header("Teledrop-Delete-Token", drop.getString("deleteToken"));

        assertField(client.send(patch.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"expires\":null}")).build()), "expires");
        assertField(client.send(patch.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"expires\":\"P31D\"}")).build()), "expires");
        assertEquals(200, client.send(patch.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"expires\":\"P29D\"}")).build()).statusCode());
    }

    private static void assertField(HttpResponse<String> response, String field) {
        JsonObject problem = assertProblem(response, 400, "urn:teledrop:problem:invalid-input");
        assertEquals(field, problem.getJsonArray("errors").getJsonObject(0).getString("field"), response.body());
    }
}

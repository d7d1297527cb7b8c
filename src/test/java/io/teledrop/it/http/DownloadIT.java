package io.teledrop.it.http;

import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.randomBytes;
import static io.teledrop.it.TeledropClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.Problems;
import io.teledrop.it.TeledropClient.Multipart;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Downloads as browsers and scripts see them: headers, dispositions, ZIP archives, hostile names. */
@ExtendWith(ArquillianExtension.class)
class DownloadIT {

    private static final Pattern DISPOSITION = Pattern.compile("(attachment|inline); filename=\"([^\"\\\\\\r\\n]*)\"; filename\\*=UTF-8''([A-Za-z0-9._~%-]+)");

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void zipOfADropHoldsEveryFileByteExactWithUniqueNames() throws IOException {
        byte[] first = randomBytes(700_000, 11);
        byte[] second = "second".getBytes(StandardCharsets.UTF_8);
        byte[] third = randomBytes(10, 12);
        JsonObject drop = json(client.postMultipart(new Multipart()
                .file("file", "a.txt", "text/plain", first)
                .file("file", "A.TXT", "text/plain", second)
                .file("file", "naïve 🎉.bin", "application/octet-stream", third)));

        assertEquals(drop.getString("url") + "/zip", drop.getString("zipUrl"));
        HttpResponse<byte[]> response = client.download(drop.getString("zipUrl"));

        assertEquals(200, response.statusCode());
        assertEquals("application/zip", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("attachment; filename=\"" + drop.getString("slug") + ".zip\"; filename*=UTF-8''" + drop.getString("slug") + ".zip",
                response.headers().firstValue("Content-Disposition").orElseThrow());
        Map<String, byte[]> entries = unzip(response.body());
        assertEquals(List.of("a.txt", "A (2).TXT", "naïve 🎉.bin"), List.copyOf(entries.keySet()));
        assertArrayEquals(first, entries.get("a.txt"));
        assertArrayEquals(second, entries.get("A (2).TXT"));
        assertArrayEquals(third, entries.get("naïve 🎉.bin"));
    }

    @Test
    void headAnswersTheSameHeadersWithoutABody() {
        byte[] body = randomBytes(4096, 13);
        String url = json(client.put("head.bin", body)).getJsonArray("files").getJsonObject(0).getString("downloadUrl");

        HttpResponse<byte[]> get = client.download(url);
        HttpResponse<byte[]> head = client.sendForBytes(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        for (String header : List.of("Content-Length", "Content-Type", "ETag", "Last-Modified", "Content-Disposition")) {
            assertEquals(get.headers().firstValue(header), head.headers().firstValue(header), header);
        }
        assertEquals("\"" + sha256(body) + "\"", head.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void safeTypesMayBeViewedInlineAndEverythingElseStaysAnAttachment() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        String pngUrl = json(client.put("pic.png", png)).getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        String htmlUrl = json(client.put("page.html", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8)))
                .getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        String svgUrl = json(client.put("img.svg", "<svg onload=alert(1)/>".getBytes(StandardCharsets.UTF_8)))
                .getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        String textUrl = json(client.put("notes.txt", "hi".getBytes(StandardCharsets.UTF_8)))
                .getJsonArray("files").getJsonObject(0).getString("downloadUrl");

        HttpResponse<byte[]> pngInline = client.download(pngUrl + "?inline");
        assertTrue(pngInline.headers().firstValue("Content-Disposition").orElseThrow().startsWith("inline;"));
        assertEquals("image/png", pngInline.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(png, pngInline.body());
        HttpResponse<byte[]> textInline = client.download(textUrl + "?inline");
        assertEquals("text/plain;charset=UTF-8", textInline.headers().firstValue("Content-Type").orElseThrow().replace(" ", ""));
        for (String url : List.of(htmlUrl, svgUrl)) {
            HttpResponse<byte[]> refused = client.download(url + "?inline");
            assertTrue(refused.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"), url);
            assertEquals("nosniff", refused.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertTrue(refused.headers().firstValue("Content-Security-Policy").orElseThrow().contains("sandbox"), url);
        }
    }

    /** Names from the hostile-filename list of issue 3, sent percent-encoded in the PUT path. */
    @ParameterizedTest
    @ValueSource(strings = {"a%22b%3Bc.txt", "%E2%80%AEgpj.exe", "party%20%F0%9F%8E%89.png", "%E6%97%A5%E6%9C%AC%E8%AA%9E.pdf", "semi%3Bcolon%3D%27x%27.txt"})
    void hostileFilenamesRoundTripSafely(String encodedName) {
        String given = URLDecoder.decode(encodedName.replace("+", "%2B"), StandardCharsets.UTF_8);
        byte[] body = given.getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> created = client.put(encodedName, body);

        assertEquals(201, created.statusCode(), created.body());
        JsonObject file = json(created).getJsonArray("files").getJsonObject(0);
        String stored = file.getString("name");
        assertTrue(stored.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == 0x202E || c == '/' || c == '\\'), stored);
        HttpResponse<byte[]> download = client.download(file.getString("downloadUrl"));
        assertEquals(200, download.statusCode());
        assertArrayEquals(body, download.body());
        String disposition = download.headers().firstValue("Content-Disposition").orElseThrow();
        Matcher shape = DISPOSITION.matcher(disposition);
        assertTrue(shape.matches(), disposition);
        assertEquals(stored, URLDecoder.decode(shape.group(3), StandardCharsets.UTF_8));
    }

    /** Encoded slashes and backslashes are refused by the container before any byte is stored. */
    @ParameterizedTest
    @ValueSource(strings = {"..%2F..%2Fetc%2Fpasswd", "back%5Cslash%5C..%5Cx.txt"})
    void namesWithEncodedSlashesAreRefusedWithAProblem(String encodedName) {
        long blobsBefore = TeledropClient.blobCount();

        HttpResponse<String> response = client.put(encodedName, new byte[] {1});

        Problems.assertProblem(response, 400, "urn:teledrop:problem:bad-request");
        assertEquals(blobsBefore, TeledropClient.blobCount());
    }

    /**
     * Control characters in a URL path are refused by Liberty's HTTP layer itself, before the application
     * (so with Liberty's own HTML page, which escapes the URI); what matters is that nothing is stored.
     */
    @ParameterizedTest
    @ValueSource(strings = {"line%0D%0Abreak.txt", "nul%00byte.txt", "tab%09name.txt"})
    void namesWithControlCharactersAreRefusedAndNothingIsStored(String encodedName) {
        long blobsBefore = TeledropClient.blobCount();

        HttpResponse<String> response = client.put(encodedName, new byte[] {1});

        assertEquals(400, response.statusCode(), response.body());
        // The echoed URI stays escaped: no raw control character from the name reaches the page.
        assertTrue(!response.body().contains("line\r\nbreak") && !response.body().contains("nul\u0000byte")
                && !response.body().contains("tab\tname"), response.body());
        assertEquals(blobsBefore, TeledropClient.blobCount());
    }

    @Test
    void multipartFilenamesWithPathsAndQuotesAreStoredSafely() {
        HttpResponse<String> response = client.postMultipart(new Multipart()
                .file("file", "..\\..\\windows\\evil.bat", "text/plain", new byte[] {1})
                .file("file", "/etc/shadow", "text/plain", new byte[] {2}));

        assertEquals(201, response.statusCode(), response.body());
        assertEquals(List.of("evil.bat", "shadow"), json(response).getJsonArray("files").stream()
                .map(f -> f.asJsonObject().getString("name")).toList());
    }

    @Test
    void threeHundredCharacterNameIsCutKeepingItsExtension() {
        String name = "n".repeat(300) + ".txt";

        JsonObject file = json(client.put(name, new byte[] {1})).getJsonArray("files").getJsonObject(0);

        assertEquals(255, file.getString("name").length());
        assertTrue(file.getString("name").endsWith(".txt"));
        assertEquals(200, client.download(file.getString("downloadUrl")).statusCode());
    }

    @Test
    void unknownFileOfAKnownDropAnswers404() {
        JsonObject drop = json(client.put("x.txt", new byte[] {1}));

        HttpResponse<byte[]> response = client.download(drop.getString("url") + "/00000000-0000-0000-0000-000000000000/x.txt");

        assertEquals(404, response.statusCode());
        assertNull(response.headers().firstValue("Content-Disposition").orElse(null));
    }

    private static Map<String, byte[]> unzip(byte[] archive) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive), StandardCharsets.UTF_8)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }
}

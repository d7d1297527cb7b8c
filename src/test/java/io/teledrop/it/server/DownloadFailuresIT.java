package io.teledrop.it.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.config.Settings;
import io.teledrop.drop.Access;
import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropView;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.Uploads;
import io.teledrop.it.Deployments;
import io.teledrop.it.TestUploads;
import io.teledrop.it.TestUploads.TestFile;
import io.teledrop.storage.BlobStore;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A download that cannot be completed never looks complete (issue 14): a missing blob is found before the
 * first header (410, marked at once, no download slot used); a blob that fails once bytes have gone out
 * aborts the connection, so curl reports an incomplete transfer for a file and for a ZIP alike.
 */
@ExtendWith(ArquillianExtension.class)
class DownloadFailuresIT {

    private static final int SIZE = 300_000;

    @Inject
    DropService drops;

    @Inject
    Uploads uploads;

    @Inject
    BlobStore blobs;

    @Inject
    Settings settings;

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(DownloadFailuresIT.class);
    }

    private static byte[] content(long seed) {
        byte[] content = new byte[SIZE];
        new Random(seed).nextBytes(content);
        return content;
    }

    /** Drops made by a test, deleted after it: rows without blobs would make reconciliation report them later. */
    private final List<CreatedDrop> made = new ArrayList<>();

    @AfterEach
    void deleteWhatWasMade() {
        made.forEach(created -> drops.delete(created.drop().slug(), Access.withToken(created.deleteToken())));
    }

    private DropView drop(Integer maxDownloads, byte[]... contents) throws IOException {
        TestFile[] files = new TestFile[contents.length];
        for (int i = 0; i < contents.length; i++) {
            files[i] = new TestFile("file-" + i + ".bin", contents[i]);
        }
        CreatedDrop created = TestUploads.create(uploads, new NewDrop(null, null, null, null, maxDownloads), files);
        made.add(created);
        return created.drop();
    }

    private String fileUrl(DropView drop, int index) throws Exception {
        DropView.FileView file = drop.files().get(index);
        return base.toURI().resolve("d/" + drop.slug() + "/" + file.id() + "/" + file.name()).toString();
    }

    private HttpResponse<String> send(String url, String method) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertGoneWithoutFileHeaders(HttpResponse<String> answer) {
        assertEquals(410, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(answer.headers().firstValue("ETag").isEmpty(), "no ETag of a file that cannot be sent");
        assertTrue(answer.headers().firstValue("Content-Disposition").isEmpty(), "no attachment header on a refusal");
        if (!answer.request().method().equals("HEAD")) {
            assertTrue(answer.body().contains("urn:teledrop:problem:gone"), answer.body());
        }
    }

    @Test
    void aMissingBlobAnswers410BeforeAnyHeaderIsMarkedAtOnceAndUsesNoDownload() throws Exception {
        DropView drop = drop(1, content(1));
        blobs.delete(drop.files().get(0).storageKey());

        assertGoneWithoutFileHeaders(send(fileUrl(drop, 0), "GET"));
        assertGoneWithoutFileHeaders(send(fileUrl(drop, 0), "HEAD"));
        assertGoneWithoutFileHeaders(send(fileUrl(drop, 0) + "?x", "GET"));

        DropView after = drops.find(drop.slug()).orElseThrow();
        assertTrue(after.files().get(0).missing(), "marked missing by the download, not the next reconciliation");
        HttpResponse<String> metadata = send(base.toURI().resolve("api/drops/" + drop.slug()).toString(), "GET");
        assertTrue(metadata.body().contains("\"missingSince\""), "API clients see it too: " + metadata.body());
        assertEquals(0, after.downloadCount(), "no download slot was used");
    }

    @Test
    void aZipWithAMissingBlobAnswers410AndUsesNoDownload() throws Exception {
        DropView drop = drop(1, content(2), content(3));
        blobs.delete(drop.files().get(1).storageKey());

        assertGoneWithoutFileHeaders(send(base.toURI().resolve("d/" + drop.slug() + "/zip").toString(), "GET"));

        DropView after = drops.find(drop.slug()).orElseThrow();
        assertEquals(0, after.downloadCount());
        assertTrue(after.files().get(1).missing());
    }

    @Test
    void aBlobThatEndsEarlyAbortsTheTransferOfTheFileAndOfTheZip() throws Exception {
        DropView drop = drop(null, content(4), content(5));
        try (FileChannel channel = FileChannel.open(settings.localRoot().resolve(drop.files().get(1).storageKey()), StandardOpenOption.WRITE)) {
            channel.truncate(SIZE / 2);
        }

        assertEquals(18, curlExit(fileUrl(drop, 1)), "curl: transfer closed with outstanding read data remaining");
        assertEquals(18, curlExit(base.toURI().resolve("d/" + drop.slug() + "/zip").toString()), "no clean end of a broken ZIP");
        // The server still answers on new connections.
        assertEquals(200, send(fileUrl(drop, 0), "GET").statusCode());
    }

    private static int curlExit(String url) throws Exception {
        Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", url).redirectErrorStream(true).start();
        assertTrue(curl.waitFor(60, TimeUnit.SECONDS));
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals("200", output.strip(), "the headers went out before the failure");
        return curl.exitValue();
    }
}

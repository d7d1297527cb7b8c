package io.teledrop.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.LibertyServer;
import io.teledrop.it.TeledropClient;
import io.teledrop.it.browser.Browser;
import io.teledrop.it.browser.BrowserExtension;
import io.teledrop.it.resumable.Resumable;
import jakarta.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;

/**
 * Resumable uploads across crashes of their server: an offset the server reported survives kill -9 (fsync
 * on), an append cut by the kill resumes from its last durable checkpoint, and the upload page in Chromium
 * finishes a file by itself while the server is killed and started again under it.
 */
class ResumableRestartIT {

    static final Path WORK = Path.of("target/faults/resumable").toAbsolutePath();
    private static final int MIB = 1024 * 1024;

    @RegisterExtension
    static final BrowserExtension BROWSERS = new BrowserExtension("resumable-restart");

    private static LibertyServer server;
    private final Resumable tus = new Resumable();
    private final TeledropClient client = tus.client;

    @BeforeAll
    static void start() throws Exception {
        FaultFiles.deleteTree(WORK);
        server = new LibertyServer(FaultFiles.SERVER, LibertyServer.BASE, Map.of(
                "teledrop.data.dir", WORK.resolve("data").toString(),
                "teledrop.storage.fsync", "true"), WORK.resolve("console.log"));
        server.start("health/ready");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void restartAfterKill() throws Exception {
        server.kill();
        server.start("health/ready");
    }

    /** Sends the rest from the server's offset, waiting out the claim of a request the kill cut off. */
    private HttpResponse<String> finish(URI upload, byte[] bytes) throws InterruptedException {
        for (long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos(); ; Thread.sleep(1000)) {
            long offset = tus.offsetOf(upload);
            HttpResponse<String> last = tus.tusPatch(upload, offset, bytes, (int) offset, bytes.length);
            if (last.statusCode() != 423 || System.nanoTime() > deadline) {
                return last;
            }
        }
    }

    @Test
    void aReportedOffsetSurvivesKill9() throws Exception {
        byte[] bytes = TeledropClient.randomBytes(40 * MIB, 50);
        URI upload = tus.tusUpload(bytes.length, Resumable.metadata(Map.of("filename", "crash.bin")));
        HttpResponse<String> first = tus.tusPatch(upload, 0, bytes, 0, 33 * MIB);
        assertEquals(204, first.statusCode(), first.body());

        restartAfterKill();

        assertEquals(33 * MIB, tus.offsetOf(upload), "the offset the server reported before the kill");
        HttpResponse<String> last = finish(upload, bytes);
        assertEquals(204, last.statusCode(), last.body());
        assertEquals(TeledropClient.sha256(bytes), last.headers().firstValue("Teledrop-Sha256").orElseThrow());
        assertArrayEquals(bytes, client.download(last.headers().firstValue("Teledrop-File-Url").orElseThrow()).body());
    }

    @Test
    void anAppendCutByKill9ResumesFromItsLastCheckpoint() throws Exception {
        byte[] bytes = TeledropClient.randomBytes(48 * MIB, 51);
        URI upload = tus.tusUpload(bytes.length, Resumable.metadata(Map.of("filename", "crash.bin")));
        try (Socket socket = new Socket(upload.getHost(), upload.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + upload.getRawPath() + " HTTP/1.1\r\nHost: " + upload.getHost() + ":" + upload.getPort()
                    + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, 40 * MIB);
            out.flush();
            // The first 32 MiB are forced and recorded as a checkpoint; then the server dies mid-append.
            for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); tus.offsetOf(upload) < 32 * MIB; Thread.sleep(200)) {
                assertTrue(System.nanoTime() < deadline, "no checkpoint within 30 s");
            }
            restartAfterKill();
        }
        long offset = tus.offsetOf(upload);
        assertTrue(offset >= 32 * MIB && offset <= 40 * MIB, "resumes from a durable checkpoint: " + offset);
        HttpResponse<String> last = finish(upload, bytes);
        assertEquals(204, last.statusCode(), last.body());
        assertEquals(TeledropClient.sha256(bytes), last.headers().firstValue("Teledrop-Sha256").orElseThrow());
    }

    @Test
    void theUploadPageFinishesAFileWhileItsServerIsKilledAndStarted(Browser browser) throws Exception {
        Path file = Files.write(WORK.resolve("page-upload.bin"), TeledropClient.randomBytes(20 * MIB, 52));
        browser.open("");
        browser.find("#files").sendKeys(file.toString());
        ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
        slow.setLatency(Duration.ofMillis(5));
        slow.setUploadThroughput(2 * MIB);
        slow.setDownloadThroughput(20 * MIB);
        browser.driver.setNetworkConditions(slow);
        browser.find("#upload-button").click();
        browser.waitUntilTextContains("#overall-status", "left", Duration.ofSeconds(30));
        Thread.sleep(5000); // a piece of 8 MiB is in, the next on its way

        restartAfterKill();

        try {
            browser.waitUntilTextContains("#result-summary", "1 file", Duration.ofSeconds(240));
        } catch (RuntimeException e) {
            throw new AssertionError("the page did not finish; its console said: " + browser.driver.manage().logs()
                    .get(org.openqa.selenium.logging.LogType.BROWSER).getAll(), e);
        }
        browser.driver.deleteNetworkConditions();
        String share = browser.find("#share-link").getAttribute("value");
        String slug = share.substring(share.lastIndexOf('/') + 1);
        JsonObject drop = TeledropClient.json(client.send(client.request("api/drops/" + slug).header("Accept", "application/json").GET().build()));
        assertEquals(1, drop.getJsonArray("files").size());
        JsonObject stored = drop.getJsonArray("files").getJsonObject(0);
        assertEquals("page-upload.bin", stored.getString("name"));
        assertEquals(TeledropClient.sha256(Files.readAllBytes(file)), stored.getString("sha256"));
        browser.screenshot("upload-page-after-restart");
    }
}

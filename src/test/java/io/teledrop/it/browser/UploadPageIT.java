package io.teledrop.it.browser;

import static io.teledrop.it.TeledropClient.randomBytes;
import static io.teledrop.it.TeledropClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;

/** The upload page with JavaScript, in a real Chromium: pick files, watch them go up, share the result. */
@ExtendWith(ArquillianExtension.class)
class UploadPageIT {

    private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static final BrowserExtension BROWSERS = new BrowserExtension("upload-page");

    @TempDir
    Path folder;

    private Browser browser;
    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @BeforeEach
    void useBrowser(Browser browser) {
        this.browser = browser;
    }

    private Path file(String name, int size, long seed) throws IOException {
        return Files.write(folder.resolve(name), randomBytes(size, seed));
    }

    private void pick(Path... files) {
        browser.find("#files").sendKeys(String.join("\n", List.of(files).stream().map(Path::toString).toList()));
    }

    private void openOptions() {
        browser.find("details.options summary").click();
    }

    @Test
    void twoPickedFilesUploadWithProgressAndTheirDropShowsTheRightChecksums() throws IOException {
        Path report = file("quarterly report.pdf.bin", 3 * 1024 * 1024 + 17, 1);
        Path notes = Files.writeString(folder.resolve("notes-ünïcode.txt"), "Meeting notes: ship the pages, then S3.\n".repeat(5000));

        browser.open("");
        browser.assertControlsLabelled();
        pick(report, notes);
        assertEquals(2, browser.findAll("#file-list li").size());
        openOptions();
        browser.find("#title").sendKeys("Browser upload");
        browser.screenshot("upload-page-files-picked");
        browser.find("#upload-button").click();

        browser.waitVisible("#result", UPLOAD_TIMEOUT);
        assertEquals("100", browser.find("#overall-progress").getAttribute("value"));
        for (WebElement item : browser.findAll("#file-list li")) {
            assertEquals("done", item.findElement(By.cssSelector(".file-status")).getAttribute("textContent"));
            assertEquals("100", item.findElement(By.cssSelector("progress")).getAttribute("value"));
        }
        String shareLink = browser.find("#share-link").getAttribute("value");
        assertTrue(shareLink.startsWith(TeledropClient.BASE + "d/"), shareLink);
        assertTrue(browser.find("#delete-link").getAttribute("value").contains("delete.xhtml?slug="));
        assertTrue(browser.imageLoaded(browser.find("#qr")), "the QR code loaded");
        assertTrue(browser.text("#result-summary").startsWith("2 files"), browser.text("#result-summary"));
        browser.assertNoConsoleErrors();
        browser.screenshot("upload-page-result");

        browser.driver.get(shareLink);
        assertEquals("Browser upload", browser.text("h1"));
        List<WebElement> files = browser.findAll("li.file");
        assertEquals(2, files.size());
        assertEquals(sha256(Files.readAllBytes(report)), checksumOf(files, "quarterly report.pdf.bin"));
        assertEquals(sha256(Files.readAllBytes(notes)), checksumOf(files, "notes-ünïcode.txt"));
        browser.assertNoConsoleErrors();
        browser.screenshot("drop-page");

        fileItem(files, "quarterly report.pdf.bin").findElement(By.cssSelector("a.download")).click();
        Path downloaded = browser.awaitDownload("quarterly report.pdf.bin", Duration.ofSeconds(60));
        assertArrayEquals(Files.readAllBytes(report), Files.readAllBytes(downloaded));
    }

    private static WebElement fileItem(List<WebElement> files, String name) {
        return files.stream().filter(f -> f.findElement(By.cssSelector(".name")).getText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no file " + name + " on the drop page"));
    }

    private static String checksumOf(List<WebElement> files, String name) {
        return fileItem(files, name).findElement(By.cssSelector("code.sha256")).getText();
    }

    @Test
    void cancelStopsTheTransferAndDeletesWhatWasAlreadyStored() throws IOException {
        String slug = "cancel-" + System.nanoTime() % 1_000_000;
        Path first = file("first.bin", 64 * 1024, 3);
        Path second = file("second.bin", 6 * 1024 * 1024, 4);
        browser.open("");
        pick(first, second);
        openOptions();
        browser.find("#slug").sendKeys(slug);
        // Slow the link to 1 MB/s so the second file is still on its way when Cancel is pressed.
        ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
        slow.setLatency(Duration.ofMillis(5));
        slow.setUploadThroughput(1024 * 1024);
        slow.setDownloadThroughput(10 * 1024 * 1024);
        browser.driver.setNetworkConditions(slow);

        browser.find("#upload-button").click();
        browser.waitUntilTextContains("#overall-status", "left", Duration.ofSeconds(30));
        String status = browser.text("#overall-status");
        assertTrue(status.matches("\\d+% · .+ of .+ · .+/s · .+ left"), "progress shows percent, bytes, speed and time left: " + status);
        browser.screenshot("upload-page-progress");
        browser.find("#cancel-button").click();

        browser.waitUntilTextContains("#form-error", "Cancelled", Duration.ofSeconds(30));
        browser.driver.deleteNetworkConditions();
        assertFalse(browser.find("#upload-button").getAttribute("disabled") != null, "the form is usable again");
        // The first file had created the drop; cancelling removed it again.
        assertEquals(404, client.send(client.request("api/drops/" + slug).GET().build()).statusCode());
    }

    @Test
    void filesOverTheLimitsAreRefusedBeforeAnyByteIsSent() throws IOException {
        Path tooLarge = file("too-large.bin", (int) TeledropClient.MAX_FILE_SIZE + 1, 5);
        browser.open("");
        pick(tooLarge);
        assertTrue(browser.text("#form-error").contains("larger than the limit"), browser.text("#form-error"));
        browser.find("#file-list li .remove").click();
        assertTrue(browser.findAll("#file-list li").isEmpty());

        Path[] many = new Path[TeledropClient.MAX_FILES + 1];
        for (int i = 0; i < many.length; i++) {
            many[i] = file("f" + i + ".txt", 10, 10 + i);
        }
        pick(many);
        assertTrue(browser.text("#form-error").contains("at most " + TeledropClient.MAX_FILES + " files"), browser.text("#form-error"));
        browser.find("#upload-button").click();
        assertTrue(browser.find("#result").getAttribute("hidden") != null, "nothing was uploaded");
    }

    @Test
    void aServerRefusalIsShownInWordsAndNothingIsKept() throws IOException {
        String taken = "taken-" + System.nanoTime() % 1_000_000;
        assertEquals(201, client.put("a.txt", new byte[] {1}, "Teledrop-Slug", taken).statusCode());
        Path file = file("b.txt", 100, 6);
        browser.open("");
        pick(file);
        openOptions();
        browser.find("#slug").sendKeys(taken);
        browser.find("#upload-button").click();
        browser.waitUntilTextContains("#form-error", "taken", Duration.ofSeconds(30));
        browser.assertNoConsoleErrors("409");
    }

    @Test
    void thePagesFitAPhoneScreen() throws IOException {
        browser.resize(390, 844);
        browser.open("");
        browser.assertNoHorizontalScroll();
        browser.screenshot("upload-page-phone");
        String slug = client.put("a-rather-long-file-name-that-has-to-wrap-somewhere-on-a-small-screen.txt", new byte[] {1, 2, 3},
                "Teledrop-Title", "Phone check").headers().firstValue("Location").map(URI::create).map(u -> u.getPath().substring(3)).orElseThrow();
        browser.open("d/" + slug);
        browser.assertNoHorizontalScroll();
        browser.screenshot("drop-page-phone");
    }
}

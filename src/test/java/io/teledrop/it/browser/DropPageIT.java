package io.teledrop.it.browser;

import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.randomBytes;
import static io.teledrop.it.TeledropClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient.Multipart;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The drop page and the pages around it, in a real Chromium: protected drops, drops that are gone or never
 * were, previews, and the whole upload-share-delete round trip with JavaScript switched off.
 */
@ExtendWith(ArquillianExtension.class)
class DropPageIT {

    @RegisterExtension
    static final BrowserExtension BROWSERS = new BrowserExtension("drop-page");

    @TempDir
    Path folder;

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private static String slugOf(JsonObject drop) {
        return drop.getString("slug");
    }

    private int statusOf(String path) {
        return client.send(client.request(path).header("Accept", "text/html").GET().build()).statusCode();
    }

    @Test
    void aProtectedDropAsksForItsPasswordAndSaysWhenItIsWrong(Browser browser) {
        byte[] secret = "the plans".getBytes(StandardCharsets.UTF_8);
        String slug = slugOf(json(client.postMultipart(new Multipart().field("password", "open sesame").field("title", "Secret plans")
                .file("file", "plans.txt", "text/plain", secret))));
        browser.open("d/" + slug);

        assertEquals("This drop is protected", browser.text("h1"));
        assertTrue(browser.findAll("li.file").isEmpty(), "no file is shown before the password");
        browser.assertControlsLabelled();
        browser.find("input[type=password]").sendKeys("open sesame?");
        browser.clickAndWait("input[type=submit]");
        assertTrue(browser.text("#unlock-messages").contains("not right"), browser.text("#unlock-messages"));
        browser.screenshot("drop-page-wrong-password");

        browser.find("input[type=password]").sendKeys("open sesame");
        browser.clickAndWait("input[type=submit]");
        assertEquals("Secret plans", browser.text("h1"));
        assertEquals(sha256(secret), browser.text("code.sha256"));
        browser.assertNoConsoleErrors("403");
    }

    @Test
    void guessingIsStoppedWithAClearMessageAndWaitTime(Browser browser) {
        String slug = slugOf(json(client.postMultipart(new Multipart().field("password", "right")
                .file("file", "a.txt", "text/plain", new byte[] {1}))));
        browser.open("d/" + slug);
        for (int attempt = 1; attempt <= 5; attempt++) {
            browser.find("input[type=password]").sendKeys("wrong " + attempt);
            browser.clickAndWait("input[type=submit]");
            assertTrue(browser.text("#unlock-messages").contains("not right"), "attempt " + attempt + ": " + browser.text("#unlock-messages"));
        }
        browser.find("input[type=password]").sendKeys("right");
        browser.clickAndWait("input[type=submit]");
        String message = browser.text("#unlock-messages");
        assertTrue(message.matches("Too many wrong passwords\\. Wait \\d+ minutes? before trying again\\."), message);
        assertTrue(browser.findAll("li.file").isEmpty(), "even the right password waits");
    }

    @Test
    void aMissingDropAndAGoneDropSayWhatHappened(Browser browser) {
        browser.open("d/no-such-drop-here");
        assertEquals("There is no drop here", browser.text("h1"));
        assertTrue(browser.text("#not-found").contains("“no-such-drop-here”"));
        assertEquals(404, statusOf("d/no-such-drop-here"));
        browser.screenshot("drop-page-404");

        JsonObject drop = json(client.postMultipart(new Multipart().field("maxDownloads", "1").file("file", "once.txt", "text/plain", new byte[] {7})));
        String file = drop.getJsonArray("files").getJsonObject(0).getString("downloadUrl");
        assertEquals(200, client.sendForBytes(HttpRequest.newBuilder(URI.create(file)).GET().build()).statusCode());
        browser.open("d/" + slugOf(drop));
        assertEquals("This drop is gone", browser.text("h1"));
        assertTrue(browser.text("#gone").contains("downloaded as often as its uploader allowed"), browser.text("#gone"));
        assertEquals(410, statusOf("d/" + slugOf(drop)));
        browser.assertNoConsoleErrors("404", "410");
    }

    @Test
    void imagesArePreviewedButNotForDropsWithADownloadLimit(Browser browser) throws IOException {
        byte[] png = tinyPng();
        String open = slugOf(json(client.postMultipart(new Multipart().field("description", "Line one\nLine two")
                .file("file", "dot.png", "image/png", png))));
        browser.open("d/" + open);
        WebElement preview = browser.find("img.preview");
        assertTrue(browser.imageLoaded(preview), "the preview image loaded");
        assertTrue(browser.text(".description").contains("Line one\nLine two"), "line breaks of the description are kept");
        assertEquals("image/png", browser.text(".file-facts").replaceAll(".* · ", ""));
        browser.assertNoConsoleErrors();

        String limited = slugOf(json(client.postMultipart(new Multipart().field("maxDownloads", "3").file("file", "dot.png", "image/png", png))));
        browser.open("d/" + limited);
        assertTrue(browser.findAll("img.preview").isEmpty(), "a preview would use up downloads");
        assertEquals("3 downloads left", browser.text("#downloads-left"));
    }

    /** A 1×1 PNG. */
    private static byte[] tinyPng() {
        return java.util.Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    }

    @Test
    void withoutJavaScriptTheFormUploadsSharesAndDeletes(@WithoutJavaScript Browser browser) throws IOException {
        Path first = Files.write(folder.resolve("first.bin"), randomBytes(300_000, 21));
        Path second = Files.write(folder.resolve("second.txt"), "plain text\n".getBytes(StandardCharsets.UTF_8));
        browser.open("");
        assertTrue(browser.findAll(".js-only").stream().noneMatch(WebElement::isDisplayed), "script-only controls are hidden");
        browser.find("#files").sendKeys(first + "\n" + second);
        browser.find("details.options summary").click();
        browser.find("#title").sendKeys("No script");
        browser.clickAndWait("#upload-button");

        assertTrue(browser.driver.getCurrentUrl().contains("/uploaded.xhtml?r="), browser.driver.getCurrentUrl());
        String shareLink = browser.find("#share-link").getAttribute("value");
        String deleteLink = browser.find("#delete-link").getAttribute("value");
        assertTrue(browser.text("#result-summary").startsWith("2 files"));
        assertTrue(browser.imageLoaded(browser.find("#qr")), "the QR code loaded");
        browser.screenshot("uploaded-page-no-script");

        browser.driver.get(shareLink);
        assertEquals("No script", browser.text("h1"));
        List<WebElement> files = browser.findAll("li.file");
        assertEquals(2, files.size());
        assertEquals(sha256(Files.readAllBytes(first)), files.get(0).findElement(By.cssSelector("code.sha256")).getText());
        files.get(1).findElement(By.cssSelector("a.download")).click(); // a download: the page stays
        assertArrayEquals(Files.readAllBytes(second), Files.readAllBytes(browser.awaitDownload("second.txt", Duration.ofSeconds(30))));

        browser.driver.get(deleteLink);
        assertTrue(browser.text("h1").startsWith("Delete “No script”?"), browser.text("h1"));
        String slug = URI.create(shareLink).getPath().substring(3);
        assertEquals(200, client.send(client.request("api/drops/" + slug).GET().build()).statusCode(), "opening the delete link deletes nothing");
        browser.clickAndWait("input[type=submit][value='Delete now']");
        assertEquals("Deleted", browser.text("h1"));
        assertEquals(404, client.send(client.request("api/drops/" + slug).GET().build()).statusCode());
        browser.driver.get(shareLink);
        assertEquals("There is no drop here", browser.text("h1"));
    }

    @Test
    void aNoScriptUploadThatBreaksARuleGetsAReadablePage(@WithoutJavaScript Browser browser) throws IOException {
        Path file = Files.write(folder.resolve("x.txt"), new byte[] {1});
        browser.open("");
        browser.find("#files").sendKeys(file.toString());
        browser.find("details.options summary").click();
        browser.find("#slug").sendKeys("no");
        browser.clickAndWait("#upload-button");
        assertEquals("Invalid input", browser.text("h1"));
        assertTrue(browser.text("li").startsWith("slug:"), browser.text("li"));
        assertTrue(browser.text("body").contains("Nothing was stored or changed."));
    }

    @Test
    void aWrongDeleteLinkDeletesNothing(Browser browser) {
        JsonObject drop = json(client.postMultipart(new Multipart().file("file", "keep.txt", "text/plain", new byte[] {1})));
        browser.open("delete.xhtml?slug=" + slugOf(drop) + "&token=not-the-token");
        browser.clickAndWait("input[type=submit][value='Delete now']");
        assertTrue(browser.text(".error").contains("does not belong to this drop"), browser.text(".error"));
        HttpResponse<String> still = client.send(client.request("api/drops/" + slugOf(drop)).GET().build());
        assertEquals(200, still.statusCode());
        assertFalse(browser.text("h1").equals("Deleted"));
    }
}

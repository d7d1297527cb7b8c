package io.teledrop.it.http;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient.Multipart;
import io.teledrop.it.TeledropClient;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the pages rest on, seen over plain HTTP: who gets a page, who gets data, and cross-site forms refused. */
@ExtendWith(ArquillianExtension.class)
class PagesHttpIT {

    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    private String newDrop() {
        return json(client.put("page.txt", "hello".getBytes(), "Teledrop-Title", "<b>Bold</b> & title")).getString("slug");
    }

    @Test
    void aBrowserGetsTheDropPageAndCurlGetsTheLinks() {
        String slug = newDrop();

        HttpResponse<String> page = client.send(client.request("d/" + slug).header("Accept", BROWSER_ACCEPT).GET().build());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(page.body().contains("&lt;b&gt;Bold&lt;/b&gt; &amp; title"), "the title is escaped");
        assertFalse(page.body().contains("<b>Bold</b>"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow().contains("frame-ancestors 'none'"));

        HttpResponse<String> text = client.send(client.request("d/" + slug).GET().build());
        assertTrue(text.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        assertTrue(text.body().contains("/d/" + slug + "/"), text.body());
    }

    @Test
    void theUploadPageAndResultPageCreateNoSessionForVisitors() {
        HttpResponse<String> page = client.send(client.request("").header("Accept", BROWSER_ACCEPT).GET().build());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("id=\"upload-form\""));
        assertTrue(page.headers().allValues("Set-Cookie").isEmpty(), "no cookie: " + page.headers().allValues("Set-Cookie"));

        HttpResponse<String> result = client.send(client.request("uploaded.xhtml?r=0123456789abcdef01234567").header("Accept", BROWSER_ACCEPT).GET().build());
        assertEquals(404, result.statusCode(), "a result id from no session shows nothing");
        assertTrue(result.body().contains("This upload result is not available"));
    }

    @Test
    void aFormPostFromAnotherSiteIsRefusedAndStoresNothing() {
        long blobsBefore = TeledropClient.blobCount();
        Multipart form = new Multipart().field("ui", "html").file("file", "x.txt", "text/plain", new byte[] {1});

        HttpResponse<String> forged = client.postMultipart(form, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");
        assertProblem(forged, 403, "urn:teledrop:problem:forbidden");
        HttpResponse<String> nullOrigin = client.postMultipart(form, "Origin", "null", "Sec-Fetch-Site", "cross-site");
        assertEquals(403, nullOrigin.statusCode());
        assertEquals(blobsBefore, TeledropClient.blobCount());

        // The page's own post (what Chromium sends under Referrer-Policy: no-referrer) and an allowed CORS origin pass.
        assertEquals(303, client.postMultipart(form, "Origin", "null", "Sec-Fetch-Site", "same-origin").statusCode());
        assertEquals(201, client.postMultipart(new Multipart().file("file", "y.txt", "text/plain", new byte[] {2}),
                "Origin", "https://app.example.com", "Sec-Fetch-Site", "cross-site").statusCode());
    }

    @Test
    void aNoScriptUploadIsAnsweredWithARedirectToItsResult() {
        HttpResponse<String> answer = client.postMultipart(new Multipart().field("ui", "html").field("title", "Form")
                .file("file", "x.txt", "text/plain", new byte[] {1}));
        assertEquals(303, answer.statusCode());
        assertTrue(answer.headers().firstValue("Location").orElseThrow().matches("/uploaded\\.xhtml\\?r=[0-9a-f]{24}"),
                answer.headers().firstValue("Location").orElseThrow());
        assertTrue(answer.headers().firstValue("Set-Cookie").orElseThrow().contains("HttpOnly"), "the result waits in an HttpOnly session");
    }

    @Test
    void errorsForBrowsersAreReadablePagesAndForClientsProblems() {
        HttpResponse<String> page = client.send(client.request("d/no-such-drop/some-id/x.txt").header("Accept", BROWSER_ACCEPT).GET().build());
        assertEquals(404, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(page.body().contains("<h1>Not found</h1>") && page.body().contains("Request id:"), page.body());

        assertProblem(client.send(client.request("no-such-file.png").GET().build()), 404, "urn:teledrop:problem:not-found");
        HttpResponse<String> missing = client.send(client.request("no-such-page.xhtml").GET().build());
        assertEquals(404, missing.statusCode());
    }

    @Test
    void theQrCodeIsAnSvgOfTheShareLink() {
        String slug = newDrop();
        HttpResponse<String> qr = client.send(client.request("d/" + slug + "/qr.svg").GET().build());
        assertEquals(200, qr.statusCode());
        assertEquals("image/svg+xml", qr.headers().firstValue("Content-Type").orElseThrow().replaceAll(";.*", ""));
        assertTrue(qr.body().startsWith("<svg") && qr.body().contains("<path"), qr.body());
        assertFalse(qr.body().contains("script"));
        assertProblem(client.send(client.request("d/no-such-drop/qr.svg").GET().build()), 404, "urn:teledrop:problem:not-found");
    }

    @Test
    void theAdminPagesSendStrangersToTheLogin() {
        HttpResponse<String> drops = client.send(client.request("admin/drops.xhtml").header("Accept", BROWSER_ACCEPT).GET().build());
        assertEquals(303, drops.statusCode());
        assertEquals("/admin/login.xhtml", drops.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> login = client.send(client.request("admin/login.xhtml").header("Accept", BROWSER_ACCEPT).GET().build());
        assertEquals(200, login.statusCode());
        assertTrue(login.body().contains("jakarta.faces.ViewState"), "the login form carries Faces' view state (CSRF token)");
    }
}

package io.teledrop.it.cluster;

import static io.teledrop.it.cluster.Nodes.json;
import static io.teledrop.it.cluster.Nodes.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.teledrop.it.LibertyServer;
import io.teledrop.it.browser.Browser;
import io.teledrop.it.browser.BrowserExtension;
import io.teledrop.it.signin.IdentityProvider;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sign-in through the balancer, which sends each request to the next server (no sticky sessions): the sign-in
 * begins on one server, its callback lands on another and the pages after it on the third, and every one of
 * them knows the person (the pending sign-in and the identity live in the shared session store). Access
 * tokens are checked by whichever server gets them.
 */
class SignInAcrossNodesIT {

    @RegisterExtension
    static final BrowserExtension BROWSERS = new BrowserExtension("cluster-signin");

    private static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.get();
    }

    @Test
    void aPersonSignedInOnOneServerIsSignedInOnAllUntilSigningOut(Browser browser) throws Exception {
        browser.open("admin/login.xhtml");
        browser.clickAndWait("#admin-sign-in");
        IdentityProvider.signIn(browser, "cara", "Cara Cluster", IdentityProvider.ADMIN_GROUP);
        assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/drops.xhtml"), browser.driver.getCurrentUrl());
        for (int i = 0; i < 6; i++) {
            browser.open("admin/drops.xhtml"); // each to the next server
            assertEquals("Drops", browser.text("h1"), "request " + (i + 1) + " after the sign-in is still an admin's");
            assertEquals("Cara Cluster", browser.text("#signed-in-as"));
        }

        // An upload from the page records its creator on whichever server takes it; My drops finds it on every one.
        browser.open("");
        Path file = Files.writeString(Files.createTempFile("cluster-signed-in", ".txt"), "uploaded by Cara");
        browser.find("#files").sendKeys(file.toString());
        browser.find("#upload-button").click();
        browser.waitVisible("#result", Duration.ofSeconds(60));
        String shareLink = browser.find("#share-link").getAttribute("value");
        String slug = shareLink.substring(shareLink.lastIndexOf('/') + 1);
        for (int i = 0; i < 3; i++) {
            browser.open("my/drops.xhtml");
            String listed = "tr[data-slug='" + slug + "']";
            try {
                browser.waitVisible(listed, Duration.ofSeconds(10));
            } catch (org.openqa.selenium.TimeoutException e) {
                fail("not listed on request " + (i + 1) + " at " + browser.driver.getCurrentUrl() + ": " + browser.text("body"));
            }
        }
        browser.clickAndWait("tr[data-slug='" + slug + "'] input.delete");
        assertTrue(browser.text(".messages").contains("Deleted the drop “" + slug + "”"), browser.text(".messages"));
        assertEquals(404, Nodes.get(cluster.base(), "api/drops/" + slug).statusCode());

        browser.clickAndWait("#signout input[type=submit]");
        for (int i = 0; i < 3; i++) {
            browser.open("admin/drops.xhtml");
            assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/login.xhtml"), "signed out everywhere: " + browser.driver.getCurrentUrl());
        }
        browser.assertNoConsoleErrors("fonts.googleapis.com"); // the provider's login page asks for a web font; no internet here
    }

    @Test
    void aSignInBegunOnOneServerEndsOnAnotherAndHoldsOnTheThird() throws Exception {
        URI a = cluster.nodes().get(0).base();
        URI b = cluster.nodes().get(1).base();
        URI c = cluster.nodes().get(2).base();
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> start = browser.send(HttpRequest.newBuilder(a.resolve("auth/signin?return=%2Fadmin%2Fdrops.xhtml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, start.statusCode(), start.body());
        URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
        String claims = "{\"name\":\"Bo Backend\",\"groups\":[\"" + IdentityProvider.ADMIN_GROUP + "\"]}";
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(authorize).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=bo&claims=" + URLEncoder.encode(claims, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, login.statusCode(), login.body());
        URI callback = URI.create(login.headers().firstValue("Location").orElseThrow());
        // The callback names node A (where the sign-in began); it goes to node B instead, as a balancer may send it.
        HttpResponse<String> back = browser.send(HttpRequest.newBuilder(b.resolve(callback.getRawPath().substring(1) + "?" + callback.getRawQuery())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, back.statusCode(), back.body());
        assertTrue(back.headers().firstValue("Location").orElse("").endsWith("/admin/drops.xhtml"), back.headers().toString());

        HttpResponse<String> drops = browser.send(HttpRequest.newBuilder(c.resolve("admin/drops.xhtml")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, drops.statusCode(), "node C knows the sign-in completed on node B; the callback set " + back.headers().allValues("Set-Cookie"));
        assertTrue(drops.body().contains("Bo Backend"), "signed in as Bo on node C");
    }

    @Test
    void everyServerChecksTheProvidersAccessTokensOnItsOwn() {
        String token = cluster.identityProvider().serviceAccountToken("create", "read");
        HttpResponse<String> created = upload(cluster.base(), "robot.txt", Nodes.text("from CI"), "Authorization", "Bearer " + token);
        assertEquals(201, created.statusCode(), created.body());
        String slug = json(created).getString("slug");
        for (LibertyServer node : cluster.nodes()) {
            HttpResponse<String> listed = Nodes.get(node.base(), "api/drops", "Authorization", "Bearer " + token);
            assertEquals(200, listed.statusCode(), node.name() + ": " + listed.body());
            assertTrue(listed.body().contains(slug), node.name());
            HttpResponse<String> forged = Nodes.get(node.base(), "api/drops", "Authorization", "Bearer " + token.substring(0, token.length() - 4) + "AAAA");
            assertEquals(401, forged.statusCode(), node.name());
            assertEquals("signature", json(forged).getString("check"), node.name());
        }
    }
}

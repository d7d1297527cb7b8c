package io.teledrop.it.browser;

import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import java.net.http.HttpResponse;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The admin pages in a real Chromium: login by admin key, drops (search, delete), API keys (issue once, revoke). */
@ExtendWith(ArquillianExtension.class)
class AdminPagesIT {

    private static final String ADMIN_KEY = System.getProperty("teledrop.it.api-key");

    @RegisterExtension
    static final BrowserExtension BROWSERS = new BrowserExtension("admin");

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

    private void logIn(String key) {
        browser.find("input[type=password]").sendKeys(key);
        browser.clickAndWait("input[type=submit][value='Log in']");
    }

    @Test
    void onlyAnAdminKeyOpensTheAdminPages() {
        browser.open("admin/drops.xhtml");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/login.xhtml"), browser.driver.getCurrentUrl());
        browser.assertControlsLabelled();

        logIn("not-a-key-at-all");
        assertTrue(browser.text("#login-messages").contains("not valid"), browser.text("#login-messages"));

        String readOnlyKey = json(client.send(client.request("api/keys").header("X-API-Key", ADMIN_KEY).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"reader\",\"permissions\":[\"read\"]}")).build())).getString("key");
        logIn(readOnlyKey);
        assertTrue(browser.text("#login-messages").contains("not an admin key"), browser.text("#login-messages"));

        logIn(ADMIN_KEY);
        assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/drops.xhtml"), browser.driver.getCurrentUrl());
        assertEquals("Drops", browser.text("h1"));
        browser.assertNoConsoleErrors("401", "403");

        browser.clickAndWait("input[type=submit][value='Log out']");
        browser.open("admin/keys.xhtml");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/login.xhtml"), "logged out: " + browser.driver.getCurrentUrl());
    }

    @Test
    void anAdminFindsADropByItsTitleAndDeletesIt() {
        String word = "Walrus" + System.nanoTime() % 1_000_000;
        String slug = json(client.put("w.txt", new byte[] {1, 2}, "Teledrop-Title", "Plans for the " + word + " party", "Teledrop-Max-Downloads", "4"))
                .getString("slug");
        browser.open("admin/login.xhtml");
        logIn(ADMIN_KEY);

        browser.find("#q").sendKeys(word.toLowerCase());
        browser.clickAndWait("form.search button[type=submit]");
        assertEquals("1 drop, showing 1–1.", browser.text("#count"));
        WebElement row = browser.find("tr[data-slug='" + slug + "']");
        List<String> cells = row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertTrue(cells.get(0).contains("Plans for the " + word + " party"), cells.toString());
        assertEquals(List.of("1", "2 bytes", "0 / 4"), cells.subList(1, 4));
        browser.screenshot("admin-drops");

        browser.clickAndWait(row.findElement(By.cssSelector("input[type=submit][value=Delete]")));
        assertTrue(browser.text(".messages").contains("Deleted the drop “" + slug + "”"), browser.text(".messages"));
        assertTrue(browser.findAll("tr[data-slug='" + slug + "']").isEmpty());
        assertEquals(404, client.send(client.request("api/drops/" + slug).GET().build()).statusCode());
        browser.assertNoConsoleErrors();
    }

    @Test
    void anIssuedKeyIsShownOnceWorksAndStopsWhenRevoked() {
        String name = "ci-robot-" + System.nanoTime() % 1_000_000;
        browser.open("admin/login.xhtml");
        logIn(ADMIN_KEY);
        browser.open("admin/keys.xhtml");
        browser.find("input[id$=':name']").sendKeys(name);
        // "create" is ticked by default; add "read".
        browser.find("input[type=checkbox][value=read]").click();
        browser.clickAndWait("input[type=submit][value='Issue key']");

        String key = browser.find("#issued-key").getAttribute("value");
        assertTrue(key.length() >= 32, key);
        assertTrue(browser.find("tr[data-key-name='" + name + "']").getText().contains("create, read"));
        browser.screenshot("admin-keys-issued");
        HttpResponse<String> listed = client.send(client.request("api/drops").header("X-API-Key", key).GET().build());
        assertEquals(200, listed.statusCode(), listed.body());

        browser.open("admin/keys.xhtml");
        assertTrue(browser.findAll("#issued-key").isEmpty(), "the key is shown only once");
        browser.clickAndWait("tr[data-key-name='" + name + "'] input[type=submit][value=Revoke]");
        assertTrue(browser.find("tr[data-key-name='" + name + "']").getText().contains("revoked"));
        assertEquals(401, client.send(client.request("api/drops").header("X-API-Key", key).GET().build()).statusCode());
        assertFalse(browser.text(".messages").isEmpty());
    }
}

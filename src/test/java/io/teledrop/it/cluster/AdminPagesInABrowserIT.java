package io.teledrop.it.cluster;

import static io.teledrop.it.cluster.Nodes.json;
import static io.teledrop.it.cluster.Nodes.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.browser.Browser;
import io.teledrop.it.browser.BrowserExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin pages in Chromium through the balancer, which sends each request to the next server in turn: login,
 * page after page, a search and a deletion (Faces postbacks whose views were saved by another server), logout.
 */
class AdminPagesInABrowserIT {

    @RegisterExtension
    static final BrowserExtension BROWSERS = new BrowserExtension("cluster-admin");

    private static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.get();
    }

    @Test
    void anAdminWorksThroughTheBalancerWithoutStickySessions(Browser browser) {
        String word = "Narwhal" + System.nanoTime() % 1_000_000;
        HttpResponse<String> created = upload(cluster.base(), "n.txt", Nodes.text("tusk"), "Teledrop-Title", "The " + word + " drop");
        assertEquals(201, created.statusCode(), created.body());
        String slug = json(created).getString("slug");

        browser.open("admin/login.xhtml");
        browser.find("input[type=password]").sendKeys(ClusterSettings.API_KEY);
        browser.clickAndWait("input[type=submit][value='Log in']");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/drops.xhtml"), browser.driver.getCurrentUrl());
        for (int i = 0; i < 6; i++) {
            browser.open("admin/drops.xhtml"); // each to the next server
            assertEquals("Drops", browser.text("h1"), "request " + (i + 1) + " after the login is still an admin's");
        }

        browser.find("#q").sendKeys(word.toLowerCase());
        browser.clickAndWait("form.search button[type=submit]");
        assertEquals("1 drop, showing 1–1.", browser.text("#count"));
        browser.clickAndWait("tr[data-slug='" + slug + "'] input[type=submit][value=Delete]");
        assertTrue(browser.text(".messages").contains("Deleted the drop “" + slug + "”"), browser.text(".messages"));
        assertEquals(404, Nodes.get(cluster.base(), "api/drops/" + slug).statusCode());
        browser.screenshot("cluster-admin-deleted");

        browser.clickAndWait("input[type=submit][value='Log out']");
        for (int i = 0; i < 3; i++) {
            browser.open("admin/keys.xhtml");
            assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/login.xhtml"), "logged out everywhere: " + browser.driver.getCurrentUrl());
        }
        browser.assertNoConsoleErrors();
    }
}

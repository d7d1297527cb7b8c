package io.teledrop.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Faces pages with no sticky sessions: a form shown by one node is posted to another, the admin login made
 * on one node holds on the others, and a logout on one ends the session everywhere. The session and its views
 * live in the database (Liberty's session persistence, configured as docs/cluster.md says).
 */
class AdminPagesAcrossNodesIT {

    private static final Pattern VIEW_STATE = Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");

    private static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.get();
    }

    @Test
    void anAdminLogsInOnOneNodeIsAdminOnTheOthersAndLogsOutEverywhere() throws Exception {
        URI a = cluster.nodes().get(0).base();
        URI b = cluster.nodes().get(1).base();
        URI c = cluster.nodes().get(2).base();
        HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(a.resolve("admin/login.xhtml")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, loginPage.statusCode());
        assertHeldWhole(loginPage);
        HttpResponse<String> welcome = browser.send(HttpRequest.newBuilder(a).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, welcome.statusCode());
        assertHeldWhole(welcome); // index.xhtml, reached by a forward
        Map<String, String> login = new LinkedHashMap<>();
        login.put("login", "login");
        login.put("login:key", ClusterSettings.API_KEY);
        login.put("login:submit", "Log in");
        login.put("login_SUBMIT", "1"); // MyFaces' mark of a submitted form
        login.put("jakarta.faces.ViewState", viewState(loginPage.body()));
        HttpResponse<String> loggedIn = post(browser, b.resolve("admin/login.xhtml"), login);
        assertEquals(302, loggedIn.statusCode(), "the login form shown by node A, posted to node B: " + loggedIn.body());
        assertTrue(loggedIn.headers().firstValue("Location").orElse("").endsWith("/admin/drops.xhtml"), loggedIn.headers().toString());

        HttpResponse<String> drops = browser.send(HttpRequest.newBuilder(c.resolve("admin/drops.xhtml")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, drops.statusCode(), "node C knows the admin session made on node B");
        assertTrue(drops.body().contains("id=\"logout\""), "the admin page, with its logout form");
        assertHeldWhole(drops);

        Map<String, String> logout = new LinkedHashMap<>();
        logout.put("logout", "logout");
        logout.put("logout:submit", "Log out");
        logout.put("logout_SUBMIT", "1");
        logout.put("jakarta.faces.ViewState", viewState(drops.body()));
        HttpResponse<String> loggedOut = post(browser, a.resolve("admin/drops.xhtml"), logout);
        assertEquals(302, loggedOut.statusCode(), "the admin page shown by node C, posted to node A: " + loggedOut.body());
        assertTrue(loggedOut.headers().firstValue("Location").orElse("").endsWith("/admin/login.xhtml"), loggedOut.headers().toString());

        for (URI node : new URI[] {a, b, c}) {
            HttpResponse<String> after = browser.send(HttpRequest.newBuilder(node.resolve("admin/drops.xhtml")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(after.statusCode() == 302 || after.statusCode() == 303, "after the logout, " + node + " sends to the login page: " + after.statusCode());
            assertTrue(after.headers().firstValue("Location").orElse("").contains("/admin/login.xhtml"), after.headers().toString());
        }
    }

    /**
     * A page is held until its session is written (SessionWriteFilter), so it goes out whole, with its length. A page
     * sent in chunks left partly before that: its session cookie and stylesheet link reached the browser before its
     * view reached the database, and a stylesheet request to another server could write the session back without it.
     */
    private static void assertHeldWhole(HttpResponse<String> page) {
        assertTrue(page.headers().firstValue("Content-Length").isPresent(), "the page left before its session was written: " + page.headers().map());
    }

    private static String viewState(String page) {
        Matcher m = VIEW_STATE.matcher(page);
        assertTrue(m.find(), "the page has a Faces form: " + page);
        return m.group(1).replace("&#58;", ":").replace("&amp;", "&");
    }

    private static HttpResponse<String> post(HttpClient browser, URI page, Map<String, String> fields) throws Exception {
        String form = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return browser.send(HttpRequest.newBuilder(page).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

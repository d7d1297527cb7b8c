package io.teledrop.it.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.teledrop.it.LibertyServer;
import io.teledrop.it.TeledropClient;
import io.teledrop.it.browser.Browser;
import io.teledrop.it.browser.BrowserExtension;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import no.nav.security.mock.oauth2.OAuth2Exception;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.Cookie;

/**
 * Sign-in with a real OpenID Connect provider ({@link IdentityProvider}) on a server of its own, with
 * anonymous uploads off: people sign in through the provider's login page in Chromium, reach what their
 * groups allow, find their drops under "My drops" and sign out; API clients bring the provider's access
 * tokens, and every token that fails a check is refused with the check named, never served as anonymous.
 */
class SignInIT {

    @RegisterExtension
    static final BrowserExtension BROWSERS = new BrowserExtension("signin");

    private static final Path WORK = Path.of("target", "signin");
    private static final String BOOTSTRAP_KEY = "signin-bootstrap-key-0123456789abcdef0123";
    private static final Duration PAGE = Duration.ofSeconds(30);

    private static IdentityProvider provider;
    private static LibertyServer server;
    private final TeledropClient client = new TeledropClient();

    @BeforeAll
    static void start() throws Exception {
        deleteTree(WORK);
        provider = new IdentityProvider();
        Map<String, String> settings = new HashMap<>(provider.settings());
        settings.put("teledrop.data.dir", WORK.resolve("data").toAbsolutePath().toString());
        settings.put("teledrop.auth.anonymous-upload", "false");
        settings.put("teledrop.auth.bootstrap-key", BOOTSTRAP_KEY);
        server = new LibertyServer(System.getProperty("teledrop.faults.server", "teledrop-faults"), LibertyServer.BASE, settings,
                WORK.resolve("console.log"));
        server.start("health/ready");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                server.stop();
            }
        } finally {
            if (provider != null) {
                provider.close();
            }
        }
    }

    // --- People, in a browser ---

    @Test
    void anAdminSignsInThroughTheProviderReachesTheAdminPagesManagesTheirDropsAndSignsOut(Browser browser) throws Exception {
        provider.takeRequests();
        browser.open("admin/drops.xhtml");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/login.xhtml"), browser.driver.getCurrentUrl());
        browser.clickAndWait("#admin-sign-in");
        assertTrue(browser.driver.getCurrentUrl().startsWith(provider.issuer() + "/authorize"), browser.driver.getCurrentUrl());
        IdentityProvider.signIn(browser, "ada", "Ada Admin", IdentityProvider.ADMIN_GROUP);

        assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/drops.xhtml"), "back where the sign-in began: " + browser.driver.getCurrentUrl());
        assertEquals("Drops", browser.text("h1"));
        assertEquals("Ada Admin", browser.text("#signed-in-as"));
        browser.open("admin/keys.xhtml");
        assertEquals("API keys", browser.text("h1"));

        // The authorization request carried state, nonce and an S256 PKCE challenge; the code came back with its verifier.
        List<RecordedRequest> requests = provider.takeRequests();
        RecordedRequest authorize = requests.stream().filter(r -> r.getPath().contains("/authorize?")).findFirst().orElseThrow();
        URI authorization = URI.create(authorize.getPath());
        for (String parameter : List.of("state=", "nonce=", "code_challenge=", "code_challenge_method=S256", "response_type=code", "client_id=teledrop")) {
            assertTrue(authorization.getRawQuery().contains(parameter), parameter + " in " + authorization);
        }
        RecordedRequest token = requests.stream().filter(r -> r.getPath().endsWith("/token")).findFirst().orElseThrow();
        String tokenForm = token.getBody().readUtf8();
        assertTrue(tokenForm.contains("code_verifier="), tokenForm);
        assertTrue(tokenForm.contains("grant_type=authorization_code"), tokenForm);
        assertTrue(token.getHeader("Authorization").startsWith("Basic "), "the client secret goes in the header");

        // An admin may upload from the page although anonymous uploads are off; the drop is theirs.
        browser.open("");
        assertTrue(browser.findAll("#apiKey").isEmpty(), "no API key asked of a signed-in uploader");
        Path file = Files.writeString(Files.createTempFile("signed-in", ".txt"), "uploaded by Ada");
        browser.find("#files").sendKeys(file.toString());
        browser.find("#upload-button").click();
        browser.waitVisible("#result", PAGE);
        String shareLink = browser.find("#share-link").getAttribute("value");
        String slug = shareLink.substring(shareLink.lastIndexOf('/') + 1);

        browser.open("admin/drops.xhtml");
        assertEquals("by Ada Admin", browser.text("tr[data-slug='" + slug + "'] .created-by"), "admins see who created a drop");
        assertFalse(client.send(client.request("api/drops/" + slug).GET().build()).body().contains("Ada"), "the public API does not tell");

        browser.clickAndWait("#my-drops-link");
        assertEquals("My drops", browser.text("h1"));
        assertEquals("1 drop.", browser.text("#count"));
        String row = "tr[data-slug='" + slug + "'] ";
        String expiresBefore = browser.find(row + "td.expires time").getAttribute("datetime");
        browser.clickAndWait(row + "input.extend");
        assertTrue(browser.text(".messages").contains("now expires"), browser.text(".messages"));
        Instant before = Instant.parse(expiresBefore);
        Instant after = Instant.parse(browser.find(row + "td.expires time").getAttribute("datetime"));
        assertTrue(!after.isBefore(before.plus(Duration.ofDays(7)).minusSeconds(2)), before + " -> " + after);
        assertEquals(after, Instant.parse(TeledropClient.json(client.send(client.request("api/drops/" + slug).GET().build())).getString("expires")));
        browser.clickAndWait(row + "input.delete");
        assertTrue(browser.text(".messages").contains("Deleted the drop “" + slug + "”"), browser.text(".messages"));
        assertEquals(404, client.send(client.request("api/drops/" + slug).GET().build()).statusCode());
        browser.screenshot("signin-my-drops");

        browser.clickAndWait("#signout input[type=submit]");
        assertTrue(provider.takeRequests().stream().anyMatch(r -> r.getPath().contains("/endsession?") && r.getPath().contains("id_token_hint=")
                && r.getPath().contains("post_logout_redirect_uri=")), "logged out at the provider too");
        assertEquals(LibertyServer.BASE.toString(), browser.driver.getCurrentUrl());
        assertFalse(browser.findAll("#sign-in-link").isEmpty(), "signed out");
        browser.open("admin/drops.xhtml");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/login.xhtml"), browser.driver.getCurrentUrl());
        browser.assertNoConsoleErrors("fonts.googleapis.com"); // the provider's login page asks for a web font; this machine has no internet

        // The audit log has the sign-in, the deletion by the signed-in creator and the sign-out, by the provider's subject.
        List<jakarta.json.JsonObject> audit = auditLines();
        jakarta.json.JsonObject signIn = audit.stream().filter(l -> l.getString("type").equals("sign-in") && l.getString("outcome").equals("success"))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no sign-in in " + audit));
        assertTrue(signIn.getString("actor").startsWith("user:"), signIn.toString());
        jakarta.json.JsonObject deleted = audit.stream().filter(l -> l.getString("type").equals("drop-deleted")
                && slug.equals(l.getJsonObject("target").getString("drop"))).findFirst().orElseThrow(() -> new AssertionError("no deletion in " + audit));
        assertEquals(signIn.getString("actor"), deleted.getString("actor"));
        assertEquals("sign-in", deleted.getJsonObject("detail").getString("by"));
        assertTrue(audit.stream().anyMatch(l -> l.getString("type").equals("sign-out") && l.getString("actor").equals(signIn.getString("actor"))),
                audit.toString());
    }

    /** The lines of the server's audit log, each a JSON object. */
    private static List<jakarta.json.JsonObject> auditLines() throws IOException {
        List<jakarta.json.JsonObject> lines = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(server.directory().resolve("logs/audit.log"))) {
            try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(line))) {
                lines.add(reader.readObject());
            }
        }
        return lines;
    }

    @Test
    void anUploaderMayUploadButIsNoAdminAndOthersMayNeither(Browser browser) throws Exception {
        browser.open("");
        assertFalse(browser.findAll("#apiKey").isEmpty(), "anonymous uploads are off: a key is asked");
        browser.clickAndWait("#upload-sign-in");
        IdentityProvider.signIn(browser, "uma", "Uma Uploader", IdentityProvider.UPLOADER_GROUP);
        assertEquals(LibertyServer.BASE.toString(), browser.driver.getCurrentUrl());
        assertTrue(browser.findAll("#apiKey").isEmpty(), "no key asked of an uploader");
        Path file = Files.writeString(Files.createTempFile("uploader", ".txt"), "uploaded by Uma");
        browser.find("#files").sendKeys(file.toString());
        browser.find("#upload-button").click();
        browser.waitVisible("#result", PAGE);

        browser.open("admin/drops.xhtml");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/admin/login.xhtml"), "an uploader is no admin");
        browser.open("my/drops.xhtml");
        assertEquals("1 drop.", browser.text("#count"));

        // The session counts for the API only from Teledrop's own pages: another site's request is refused (CSRF),
        // and a client that says nothing of where it comes from gets nothing from the cookie.
        Cookie session = browser.driver.manage().getCookieNamed("JSESSIONID");
        Cookie binding = browser.driver.manage().getCookieNamed("td_signin");
        String cookies = "JSESSIONID=" + session.getValue() + "; td_signin=" + binding.getValue();
        HttpResponse<String> crossSite = client.send(client.request("api/uploads/x.txt").PUT(HttpRequest.BodyPublishers.ofString("x"))
                .header("Cookie", cookies).header("Sec-Fetch-Site", "cross-site").build());
        assertEquals(403, crossSite.statusCode(), crossSite.body());
        HttpResponse<String> unknownOrigin = client.send(client.request("api/uploads/x.txt").PUT(HttpRequest.BodyPublishers.ofString("x"))
                .header("Cookie", cookies).build());
        assertEquals(401, unknownOrigin.statusCode(), unknownOrigin.body());
        HttpResponse<String> sameOrigin = client.send(client.request("api/uploads/x.txt").PUT(HttpRequest.BodyPublishers.ofString("x"))
                .header("Cookie", cookies).header("Sec-Fetch-Site", "same-origin").build());
        assertEquals(201, sameOrigin.statusCode(), sameOrigin.body());
        HttpResponse<String> sessionAlone = client.send(client.request("api/uploads/x.txt").PUT(HttpRequest.BodyPublishers.ofString("x"))
                .header("Cookie", "JSESSIONID=" + session.getValue()).header("Sec-Fetch-Site", "same-origin").build());
        assertEquals(401, sessionAlone.statusCode(), "the session id alone (as fixation would plant it) is no sign-in: " + sessionAlone.body());
        browser.open("my/drops.xhtml");
        assertEquals("2 drops.", browser.text("#count"), "the session still works after the refused requests");
        browser.clickAndWait("#signout input[type=submit]");

        browser.open("my/drops.xhtml");
        assertTrue(browser.driver.getCurrentUrl().startsWith(provider.issuer() + "/authorize"), "My drops needs a sign-in: " + browser.driver.getCurrentUrl());
        IdentityProvider.signIn(browser, "nina", "Nina Nobody");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/my/drops.xhtml"), browser.driver.getCurrentUrl());
        assertEquals("0 drops.", browser.text("#count"), "Uma's drops are not Nina's");
        browser.open("");
        assertFalse(browser.findAll("#apiKey").isEmpty(), "a person outside the uploaders' group needs a key");
        browser.clickAndWait("#signout input[type=submit]");
    }

    @Test
    void aSignInIsRenewedWithItsRefreshTokenAndEndsWhenTheProviderRefuses(Browser browser) throws Exception {
        // Tokens that live 3 s: the next page after that renews them.
        provider.server().enqueueCallback(new DefaultOAuth2TokenCallback(IdentityProvider.ISSUER_ID, "rita", "JWT", List.of(IdentityProvider.CLIENT_ID),
                Map.of("name", "Rita Refresh", "groups", List.of(IdentityProvider.UPLOADER_GROUP)), 3));
        browser.open("my/drops.xhtml");
        IdentityProvider.signIn(browser, "rita", "Rita Refresh", IdentityProvider.UPLOADER_GROUP);
        assertEquals("My drops", browser.text("h1"));
        provider.takeRequests();
        Thread.sleep(3_500);

        browser.open("my/drops.xhtml");
        assertEquals("My drops", browser.text("h1"), "still signed in after the tokens expired");
        List<RecordedRequest> renewal = provider.takeRequests();
        assertTrue(renewal.stream().anyMatch(r -> r.getPath().endsWith("/token") && r.getBody().readUtf8().contains("grant_type=refresh_token")),
                "renewed at the provider: " + renewal);

        // The provider now refuses the refresh (as when the person was disabled): the sign-in ends.
        Thread.sleep(3_500);
        provider.server().enqueueCallback(new RefusingCallback());
        browser.open("");
        assertFalse(browser.findAll("#sign-in-link").isEmpty(), "signed out once the refresh was refused");
        assertTrue(browser.findAll("#signed-in-as").isEmpty());
        browser.open("my/drops.xhtml");
        assertTrue(browser.driver.getCurrentUrl().startsWith(provider.issuer() + "/authorize"), browser.driver.getCurrentUrl());
    }

    @Test
    void aCallbackWithoutItsSignInOrWithAForgedStateIsRefused() {
        HttpResponse<String> unknown = client.send(client.request("auth/callback?code=abc&state=forged").header("Accept", "application/json").GET().build());
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertEquals("urn:teledrop:problem:bad-request", TeledropClient.json(unknown).getString("type"));
        assertTrue(TeledropClient.json(unknown).getString("detail").contains("not known here"), unknown.body());

        HttpResponse<String> elsewhere = client.send(client.request("auth/signin?return=https%3A%2F%2Fevil.example.com%2F").GET().build());
        assertEquals(303, elsewhere.statusCode());
        String authorize = elsewhere.headers().firstValue("Location").orElseThrow();
        assertTrue(authorize.startsWith(provider.issuer() + "/authorize?"), authorize);
        assertTrue(authorize.contains("redirect_uri=" + URLEncoder.encode(LibertyServer.BASE + "auth/callback", StandardCharsets.UTF_8)), authorize);
    }

    /** Makes the provider refuse the next token request with invalid_grant, as for a disabled account. */
    private static final class RefusingCallback implements OAuth2TokenCallback {

        @Override
        public String issuerId() {
            return IdentityProvider.ISSUER_ID;
        }

        @Override
        public String subject(com.nimbusds.oauth2.sdk.TokenRequest request) {
            throw new OAuth2Exception(OAuth2Error.INVALID_GRANT.setDescription("account disabled"), "account disabled");
        }

        @Override
        public String typeHeader(com.nimbusds.oauth2.sdk.TokenRequest request) {
            return "JWT";
        }

        @Override
        public List<String> audience(com.nimbusds.oauth2.sdk.TokenRequest request) {
            return List.of(IdentityProvider.CLIENT_ID);
        }

        @Override
        public Map<String, Object> addClaims(com.nimbusds.oauth2.sdk.TokenRequest request) {
            return Map.of();
        }

        @Override
        public long tokenExpiry() {
            return 60;
        }
    }

    // --- API clients, with the provider's access tokens ---

    private static String serviceAccountToken(String... permissions) {
        return provider.serviceAccountToken(permissions);
    }

    private HttpResponse<String> withToken(String path, String token, String method, byte[] body) {
        return client.send(client.request(path).header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    @Test
    void aServiceAccountsTokenUploadsAndManagesItsDropsWithThePermissionsItsClaimsGrant() {
        String token = serviceAccountToken("create", "read");
        HttpResponse<String> created = withToken("api/uploads/report.txt", token, "PUT", "quarterly".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, created.statusCode(), created.body());
        String slug = TeledropClient.json(created).getString("slug");

        HttpResponse<String> listed = withToken("api/drops", token, "GET", null);
        assertEquals(200, listed.statusCode(), "read lets it list: " + listed.body());
        // Its own drop it may delete without the delete token (it created it); another's it may not.
        HttpResponse<String> other = client.put("other.txt", "x".getBytes(StandardCharsets.UTF_8), "X-API-Key", BOOTSTRAP_KEY);
        assertEquals(201, other.statusCode(), other.body());
        HttpResponse<String> notOwn = withToken("api/drops/" + TeledropClient.json(other).getString("slug"), token, "DELETE", null);
        assertEquals(403, notOwn.statusCode(), notOwn.body());
        HttpResponse<String> own = withToken("api/drops/" + slug, token, "DELETE", null);
        assertEquals(204, own.statusCode(), own.body());

        String readOnly = serviceAccountToken("read");
        HttpResponse<String> refused = withToken("api/uploads/report.txt", readOnly, "PUT", "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, refused.statusCode(), "without create, no upload while anonymous uploads are off: " + refused.body());
        // API keys keep working beside tokens.
        assertEquals(200, client.send(client.request("api/drops").header("X-API-Key", BOOTSTRAP_KEY).GET().build()).statusCode());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"forged", "expired", "wrong-audience", "wrong-issuer", "unsigned", "malformed", "not-yet-valid", "id-token-type"})
    void aTokenThatFailsACheckIsRefusedNamingTheCheckAndNeverServedAsAnonymous(String kind) throws Exception {
        HttpResponse<String> created = client.put("public.txt", "open to all".getBytes(StandardCharsets.UTF_8), "X-API-Key", BOOTSTRAP_KEY);
        String slug = TeledropClient.json(created).getString("slug");
        assertEquals(200, client.send(client.request("api/drops/" + slug).GET().build()).statusCode(), "open to anonymous readers");

        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("mallory").issuer(provider.issuer().toString())
                .audience(IdentityProvider.CLIENT_ID).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("roles", List.of("admin"));
        String check;
        String token;
        switch (kind) {
            case "forged" -> {
                RSAKey ours = new RSAKeyGenerator(2048).keyID(provider.currentKeyId()).generate();
                token = sign(claims.build(), ours, JOSEObjectType.JWT);
                check = "signature";
            }
            case "expired" -> {
                token = signByProvider(claims.expirationTime(Date.from(now.minusSeconds(120))).build());
                check = "expiry";
            }
            case "not-yet-valid" -> {
                token = signByProvider(claims.notBeforeTime(Date.from(now.plusSeconds(600))).build());
                check = "not-before";
            }
            case "wrong-audience" -> {
                token = signByProvider(claims.audience("another-app").build());
                check = "audience";
            }
            case "wrong-issuer" -> {
                token = signByProvider(claims.issuer("https://login.evil.example.com/teledrop").build());
                check = "issuer";
            }
            case "unsigned" -> {
                token = new PlainJWT(claims.build()).serialize();
                check = "signature";
            }
            case "id-token-type" -> {
                token = sign(claims.build(), provider.currentKey(), new JOSEObjectType("id+jwt"));
                check = "type";
            }
            default -> {
                token = "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln";
                check = "malformed";
            }
        }
        HttpResponse<String> answer = withToken("api/drops/" + slug, token, "GET", null);

        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(answer.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
        JsonObject problem = TeledropClient.json(answer);
        assertEquals("urn:teledrop:problem:invalid-token", problem.getString("type"));
        assertEquals(check, problem.getString("check"), problem.toString());
        assertFalse(answer.body().contains(token), "the token is not echoed");
    }

    @Test
    void aRotatedSigningKeyIsAcceptedAtOnceAndTheRetiredOneNoLonger() throws Exception {
        String beforeRotation = serviceAccountToken("read");
        assertEquals(200, withToken("api/drops", beforeRotation, "GET", null).statusCode());
        String oldKey = provider.currentKeyId();

        provider.rotateKeys();
        assertNotEquals(oldKey, provider.currentKeyId());
        String afterRotation = serviceAccountToken("read");
        // Teledrop fetches the keys again for a key id it has not seen, at most once in 5 s.
        Thread.sleep(5_500);
        HttpResponse<String> accepted = withToken("api/drops", afterRotation, "GET", null);
        assertEquals(200, accepted.statusCode(), "signed by the new key: " + accepted.body());

        HttpResponse<String> retired = withToken("api/drops", beforeRotation, "GET", null);
        assertEquals(401, retired.statusCode(), "the retired key is no longer published: " + retired.body());
        assertEquals("signature", TeledropClient.json(retired).getString("check"));
    }

    private static String signByProvider(JWTClaimsSet claims) throws Exception {
        return sign(claims, provider.currentKey(), JOSEObjectType.JWT);
    }

    private static String sign(JWTClaimsSet claims, RSAKey key, JOSEObjectType type) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(type).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}

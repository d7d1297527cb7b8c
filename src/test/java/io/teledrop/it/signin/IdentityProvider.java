package io.teledrop.it.signin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.proc.SecurityContext;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A real OpenID Connect provider for the sign-in tests: NAV's mock-oauth2-server (discovery, an interactive
 * login page, JWKS, token, end-session endpoints; it checks PKCE), in the test JVM on the build's reserved
 * port {@code teledrop.it.oidc.port}, reached by Teledrop over HTTP like any provider. Its issuer is
 * {@code http://127.0.0.1:<port>/teledrop}. Signing keys rotate on demand ({@link #rotateKeys}): the new key
 * gets a new key id, signs from then on and replaces the old one in the JWKS.
 */
public final class IdentityProvider implements AutoCloseable {

    public static final String ISSUER_ID = "teledrop";
    public static final int PORT = Integer.getInteger("teledrop.it.oidc.port", 19590);
    public static final String CLIENT_ID = "teledrop";
    public static final String CLIENT_SECRET = "teledrop-client-secret";
    public static final String ADMIN_GROUP = "teledrop-admins";
    public static final String UPLOADER_GROUP = "teledrop-uploaders";

    private final RotatingKeys keys = new RotatingKeys();
    private final MockOAuth2Server server;

    public IdentityProvider() {
        server = new MockOAuth2Server(new OAuth2Config(true, null, null, false, new OAuth2TokenProvider(keys),
                java.util.Set.of(), new MockWebServerWrapper()));
        server.start(InetAddress.getLoopbackAddress(), PORT);
    }

    public MockOAuth2Server server() {
        return server;
    }

    public URI issuer() {
        return URI.create("http://127.0.0.1:" + PORT + "/" + ISSUER_ID);
    }

    /** The settings that make a Teledrop server use this provider. */
    public java.util.Map<String, String> settings() {
        return java.util.Map.of(
                "teledrop.auth.oidc.issuer", issuer().toString(),
                "teledrop.auth.oidc.client-id", CLIENT_ID,
                "teledrop.auth.oidc.client-secret", CLIENT_SECRET,
                "teledrop.auth.oidc.admin-group", ADMIN_GROUP,
                "teledrop.auth.oidc.uploader-group", UPLOADER_GROUP);
    }

    /** From now on tokens are signed by a new key with a new key id, the only one the JWKS publishes. */
    public void rotateKeys() {
        keys.rotate();
    }

    /** The key that signs now, private part included (for tests that sign tokens of their own with it). */
    public RSAKey currentKey() {
        return keys.current();
    }

    /** The key id that signs now. */
    public String currentKeyId() {
        return keys.current().getKeyID();
    }

    /** Fills in the provider's login page (a user name, and claims: a display name and groups) and waits for the next page. */
    public static void signIn(io.teledrop.it.browser.Browser browser, String user, String name, String... groups) {
        browser.find("input[name=username]").sendKeys(user);
        var claims = browser.find("textarea[name=claims]");
        claims.clear();
        claims.sendKeys(jakarta.json.Json.createObjectBuilder().add("name", name)
                .add("groups", jakarta.json.Json.createArrayBuilder(List.of(groups))).build().toString());
        browser.clickAndWait("input[type=submit]");
    }

    /** A client-credentials token from the token endpoint, as a service account gets one, granting {@code permissions}. */
    public String serviceAccountToken(String... permissions) {
        server.enqueueCallback(new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback(ISSUER_ID, "ci-robot", "JWT",
                List.of(CLIENT_ID), java.util.Map.of("roles", List.of(permissions), "azp", "ci-robot"), 300));
        try {
            java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(URI.create(issuer() + "/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "grant_type=client_credentials&client_id=ci-robot&client_secret=robot-secret&scope=teledrop")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("the provider gave no token: " + answer.statusCode() + " " + answer.body());
            }
            try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(answer.body()))) {
                return reader.readObject().getString("access_token");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The requests the provider received so far, oldest first, taken off its queue. */
    public List<RecordedRequest> takeRequests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        while (true) {
            try {
                requests.add(server.takeRequest(100, TimeUnit.MILLISECONDS));
            } catch (RuntimeException empty) {
                // Its way of saying the queue is empty.
                return requests;
            }
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** Signs with the newest key, and publishes it alone. */
    static final class RotatingKeys extends KeyProvider {

        private final List<RSAKey> generations = new CopyOnWriteArrayList<>();

        RotatingKeys() {
            super(List.of(), JWSAlgorithm.RS256.getName());
            rotate();
        }

        void rotate() {
            try {
                generations.add(new RSAKeyGenerator(2048).keyID(ISSUER_ID + "-key-" + (generations.size() + 1)).generate());
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        RSAKey current() {
            return generations.get(generations.size() - 1);
        }

        @Override
        public JWK signingKey(String issuerId) {
            return current();
        }

        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) {
            return selector.select(new JWKSet(current()).toPublicJWKSet());
        }
    }
}

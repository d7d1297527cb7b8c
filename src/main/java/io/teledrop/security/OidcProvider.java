package io.teledrop.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderConfigurationRequest;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.teledrop.config.OidcSettings;
import io.teledrop.config.Settings;
import io.teledrop.drop.Caller;
import io.teledrop.drop.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Teledrop's one link to the OpenID Connect provider ({@code teledrop.auth.oidc.*}): the authorization code
 * flow with PKCE, state and nonce; ID token and access token validation against the provider's keys (JWKS,
 * fetched again when a token names a key not seen yet, so rotation needs no restart); refresh; RP-initiated
 * logout. The provider's metadata is discovered on first use, so Teledrop starts while the provider is down.
 * The protocol is Nimbus's OAuth 2.0 / OIDC SDK; this class only chooses and checks. Thread-safe.
 */
@ApplicationScoped
public class OidcProvider {

    private static final Logger LOG = Logger.getLogger(OidcProvider.class.getName());

    /** Asymmetric signatures only: never {@code none}, never HMAC (whose key would be the client secret). */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    /** Clocks of Teledrop and the provider may differ by this much. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final int HTTP_TIMEOUT_MILLIS = 10_000;
    /** Keys are fetched again at most this often when tokens name unknown keys: forged kids cannot flood the provider. */
    private static final Duration KEY_REFETCH_INTERVAL = Duration.ofSeconds(5);
    private static final Duration KEY_CACHE = Duration.ofMinutes(15);
    /** After a failed discovery, requests wait this long before the next try, instead of each asking again. */
    private static final Duration DISCOVERY_RETRY = Duration.ofSeconds(5);

    @Inject
    Settings settings;

    private final Object discoveryLock = new Object();
    private volatile Discovered discovered;
    private Instant nextDiscovery = Instant.MIN;

    /** What discovery found, and the validators built on it. */
    private record Discovered(OIDCProviderMetadata metadata, IDTokenValidator idTokens, DefaultJWTProcessor<SecurityContext> accessTokens) {
    }

    /** Whether sign-in is configured at all ({@value OidcSettings#ISSUER}). */
    public boolean enabled() {
        return settings.oidc().isPresent();
    }

    private OidcSettings config() {
        return settings.oidc().orElseThrow(() -> new IllegalStateException("OpenID Connect is not configured"));
    }

    /** A sign-in begun: where to send the browser, and what the callback must find in the session. */
    public record SignInStart(URI authorizationUri, PendingSignIn pending) {
    }

    /**
     * Begins a sign-in: a fresh state, nonce and PKCE verifier (S256), kept by the caller in the session, and
     * the provider's authorization URL.
     *
     * @param callback  this server's callback URL (registered at the provider as a redirect URI)
     * @param returnTo  the local path to show after sign-in, already checked to be one
     */
    public SignInStart start(URI callback, String returnTo) throws ProviderUnavailableException {
        OidcSettings config = config();
        OIDCProviderMetadata metadata = discovered().metadata();
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        URI uri = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(config.scopes().toArray(String[]::new)),
                new ClientID(config.clientId()), callback)
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build().toURI();
        return new SignInStart(uri, new PendingSignIn(state.getValue(), nonce.getValue(), verifier.getValue(), returnTo, Instant.now()));
    }

    /**
     * Completes a sign-in with the code the provider sent to the callback: exchanges it (with the PKCE
     * verifier) and validates the ID token (signature by the provider's keys, issuer, audience, expiry, nonce).
     *
     * @throws SignInFailedException       if the provider refused the code or its ID token fails a check
     * @throws ProviderUnavailableException if the provider could not be reached
     */
    public SignedInUser complete(PendingSignIn pending, String code, URI callback) throws ProviderUnavailableException {
        AuthorizationGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), callback, new CodeVerifier(pending.codeVerifier()));
        OIDCTokenResponse tokens = tokens(grant);
        JWT idToken = tokens.getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw new SignInFailedException("the provider sent no ID token");
        }
        IDTokenClaimsSet claims = validateIdToken(idToken, new Nonce(pending.nonce()));
        RefreshToken refresh = tokens.getOIDCTokens().getRefreshToken();
        return signedIn(claims, idToken, refresh == null ? null : refresh.getValue(), tokens.getOIDCTokens().getAccessToken().getLifetime());
    }

    /**
     * Renews a signed-in person's tokens with their refresh token, and their permissions with the new ID token
     * (a person removed from a group loses what it gave at the next refresh). Empty if the provider refused
     * (the refresh token expired or was revoked), or no refresh token was given: the person must sign in again.
     */
    public Optional<SignedInUser> refresh(SignedInUser user) throws ProviderUnavailableException {
        if (user.refreshToken() == null) {
            return Optional.empty();
        }
        try {
            OIDCTokenResponse tokens = tokens(new RefreshTokenGrant(new RefreshToken(user.refreshToken())));
            JWT idToken = tokens.getOIDCTokens().getIDToken();
            RefreshToken refresh = tokens.getOIDCTokens().getRefreshToken();
            String nextRefresh = refresh == null ? user.refreshToken() : refresh.getValue();
            long lifetime = tokens.getOIDCTokens().getAccessToken().getLifetime();
            if (idToken == null) {
                // A provider may omit the ID token on refresh (OIDC Core §12.2): the identity stays as it was.
                return Optional.of(user.renewed(expiry(lifetime, null), nextRefresh));
            }
            IDTokenClaimsSet claims = validateIdToken(idToken, null);
            if (!claims.getSubject().getValue().equals(user.subject())) {
                throw new SignInFailedException("the refreshed ID token names another subject");
            }
            return Optional.of(signedIn(claims, idToken, nextRefresh, lifetime).boundTo(user.bindingHash()));
        } catch (SignInFailedException e) {
            LOG.log(Level.FINE, "A refresh was refused; the person signs in again", e);
            return Optional.empty();
        }
    }

    /**
     * Where to send the browser to end the session at the provider too (RP-initiated logout), or empty if the
     * provider offers no end-session endpoint (then only Teledrop's session ends).
     */
    public Optional<URI> logoutUri(SignedInUser user, URI afterLogout) {
        try {
            URI endpoint = discovered().metadata().getEndSessionEndpointURI();
            if (endpoint == null) {
                return Optional.empty();
            }
            JWT hint = user.idToken() == null ? null : JWTParser.parse(user.idToken());
            return Optional.of(new LogoutRequest(endpoint, hint, null, new ClientID(config().clientId()), afterLogout, null, null).toURI());
        } catch (ProviderUnavailableException | java.text.ParseException e) {
            LOG.log(Level.FINE, "Logging out of Teledrop only: no end-session URL", e);
            return Optional.empty();
        }
    }

    /**
     * Checks an API client's access token: signature by the provider's keys, type, issuer, audience
     * ({@value OidcSettings#AUDIENCE}), expiry and not-before, in that order.
     *
     * @return who it is, with the permissions its claims grant
     * @throws TokenRefusedException        naming the first check that failed
     * @throws ProviderUnavailableException if the provider's metadata or keys could not be fetched
     */
    public TokenCaller verifyAccessToken(String token) throws ProviderUnavailableException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
            jwt.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new TokenRefusedException("malformed", "The token is not a JWT (" + e.getMessage() + ").");
        }
        if (!(jwt instanceof com.nimbusds.jwt.SignedJWT signed)) {
            throw new TokenRefusedException("signature", "The token is not signed.");
        }
        JWTClaimsSet claims;
        try {
            claims = discovered().accessTokens().process(signed, null);
        } catch (ClaimRefused e) {
            throw new TokenRefusedException(e.check, e.getMessage());
        } catch (BadJOSEException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("typ")) {
                throw new TokenRefusedException("type", "The token's type is not an access token's (JWT or at+jwt).");
            }
            throw new TokenRefusedException("signature", "The token's signature does not verify with the identity provider's keys.");
        } catch (JOSEException e) {
            throw new ProviderUnavailableException("The identity provider's keys could not be fetched", e);
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new TokenRefusedException("subject", "The token names no subject.");
        }
        Claims view = new Claims(claims.getClaims());
        return new TokenCaller(new Caller(subject, view.displayName(config(), subject)), permissions(view));
    }

    /** An API client proved by an access token: who, and what it may do. */
    public record TokenCaller(Caller caller, Set<Permission> permissions) {
    }

    /** The permissions claims grant: the admin and uploader groups, and permission names in the permissions claim. */
    Set<Permission> permissions(Claims claims) {
        OidcSettings config = config();
        EnumSet<Permission> permissions = EnumSet.noneOf(Permission.class);
        List<String> groups = claims.strings(config.groupsClaim());
        if (config.adminGroup().filter(groups::contains).isPresent()) {
            permissions.add(Permission.ADMIN);
        }
        if (config.uploaderGroup().filter(groups::contains).isPresent()) {
            permissions.add(Permission.CREATE);
        }
        for (String value : claims.strings(config.permissionsClaim())) {
            for (Permission permission : Permission.values()) {
                if (permission.role().equalsIgnoreCase(value)) {
                    permissions.add(permission);
                }
            }
        }
        if (permissions.contains(Permission.ADMIN)) {
            permissions.addAll(EnumSet.allOf(Permission.class));
        }
        return permissions;
    }

    private SignedInUser signedIn(IDTokenClaimsSet claims, JWT idToken, String refreshToken, long accessTokenLifetime) {
        Claims view = new Claims(claims.toJSONObject());
        String subject = claims.getSubject().getValue();
        return new SignedInUser(subject, view.displayName(config(), subject), permissions(view), idToken.getParsedString(), refreshToken,
                expiry(accessTokenLifetime, claims.getExpirationTime()), null);
    }

    /** When the session's identity needs a refresh: the access token's lifetime, else the ID token's expiry. */
    private static Instant expiry(long accessTokenLifetime, Date idTokenExpiry) {
        if (accessTokenLifetime > 0) {
            return Instant.now().plusSeconds(accessTokenLifetime);
        }
        return idTokenExpiry != null ? idTokenExpiry.toInstant() : Instant.now().plus(Duration.ofMinutes(5));
    }

    private IDTokenClaimsSet validateIdToken(JWT idToken, Nonce nonce) throws ProviderUnavailableException {
        try {
            return discovered().idTokens().validate(idToken, nonce);
        } catch (BadJOSEException e) {
            throw new SignInFailedException("the ID token failed a check: " + e.getMessage());
        } catch (JOSEException e) {
            throw new ProviderUnavailableException("The identity provider's keys could not be fetched", e);
        }
    }

    private OIDCTokenResponse tokens(AuthorizationGrant grant) throws ProviderUnavailableException {
        OidcSettings config = config();
        URI endpoint = discovered().metadata().getTokenEndpointURI();
        TokenRequest request = config.clientSecret().isPresent()
                ? new TokenRequest(endpoint, new ClientSecretBasic(new ClientID(config.clientId()), new Secret(config.clientSecret().get())), grant)
                : new TokenRequest(endpoint, new ClientID(config.clientId()), grant);
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(send(request.toHTTPRequest()));
        } catch (IOException e) {
            throw new ProviderUnavailableException("The identity provider's token endpoint could not be reached", e);
        } catch (ParseException e) {
            throw new SignInFailedException("the provider's token answer could not be read: " + e.getMessage());
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = ((TokenErrorResponse) response).getErrorObject();
            throw new SignInFailedException("the provider refused the " + (grant instanceof RefreshTokenGrant ? "refresh" : "code") + ": "
                    + (error == null ? "no reason given" : error.getCode() + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")")));
        }
        return (OIDCTokenResponse) response.toSuccessResponse();
    }

    private static com.nimbusds.oauth2.sdk.http.HTTPResponse send(HTTPRequest request) throws IOException {
        request.setConnectTimeout(HTTP_TIMEOUT_MILLIS);
        request.setReadTimeout(HTTP_TIMEOUT_MILLIS);
        return request.send();
    }

    /** The provider's metadata, discovered once; while it cannot be reached, every caller hears so. */
    private Discovered discovered() throws ProviderUnavailableException {
        Discovered known = discovered;
        if (known != null) {
            return known;
        }
        synchronized (discoveryLock) {
            if (discovered != null) {
                return discovered;
            }
            if (Instant.now().isBefore(nextDiscovery)) {
                throw new ProviderUnavailableException("The identity provider could not be reached a moment ago", null);
            }
            try {
                discovered = discover(config());
                return discovered;
            } catch (IOException | ParseException | RuntimeException e) {
                nextDiscovery = Instant.now().plus(DISCOVERY_RETRY);
                LOG.log(Level.WARNING, "OpenID Connect discovery at " + config().issuer() + " failed: " + e.getMessage());
                throw new ProviderUnavailableException("The identity provider's discovery document could not be read", e);
            }
        }
    }

    private static Discovered discover(OidcSettings config) throws IOException, ParseException {
        Issuer issuer = new Issuer(config.issuer());
        OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(send(new OIDCProviderConfigurationRequest(issuer).toHTTPRequest()).getContentAsJSONObject());
        // OIDC Discovery §4.3: the document must name exactly the issuer it was fetched for.
        if (!metadata.getIssuer().equals(issuer)) {
            throw new ParseException("the discovery document names issuer " + metadata.getIssuer() + ", not " + issuer);
        }
        if (metadata.getJWKSetURI() == null || metadata.getTokenEndpointURI() == null || metadata.getAuthorizationEndpointURI() == null) {
            throw new ParseException("the discovery document lacks jwks_uri, token_endpoint or authorization_endpoint");
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(),
                            new DefaultResourceRetriever(HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS, 1024 * 1024))
                    .cache(KEY_CACHE.toMillis(), HTTP_TIMEOUT_MILLIS)
                    .rateLimited(KEY_REFETCH_INTERVAL.toMillis())
                    .retrying(true)
                    .build();
        } catch (MalformedURLException e) {
            throw new ParseException("jwks_uri is not a URL: " + e.getMessage());
        }
        IDTokenValidator idTokens = new IDTokenValidator(issuer, new ClientID(config.clientId()), new JWSVerificationKeySelector<>(ALGORITHMS, keys), null);
        idTokens.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        DefaultJWTProcessor<SecurityContext> accessTokens = new DefaultJWTProcessor<>();
        accessTokens.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
                new JOSEObjectType("application/at+jwt"), null));
        accessTokens.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        accessTokens.setJWTClaimsSetVerifier(new AccessTokenClaims(config.issuer().toString(), config.audience()));
        return new Discovered(metadata, idTokens, accessTokens);
    }

    /**
     * The claims an access token must carry, checked after its signature: the issuer, the audience, an expiry
     * not passed and a not-before passed (each with {@link #CLOCK_SKEW}). Each failure names its check.
     */
    record AccessTokenClaims(String issuer, String audience) implements JWTClaimsSetVerifier<SecurityContext> {

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            if (!issuer.equals(claims.getIssuer())) {
                throw new ClaimRefused("issuer", "The token was issued by " + (claims.getIssuer() == null ? "nobody named" : "'" + claims.getIssuer() + "'")
                        + ", not by the configured identity provider.");
            }
            if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
                throw new ClaimRefused("audience", "The token is not meant for Teledrop (its audience does not include '" + audience + "').");
            }
            Instant now = Instant.now();
            if (claims.getExpirationTime() == null || claims.getExpirationTime().toInstant().plus(CLOCK_SKEW).isBefore(now)) {
                throw new ClaimRefused("expiry", claims.getExpirationTime() == null ? "The token has no expiry." : "The token expired at "
                        + claims.getExpirationTime().toInstant() + ".");
            }
            if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().minus(CLOCK_SKEW).isAfter(now)) {
                throw new ClaimRefused("not-before", "The token is not valid before " + claims.getNotBeforeTime().toInstant() + ".");
            }
        }
    }

    /** A claim check that failed, with its name for the problem answer. */
    static final class ClaimRefused extends BadJWTException {

        private static final long serialVersionUID = 1L;
        final String check;

        ClaimRefused(String check, String message) {
            super(message);
            this.check = check;
        }
    }
}

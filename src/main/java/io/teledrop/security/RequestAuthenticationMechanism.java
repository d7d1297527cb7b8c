package io.teledrop.security;

import io.teledrop.drop.ApiKeyService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Teledrop's one authentication mechanism (Jakarta Security allows one per application), for every way a
 * request proves who it is:
 * <ul>
 * <li>API clients by key: {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>};</li>
 * <li>API clients by the identity provider's access token, {@code Authorization: Bearer <JWT>}, when
 *     OpenID Connect is configured ({@link OidcProvider});</li>
 * <li>people signed in through the identity provider, by their session ({@code /auth/signin});</li>
 * <li>admins logged into the admin pages with an admin key, by their session (those pages only).</li>
 * </ul>
 * A request without any stays anonymous (most of Teledrop is open, or guarded by delete tokens); a request
 * with a key or token that does not validate is refused here with 401 and reaches no resource, so a typo or
 * an expired token never silently downgrades to anonymous. Permissions become roles ({@code read},
 * {@code create}, {@code update}, {@code delete}, {@code admin}) for {@code isCallerInRole}; who the caller
 * is (for a sign-in or token) goes to the request for {@link RequestAccess}. Reads headers and the session
 * only, never request parameters (that would make the container parse a multipart upload's body before the
 * servlet streams it).
 */
@ApplicationScoped
public class RequestAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String API_KEY_HEADER = "X-API-Key";
    /** Where the admin pages live. */
    public static final String ADMIN_PAGES = "/admin/";
    /** Where Faces serves stylesheets, scripts and images ({@code ResourceHandler.RESOURCE_IDENTIFIER}). */
    private static final String FACES_RESOURCES = "/jakarta.faces.resource/";
    /** The admin key's SHA-256, never the key: sessions may be persisted (to the database, in a cluster). */
    private static final String ADMIN_SESSION_KEY = RequestAuthenticationMechanism.class.getName() + ".adminKeyHash";
    private static final String REFUSED = RequestAuthenticationMechanism.class.getName() + ".refused";
    /** The session attribute of a person signed in through the identity provider ({@link SignedInUser}). */
    public static final String SIGNED_IN = RequestAuthenticationMechanism.class.getName() + ".signedIn";
    /** The cookie that binds a sign-in to the browser it happened in (see {@link SignedInUser#bindingHash}). */
    public static final String SIGN_IN_COOKIE = "td_signin";
    /** The request attribute naming the caller ({@link io.teledrop.drop.Caller}) a sign-in or access token proved. */
    static final String CALLER = RequestAuthenticationMechanism.class.getName() + ".caller";

    private static final Logger LOG = Logger.getLogger(RequestAuthenticationMechanism.class.getName());

    @Inject
    IdentityStoreHandler identityStores;

    @Inject
    RefusalWriter refusals;

    @Inject
    OidcProvider oidc;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        String key = presentedKey(request);
        if (key == null) {
            if (withoutSession(request)) {
                return context.doNothing();
            }
            AuthenticationStatus admin = adminPageSession(request, context);
            return admin != null ? admin : signedInSession(request, context);
        }
        if (oidc != null && oidc.enabled() && looksLikeJwt(key) && request.getHeader("Authorization") != null) {
            return accessToken(key, request, response, context);
        }
        CredentialValidationResult result = identityStores.validate(new ApiKeyCredential(key));
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            return context.notifyContainerAboutLogin(result);
        }
        return refuseInvalidKey(request, response);
    }

    /**
     * What a browser fetches beside every page: the stylesheets, scripts and images Faces serves, and the icon.
     * They need no identity, and must not read the session: with sessions in the database (docs/cluster.md) the
     * server that reads one writes all of it back when the request ends, possibly over what the page's server wrote
     * meanwhile, and makes the page's server drop its own copy (a new cache id in the cookie).
     */
    public static boolean withoutSession(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith(FACES_RESOURCES) || path.equals("/favicon.svg");
    }

    /**
     * Refuses a key that does not validate: 401 with an {@code invalid_token} challenge (RFC 6750 §3.1),
     * written here, and SEND_FAILURE. Liberty still passes a request whose mechanism answered SEND_FAILURE on
     * to a resource without a security constraint (every one of Teledrop's: roles are checked by the
     * resources), as anonymous; so the request is marked {@link #refused}, and the first filter ends it there.
     * (Ending it here instead, with SEND_CONTINUE, makes Liberty write its own 401 challenge over the answer,
     * or warn in the log on every refusal once the answer is committed.)
     */
    private AuthenticationStatus refuseInvalidKey(HttpServletRequest request, HttpServletResponse response) {
        request.setAttribute(REFUSED, Boolean.TRUE);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"teledrop\", error=\"invalid_token\"");
        try {
            refusals.writeUnauthorized(request, response, "The API key is not valid (revoked, expired or mistyped).");
        } catch (IOException e) {
            // Mostly a client that went away: nothing left to tell it, and the request stays refused.
            LOG.log(Level.FINE, "Could not write the answer to a refused API key", e);
        }
        return AuthenticationStatus.SEND_FAILURE;
    }

    /**
     * Whether this mechanism refused the request and wrote its answer: then nothing else may run for it.
     * The first filter asks this (see {@link #refuseInvalidKey} why a filter must).
     */
    public static boolean refused(HttpServletRequest request) {
        return Boolean.TRUE.equals(request.getAttribute(REFUSED));
    }

    /**
     * The admin pages (and only they: a session cookie on the API would invite cross-site requests) accept
     * the key an admin logged in with, kept in the session and checked again on every request, so revoking
     * it ends the session's rights at once.
     */
    private AuthenticationStatus adminPageSession(HttpServletRequest request, HttpMessageContext context) {
        HttpSession session = request.getSession(false);
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (session == null || !path.startsWith(ADMIN_PAGES)) {
            return null;
        }
        if (!(session.getAttribute(ADMIN_SESSION_KEY) instanceof String keyHash)) {
            return null;
        }
        CredentialValidationResult result = identityStores.validate(ApiKeyCredential.ofHash(keyHash));
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            return context.notifyContainerAboutLogin(result);
        }
        session.removeAttribute(ADMIN_SESSION_KEY);
        return null;
    }

    /**
     * An API client's access token from the identity provider: valid, it logs the request in with the
     * permissions its claims grant; invalid, the request is refused (401 naming the failed check) like a bad
     * key; uncheckable because the provider is unreachable, 503.
     */
    private AuthenticationStatus accessToken(String token, HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        try {
            OidcProvider.TokenCaller caller = oidc.verifyAccessToken(token);
            request.setAttribute(CALLER, caller.caller());
            return context.notifyContainerAboutLogin(caller.caller().subject(), ApiKeyIdentityStore.roles(caller.permissions()));
        } catch (TokenRefusedException e) {
            request.setAttribute(REFUSED, Boolean.TRUE);
            response.setHeader("WWW-Authenticate", "Bearer realm=\"teledrop\", error=\"invalid_token\"");
            write(() -> refusals.writeRefusedToken(request, response, e.check(), e.getMessage()));
            return AuthenticationStatus.SEND_FAILURE;
        } catch (ProviderUnavailableException e) {
            LOG.log(Level.WARNING, "An access token could not be checked: " + e.getMessage());
            request.setAttribute(REFUSED, Boolean.TRUE);
            write(() -> refusals.writeProviderUnavailable(request, response, "The identity provider could not be reached to check the token; try again shortly."));
            return AuthenticationStatus.SEND_FAILURE;
        }
    }

    private interface Answer {
        void write() throws IOException;
    }

    private static void write(Answer answer) {
        try {
            answer.write();
        } catch (IOException e) {
            LOG.log(Level.FINE, "Could not write the answer to a refused token", e);
        }
    }

    /**
     * A person signed in through the identity provider. Their tokens are renewed when due (a refused renewal
     * ends the sign-in; an unreachable provider leaves this request anonymous and tries again on the next).
     * Outside pages the session counts only for requests the browser says come from Teledrop's own pages
     * ({@link #fromOwnPages}), so that another site cannot act with the person's cookie.
     */
    private AuthenticationStatus signedInSession(HttpServletRequest request, HttpMessageContext context) {
        if (oidc == null || !oidc.enabled()) {
            return context.doNothing();
        }
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(SIGNED_IN) instanceof SignedInUser user) || !fromOwnPages(request)
                || !boundToThisBrowser(request, user)) {
            return context.doNothing();
        }
        if (user.due(Instant.now())) {
            try {
                Optional<SignedInUser> renewed = oidc.refresh(user);
                if (renewed.isEmpty()) {
                    session.removeAttribute(SIGNED_IN);
                    return context.doNothing();
                }
                user = renewed.get();
                session.setAttribute(SIGNED_IN, user);
            } catch (ProviderUnavailableException e) {
                LOG.log(Level.WARNING, "A sign-in could not be renewed now: " + e.getMessage());
                return context.doNothing();
            }
        }
        request.setAttribute(CALLER, user.caller());
        return context.notifyContainerAboutLogin(user.subject(), ApiKeyIdentityStore.roles(user.permissions()));
    }

    /**
     * Whether a request may use the sign-in its session cookie carries: any safe request (reads), and
     * others only when the browser says they come from Teledrop's own pages ({@code Sec-Fetch-Site:
     * same-origin}, or an {@code Origin} of this host). The session cookie is also {@code SameSite=Lax}.
     */
    static boolean fromOwnPages(HttpServletRequest request) {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return true;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin");
        }
        String origin = request.getHeader("Origin");
        String host = request.getHeader("Host");
        if (origin == null || host == null) {
            return false;
        }
        int scheme = origin.indexOf("://");
        return scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }

    /** Whether the request brings the sign-in cookie whose hash the session's sign-in keeps. */
    static boolean boundToThisBrowser(HttpServletRequest request, SignedInUser user) {
        if (user.bindingHash() == null || request.getCookies() == null) {
            return false;
        }
        for (jakarta.servlet.http.Cookie cookie : request.getCookies()) {
            if (cookie.getName().equals(SIGN_IN_COOKIE) && ApiKeyIdentityStore.constantTimeEquals(io.teledrop.drop.ApiKeyService.hashOf(cookie.getValue()),
                    user.bindingHash())) {
                return true;
            }
        }
        return false;
    }

    /** The caller a sign-in or access token proved for this request, or null. */
    public static io.teledrop.drop.Caller caller(HttpServletRequest request) {
        return request.getAttribute(CALLER) instanceof io.teledrop.drop.Caller caller ? caller : null;
    }

    /** A compact JWS (three base64url parts, a JSON header): an access token, never an API key ({@code td_…}). */
    static boolean looksLikeJwt(String value) {
        return value.startsWith("eyJ") && value.chars().filter(c -> c == '.').count() == 2;
    }

    /** Logs an admin page session in with {@code key}, which must already have been checked to be an admin's. */
    public static void startAdminSession(HttpServletRequest request, String key) {
        // A new session at login, so an id planted before it (session fixation) is worthless. Not changeSessionId:
        // with sessions persisted to the database, Liberty then answered with the old id's cookie again after
        // the new one, and the browser kept the old, logged-out session.
        HttpSession planted = request.getSession(false);
        if (planted != null) {
            planted.invalidate();
        }
        request.getSession(true).setAttribute(ADMIN_SESSION_KEY, ApiKeyService.hashOf(key));
    }

    /**
     * The SHA-256 of the API key this request authenticated with (its header's, else on the admin pages its
     * session's), for naming the key in the audit log by its id; null when it brought none. Never the key itself.
     */
    public static String keyHash(HttpServletRequest request) {
        String key = presentedKey(request);
        if (key != null) {
            return looksLikeJwt(key) ? null : ApiKeyService.hashOf(key);
        }
        HttpSession session = request.getSession(false);
        return session != null && session.getAttribute(ADMIN_SESSION_KEY) instanceof String hash ? hash : null;
    }

    /** The key from either header, or null when the request brought none. */
    static String presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.length() > 7 && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            String key = authorization.substring(7).strip();
            return key.isEmpty() ? null : key;
        }
        String header = request.getHeader(API_KEY_HEADER);
        return header == null || header.isBlank() ? null : header.strip();
    }
}

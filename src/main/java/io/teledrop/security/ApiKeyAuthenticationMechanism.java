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
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Authenticates API clients by key: {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}.
 * A request without a key stays anonymous (most of Teledrop is open, or guarded by delete tokens); a
 * request with a key that does not validate is refused here with 401 and reaches no resource, so a typo
 * never silently downgrades to anonymous. Permissions become roles ({@code read}, {@code create},
 * {@code update}, {@code delete}, {@code admin}) for {@code isCallerInRole} and {@code @RolesAllowed}. The
 * admin pages also accept the key an admin logged in with (kept in the session). Reads headers and the
 * session only, never request parameters (that would make the container parse a multipart upload's body
 * before the servlet streams it).
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String API_KEY_HEADER = "X-API-Key";
    /** Where the admin pages live. */
    public static final String ADMIN_PAGES = "/admin/";
    /** The admin key's SHA-256, never the key: sessions may be persisted (to the database, in a cluster). */
    private static final String ADMIN_SESSION_KEY = ApiKeyAuthenticationMechanism.class.getName() + ".adminKeyHash";
    private static final String REFUSED = ApiKeyAuthenticationMechanism.class.getName() + ".refused";

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticationMechanism.class.getName());

    @Inject
    IdentityStoreHandler identityStores;

    @Inject
    RefusalWriter refusals;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        String key = presentedKey(request);
        if (key == null) {
            return adminPageSession(request, context);
        }
        CredentialValidationResult result = identityStores.validate(new ApiKeyCredential(key));
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            return context.notifyContainerAboutLogin(result);
        }
        return refuseInvalidKey(request, response);
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
            return context.doNothing();
        }
        if (!(session.getAttribute(ADMIN_SESSION_KEY) instanceof String keyHash)) {
            return context.doNothing();
        }
        CredentialValidationResult result = identityStores.validate(ApiKeyCredential.ofHash(keyHash));
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            return context.notifyContainerAboutLogin(result);
        }
        session.removeAttribute(ADMIN_SESSION_KEY);
        return context.doNothing();
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

    /** The key from either header, or null when the request brought none. */
    private static String presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.length() > 7 && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            String key = authorization.substring(7).strip();
            return key.isEmpty() ? null : key;
        }
        String header = request.getHeader(API_KEY_HEADER);
        return header == null || header.isBlank() ? null : header.strip();
    }
}

package io.teledrop.security;

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
import java.util.Locale;

/**
 * Authenticates API clients by key: {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}.
 * A request without a key stays anonymous (most of Teledrop is open, or guarded by delete tokens); a
 * request with a key that does not validate is refused with 401, so a typo never silently downgrades to
 * anonymous. Permissions become roles ({@code read}, {@code create}, {@code update}, {@code delete},
 * {@code admin}) for {@code isCallerInRole} and {@code @RolesAllowed}. The admin pages also accept the key
 * an admin logged in with (kept in the session).
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String API_KEY_HEADER = "X-API-Key";
    /** Where the admin pages live. */
    public static final String ADMIN_PAGES = "/admin/";
    private static final String ADMIN_SESSION_KEY = ApiKeyAuthenticationMechanism.class.getName() + ".adminKey";

    @Inject
    IdentityStoreHandler identityStores;

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
        response.setHeader("WWW-Authenticate", "Bearer realm=\"teledrop\", error=\"invalid_token\"");
        return context.responseUnauthorized();
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
        if (!(session.getAttribute(ADMIN_SESSION_KEY) instanceof String key)) {
            return context.doNothing();
        }
        CredentialValidationResult result = identityStores.validate(new ApiKeyCredential(key));
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            return context.notifyContainerAboutLogin(result);
        }
        session.removeAttribute(ADMIN_SESSION_KEY);
        return context.doNothing();
    }

    /** Logs an admin page session in with {@code key}, which must already have been checked to be an admin's. */
    public static void startAdminSession(HttpServletRequest request, String key) {
        // A fresh id at login, so an id planted before it (session fixation) is worthless.
        request.getSession(true);
        request.changeSessionId();
        request.getSession().setAttribute(ADMIN_SESSION_KEY, key);
    }

    /** The key from either header, or null when the request brought none. */
    public static String presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.length() > 7 && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            String key = authorization.substring(7).strip();
            return key.isEmpty() ? null : key;
        }
        String header = request.getHeader(API_KEY_HEADER);
        return header == null || header.isBlank() ? null : header.strip();
    }
}

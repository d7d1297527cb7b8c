package io.teledrop.web.servlet;

import io.teledrop.web.Auditing;
import io.teledrop.security.OidcProvider;
import io.teledrop.security.PendingSignIn;
import io.teledrop.security.ProviderUnavailableException;
import io.teledrop.security.RequestAuthenticationMechanism;
import io.teledrop.security.SignInFailedException;
import io.teledrop.security.SignedInUser;
import io.teledrop.web.Links;
import io.teledrop.web.Problem;
import io.teledrop.web.Problems;
import io.teledrop.web.RequestIdFilter;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sign-in through the organisation's identity provider (OpenID Connect authorization code flow, see
 * {@link OidcProvider}): {@code GET /auth/signin?return=/path} sends the browser to the provider, and
 * {@code GET /auth/callback} takes it back, checks state, exchanges the code and signs the person into a new
 * session. Sign-out is a form on the pages (SignInBean), where Faces' view state guards it against CSRF.
 * Without an issuer configured both answer 404, as if they did not exist.
 */
@WebServlet(urlPatterns = {SignInServlet.SIGN_IN, SignInServlet.CALLBACK})
public class SignInServlet extends HttpServlet {

    public static final String SIGN_IN = "/auth/signin";
    public static final String CALLBACK = "/auth/callback";
    /** Sign-ins begun in this session and not yet back, by state: a few tabs may sign in at once. */
    static final String PENDING = SignInServlet.class.getName() + ".pending";
    private static final int MAX_PENDING = 5;
    private static final Logger LOG = Logger.getLogger(SignInServlet.class.getName());
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    @Inject
    OidcProvider oidc;

    @Inject
    Links links;

    @Inject
    Auditing auditing;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!oidc.enabled()) {
            fail(request, response, Problem.Kind.NOT_FOUND, "Sign-in with an identity provider is not configured on this server.");
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        String path = request.getServletPath();
        try {
            if (path.equals(SIGN_IN)) {
                signIn(request, response);
            } else {
                callback(request, response);
            }
        } catch (ProviderUnavailableException e) {
            LOG.log(Level.WARNING, "Sign-in failed: " + e.getMessage(), e.getCause());
            fail(request, response, Problem.Kind.IDENTITY_PROVIDER_UNAVAILABLE, "The identity provider could not be reached. Try again in a moment.");
        }
    }

    private void signIn(HttpServletRequest request, HttpServletResponse response) throws IOException, ProviderUnavailableException {
        String returnTo = localPath(request.getParameter("return"));
        OidcProvider.SignInStart start = oidc.start(callback(request), returnTo);
        HttpSession session = request.getSession(true);
        Map<String, PendingSignIn> pending = pending(session);
        pending.put(start.pending().state(), start.pending());
        while (pending.size() > MAX_PENDING) {
            pending.remove(pending.keySet().iterator().next());
        }
        // Set again, so that a session kept in the database is written with the change.
        session.setAttribute(PENDING, pending);
        seeOther(response, start.authorizationUri().toString());
    }

    private void callback(HttpServletRequest request, HttpServletResponse response) throws IOException, ProviderUnavailableException {
        String state = request.getParameter("state");
        HttpSession session = request.getSession(false);
        Map<String, PendingSignIn> pending = session == null ? Map.of() : pending(session);
        PendingSignIn signIn = state == null ? null : pending.get(state);
        if (signIn == null) {
            auditing.signIn(request, null, "unknown or used sign-in state");
            fail(request, response, Problem.Kind.BAD_REQUEST, "This sign-in is not known here: it expired, was used already, or began in another browser. Sign in again.");
            return;
        }
        pending.remove(state);
        session.setAttribute(PENDING, pending);
        if (signIn.expired(Instant.now())) {
            auditing.signIn(request, null, "the sign-in took too long");
            fail(request, response, Problem.Kind.BAD_REQUEST, "This sign-in took too long. Sign in again.");
            return;
        }
        String error = request.getParameter("error");
        String code = request.getParameter("code");
        if (error != null || code == null || code.isBlank()) {
            String description = request.getParameter("error_description");
            auditing.signIn(request, null, "the identity provider did not sign the user in" + (error == null ? "" : ": " + limit(error)));
            fail(request, response, Problem.Kind.AUTHENTICATION_REQUIRED, "The identity provider did not sign you in"
                    + (error == null ? "." : ": " + limit(error) + (description == null ? "." : " (" + limit(description) + ").")));
            return;
        }
        SignedInUser user;
        try {
            user = oidc.complete(signIn, code, callback(request));
        } catch (SignInFailedException e) {
            LOG.log(Level.INFO, "A sign-in was refused: " + e.getMessage());
            auditing.signIn(request, null, e.getMessage());
            fail(request, response, Problem.Kind.AUTHENTICATION_REQUIRED, "The sign-in could not be completed: " + e.getMessage() + ". Sign in again.");
            return;
        }
        // Bound to this browser by a cookie of its own, so that a session id planted before the sign-in (session
        // fixation) is worthless. (Not a new session id: with sessions in the database, Liberty then answered
        // with the old id's cookie as well, and browsers kept the old, empty session.)
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String binding = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        session.setAttribute(RequestAuthenticationMechanism.SIGNED_IN, user.boundTo(io.teledrop.drop.ApiKeyService.hashOf(binding)));
        response.addCookie(signInCookie(request, binding, -1));
        LOG.log(Level.INFO, "Signed in: subject " + user.subject() + " with " + user.permissions());
        auditing.signIn(request, user.subject(), null);
        seeOther(response, request.getContextPath() + signIn.returnTo());
    }

    /** The sign-in cookie: HttpOnly, SameSite=Lax, Secure on https, for the browser session; {@code maxAge} 0 removes it. */
    public static jakarta.servlet.http.Cookie signInCookie(HttpServletRequest request, String value, int maxAge) {
        jakarta.servlet.http.Cookie cookie = new jakarta.servlet.http.Cookie(RequestAuthenticationMechanism.SIGN_IN_COOKIE, value);
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setPath(request.getContextPath() + "/");
        cookie.setMaxAge(maxAge);
        cookie.setAttribute("SameSite", "Lax");
        return cookie;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, PendingSignIn> pending(HttpSession session) {
        Object value = session.getAttribute(PENDING);
        return value instanceof LinkedHashMap<?, ?> map ? (LinkedHashMap<String, PendingSignIn>) map : new LinkedHashMap<>();
    }

    /** This server's callback, as registered at the provider: under teledrop.public-url when set, else this request's host. */
    private URI callback(HttpServletRequest request) {
        return links.base(request).resolve(CALLBACK.substring(1));
    }

    /**
     * The page to return to after sign-in: a path on this server only (never another site, so the sign-in
     * is no open redirect), {@code /} when missing or not one.
     */
    static String localPath(String wanted) {
        if (wanted == null || wanted.isEmpty() || wanted.length() > 2000 || !wanted.startsWith("/") || wanted.startsWith("//")
                || wanted.contains("\\") || wanted.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "/";
        }
        try {
            URI uri = new URI(wanted);
            return uri.getScheme() == null && uri.getRawAuthority() == null && uri.getRawPath() != null && uri.getRawPath().startsWith("/")
                    && !uri.getRawPath().startsWith("/auth/") ? wanted : "/";
        } catch (URISyntaxException e) {
            return "/";
        }
    }

    private static String limit(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static void seeOther(HttpServletResponse response, String location) {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", location);
    }

    private static void fail(HttpServletRequest request, HttpServletResponse response, Problem.Kind kind, String detail) throws IOException {
        Problems.send(request, response, kind.problem(detail, RequestIdFilter.instance(request)), null);
    }
}

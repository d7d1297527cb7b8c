package io.teledrop.web;

import io.teledrop.config.Settings;
import io.teledrop.web.Problem.Kind;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/**
 * The site-wide HTTP rules: requests for a Host not in {@code teledrop.http.allowed-hosts} are refused
 * (no answers under a name an attacker pointed at us), CORS for the API follows
 * {@code teledrop.http.cors-origins}, and every answer carries safe defaults — a page CSP that forbids
 * framing, {@code Referrer-Policy: no-referrer} (links to drops are secrets), {@code nosniff}. Servlets that
 * serve files set their own, stricter CSP. Browser requests that change something from a foreign origin are
 * refused (CSRF), which covers the upload form too: it posts to a servlet, outside Faces' view state. Runs after {@link RequestIdFilter} (order in web.xml).
 */
public class HttpPolicyFilter extends HttpFilter {

    static final String PAGE_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * The page CSP; with sign-in configured, forms may also lead to the identity provider's origin: the
     * sign-out form ends the session there too (RP-initiated logout), and browsers hold a form's redirects
     * to form-action.
     */
    static String pageCsp(Settings settings) {
        return settings.oidc().map(oidc -> {
            URI issuer = oidc.issuer();
            String origin = issuer.getScheme() + "://" + issuer.getRawAuthority();
            return PAGE_CSP.replace("form-action 'self'", "form-action 'self' " + origin);
        }).orElse(PAGE_CSP);
    }
    private static final String ALLOWED_HEADERS = "Authorization, X-API-Key, Content-Type, Range, If-Match, If-None-Match, If-Range, "
            + "Teledrop-Delete-Token, Teledrop-Slug, Teledrop-Title, Teledrop-Description, Teledrop-Drop, Teledrop-Expires, Teledrop-Max-Downloads, "
            // the resumable upload protocols (tus 1.0, IETF)
            + "Tus-Resumable, Upload-Length, Upload-Offset, Upload-Metadata, Upload-Defer-Length, Upload-Checksum, Upload-Complete, "
            + "Upload-Draft-Interop-Version, X-HTTP-Method-Override";
    private static final String EXPOSED_HEADERS = "Location, Content-Disposition, Content-Range, ETag, X-Request-Id, "
            + "Teledrop-Delete-Token, Teledrop-Delete-Url, Teledrop-Drop-Url, Teledrop-File-Url, Teledrop-Sha256, "
            + "Tus-Resumable, Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm, Upload-Offset, Upload-Length, "
            + "Upload-Defer-Length, Upload-Expires, Upload-Complete, Upload-Limit, Upload-Draft-Interop-Version";

    @Inject
    Settings settings;

    private volatile String pageCsp;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!hostAllowed(request)) {
            Problem problem = Kind.BAD_REQUEST.problem("This server does not answer for that host name.", RequestIdFilter.instance(request));
            Problems.send(request, response, problem, null);
            return;
        }
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        // Liberty's own OpenAPI UI runs inline script; everything else is ours and gets the page policy.
        if (!request.getRequestURI().startsWith(request.getContextPath() + "/openapi")) {
            String csp = pageCsp;
            if (csp == null) {
                csp = pageCsp = pageCsp(settings);
            }
            response.setHeader("Content-Security-Policy", csp);
            response.setHeader("X-Frame-Options", "DENY");
        }
        if (applyCors(request, response)) {
            return;
        }
        if (crossSiteWrite(request)) {
            // Form posts need no preflight, so CORS alone would not stop another site's page from sending one.
            Problem problem = Kind.FORBIDDEN.problem("Requests that change something must come from Teledrop's own pages "
                    + "(or an origin in teledrop.http.cors-origins).", RequestIdFilter.instance(request));
            Problems.send(request, response, problem, null);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * A browser request that would change something, sent by a page of another origin that is not an allowed
     * CORS origin: a cross-site request forgery, whatever credentials the browser attaches. Clients that
     * are not browsers send no Origin and are not affected.
     */
    boolean crossSiteWrite(HttpServletRequest request) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return false;
        }
        // Browsers say where a request comes from; our own pages send Origin "null" (Referrer-Policy: no-referrer).
        String site = request.getHeader("Sec-Fetch-Site");
        if ("same-origin".equals(site) || "none".equals(site)) {
            return false;
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return site != null;
        }
        if (origin.equals("null")) {
            return true;
        }
        String normalized = origin.toLowerCase(Locale.ROOT);
        if (settings.corsOrigins().contains("*") || settings.corsOrigins().contains(normalized)) {
            return false;
        }
        if (settings.publicUrl().isPresent() && authority(settings.publicUrl().get().toString()).equals(authority(normalized))) {
            return false;
        }
        String host = request.getHeader("Host");
        return host == null || !withoutDefaultPort(host.toLowerCase(Locale.ROOT)).equals(authority(normalized));
    }

    /** {@code https://host:port/...} → {@code host:port}, the default port left out; "" when unparseable (e.g. "null"). */
    static String authority(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return "";
        }
        int end = url.indexOf('/', start + 3);
        return withoutDefaultPort(url.substring(start + 3, end < 0 ? url.length() : end).toLowerCase(Locale.ROOT));
    }

    private static String withoutDefaultPort(String authority) {
        return authority.endsWith(":80") || authority.endsWith(":443") ? authority.substring(0, authority.lastIndexOf(':')) : authority;
    }

    private boolean hostAllowed(HttpServletRequest request) {
        if (settings.allowedHosts().isEmpty()) {
            return true;
        }
        String host = request.getServerName();
        return host != null && settings.allowedHosts().contains(host.toLowerCase(Locale.ROOT));
    }

    /** Adds CORS headers for an allowed origin on /api; answers a preflight itself (returns true then). */
    private boolean applyCors(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        if (origin == null || settings.corsOrigins().isEmpty() || !request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
            return false;
        }
        response.addHeader("Vary", "Origin");
        boolean any = settings.corsOrigins().contains("*");
        if (!any && !settings.corsOrigins().contains(origin.toLowerCase(Locale.ROOT))) {
            return false;
        }
        // With "*" no credentials are involved (keys travel in headers), so echoing the origin is not needed.
        response.setHeader("Access-Control-Allow-Origin", any ? "*" : origin);
        response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        if (request.getMethod().equals("OPTIONS") && request.getHeader("Access-Control-Request-Method") != null) {
            response.setHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE");
            response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            response.setHeader("Access-Control-Max-Age", "600");
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return true;
        }
        return false;
    }
}

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
import java.util.Locale;

/**
 * The site-wide HTTP rules: requests for a Host not in {@code teledrop.http.allowed-hosts} are refused
 * (no answers under a name an attacker pointed at us), CORS for the API follows
 * {@code teledrop.http.cors-origins}, and every answer carries safe defaults — a page CSP that forbids
 * framing, {@code Referrer-Policy: no-referrer} (links to drops are secrets), {@code nosniff}. Servlets that
 * serve files set their own, stricter CSP. Runs after {@link RequestIdFilter} (order in web.xml).
 */
public class HttpPolicyFilter extends HttpFilter {

    static final String PAGE_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String ALLOWED_HEADERS = "Authorization, X-API-Key, Content-Type, Range, If-Match, If-None-Match, If-Range, "
            + "Teledrop-Delete-Token, Teledrop-Slug, Teledrop-Title, Teledrop-Description, Teledrop-Drop, Teledrop-Expires, Teledrop-Max-Downloads";
    private static final String EXPOSED_HEADERS = "Location, Content-Disposition, Content-Range, ETag, X-Request-Id, "
            + "Teledrop-Delete-Token, Teledrop-Delete-Url";

    @Inject
    Settings settings;

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
            response.setHeader("Content-Security-Policy", PAGE_CSP);
            response.setHeader("X-Frame-Options", "DENY");
        }
        if (applyCors(request, response)) {
            return;
        }
        chain.doFilter(request, response);
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

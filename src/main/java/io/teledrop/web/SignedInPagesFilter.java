package io.teledrop.web;

import io.teledrop.security.OidcProvider;
import io.teledrop.security.RequestAuthenticationMechanism;
import io.teledrop.web.servlet.SignInServlet;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the pages under {@code /my/} ("My drops") for people signed in through the identity provider: anyone
 * else is sent to sign in (303) and brought back. Never cached; without sign-in configured, not there (404).
 */
@WebFilter("/my/*")
public class SignedInPagesFilter extends HttpFilter {

    @Inject
    OidcProvider oidc;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        response.setHeader("Cache-Control", "no-store");
        if (!oidc.enabled()) {
            Problems.send(request, response, Problem.Kind.NOT_FOUND.problem("There is no sign-in on this server, so no drops of one's own.",
                    RequestIdFilter.instance(request)), null);
            return;
        }
        if (RequestAuthenticationMechanism.caller(request) != null) {
            chain.doFilter(request, response);
            return;
        }
        String page = request.getRequestURI().substring(request.getContextPath().length());
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + SignInServlet.SIGN_IN + "?return=" + URLEncoder.encode(page, StandardCharsets.UTF_8));
    }
}

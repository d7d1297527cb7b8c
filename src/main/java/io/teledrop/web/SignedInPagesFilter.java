package io.teledrop.web;

import io.teledrop.security.RequestAuthenticationMechanism;
import io.teledrop.web.servlet.SignInServlet;
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
 * else is sent to sign in (303) and brought back. Never cached.
 */
@WebFilter("/my/*")
public class SignedInPagesFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        response.setHeader("Cache-Control", "no-store");
        if (RequestAuthenticationMechanism.caller(request) != null) {
            chain.doFilter(request, response);
            return;
        }
        String page = request.getRequestURI().substring(request.getContextPath().length());
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + SignInServlet.SIGN_IN + "?return=" + URLEncoder.encode(page, StandardCharsets.UTF_8));
    }
}

package io.teledrop.web;

import io.teledrop.drop.Permission;
import io.teledrop.security.RequestAuthenticationMechanism;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Keeps the admin pages for admins: anyone else is sent to the login page (303), which is the one page
 * under {@code /admin/} open to all. Admin pages are never cached.
 */
@WebFilter(RequestAuthenticationMechanism.ADMIN_PAGES + "*")
public class AdminPagesFilter extends HttpFilter {

    static final String LOGIN_PAGE = RequestAuthenticationMechanism.ADMIN_PAGES + "login.xhtml";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        response.setHeader("Cache-Control", "no-store");
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(LOGIN_PAGE) || request.isUserInRole(Permission.ADMIN.role())) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + LOGIN_PAGE);
    }
}

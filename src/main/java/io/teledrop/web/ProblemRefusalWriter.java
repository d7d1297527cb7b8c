package io.teledrop.web;

import io.teledrop.security.RefusalWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The authentication mechanism's refusals as RFC 9457 problems (a page for browsers), with the request id
 * that {@link RequestIdFilter} would have given: the mechanism runs before every filter, and the filter ends a
 * refused request before it does anything.
 */
@ApplicationScoped
public class ProblemRefusalWriter implements RefusalWriter {

    @Override
    public void writeUnauthorized(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        write(request, response, Problem.Kind.AUTHENTICATION_REQUIRED, detail, null);
    }

    @Override
    public void writeRefusedToken(HttpServletRequest request, HttpServletResponse response, String check, String detail) throws IOException {
        write(request, response, Problem.Kind.INVALID_TOKEN, detail, check);
    }

    @Override
    public void writeProviderUnavailable(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        write(request, response, Problem.Kind.IDENTITY_PROVIDER_UNAVAILABLE, detail, null);
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, Problem.Kind kind, String detail, String check) throws IOException {
        String id = RequestIdFilter.assign(request, response);
        boolean labelled = RequestIdFilter.label(id);
        try {
            Problems.send(request, response, new Problem(kind.type(), kind.title(), kind.status(), detail, RequestIdFilter.instance(request), null, check), null);
        } finally {
            if (labelled) {
                RequestIdFilter.unlabel();
            }
        }
    }
}

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
        String id = RequestIdFilter.assign(request, response);
        boolean labelled = RequestIdFilter.label(id);
        try {
            Problems.send(request, response, Problem.Kind.AUTHENTICATION_REQUIRED.problem(detail, RequestIdFilter.instance(request)), null);
        } finally {
            if (labelled) {
                RequestIdFilter.unlabel();
            }
        }
    }
}

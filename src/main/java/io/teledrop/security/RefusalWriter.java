package io.teledrop.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes the answer of a request that {@link RequestAuthenticationMechanism} refuses, in the form of every
 * other error of Teledrop (a problem for API clients, a page for browsers, the request's id): the web layer
 * implements it, so that this package needs no web type.
 */
public interface RefusalWriter {

    /**
     * Writes a 401 saying {@code detail}. Runs before any filter, so the request has no id yet; headers set
     * before (the challenge) are kept. Reads no request parameters (that would make the container parse a
     * multipart body).
     */
    void writeUnauthorized(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException;

    /** Writes a 401 for an access token that failed {@code check}, saying {@code detail}. */
    void writeRefusedToken(HttpServletRequest request, HttpServletResponse response, String check, String detail) throws IOException;

    /** Writes a 503: a token could not be checked because the identity provider could not be reached. */
    void writeProviderUnavailable(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException;
}

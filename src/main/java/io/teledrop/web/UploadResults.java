package io.teledrop.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hands the result of a plain-form upload (no JavaScript) to the page that shows it, across the redirect
 * that keeps a reload from uploading again (post/redirect/get). Results live in the uploader's session
 * only, under a random id, because they hold the delete token; a session keeps its last few.
 */
public final class UploadResults {

    private static final String ATTRIBUTE = UploadResults.class.getName();
    private static final int KEPT_PER_SESSION = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private UploadResults() {
    }

    /** Keeps {@code result} in the request's session; returns the id to fetch it by. */
    public static String keep(HttpServletRequest request, DropResponses.UploadJson result) {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        HttpSession session = request.getSession(true);
        synchronized (session) {
            results(session).put(id, result);
        }
        return id;
    }

    /** The result kept under {@code id} in this request's session, if any. */
    public static Optional<DropResponses.UploadJson> find(HttpServletRequest request, String id) {
        HttpSession session = request.getSession(false);
        if (session == null || id == null) {
            return Optional.empty();
        }
        synchronized (session) {
            return Optional.ofNullable(results(session).get(id));
        }
    }

    private static Map<String, DropResponses.UploadJson> results(HttpSession session) {
        Object kept = session.getAttribute(ATTRIBUTE);
        if (kept instanceof Recent recent) {
            return recent;
        }
        Recent recent = new Recent();
        session.setAttribute(ATTRIBUTE, recent);
        return recent;
    }

    /** The newest results, oldest dropped first. */
    private static final class Recent extends LinkedHashMap<String, DropResponses.UploadJson> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DropResponses.UploadJson> eldest) {
            return size() > KEPT_PER_SESSION;
        }
    }
}

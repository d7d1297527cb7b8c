package io.teledrop.web;

import com.ibm.websphere.logging.hpel.LogRecordContext;
import io.teledrop.security.RequestAuthenticationMechanism;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Gives every request an id, echoed in {@code X-Request-Id} and used as the {@code instance} of problems,
 * so a user's error report can be matched with the server log. A sane incoming id (from a proxy) is kept.
 * Whatever escapes a servlet ends here as a problem answer rather than the container's error page. Mapped
 * first in web.xml, so it also ends a request that the authentication mechanism refused (and answered, with
 * an id from {@link #assign}, through {@link ProblemRefusalWriter}) before anything else runs for it.
 * <p>
 * While the request runs on its thread, Liberty adds the id to every log record it writes: the JSON log
 * format shows it as {@code ext_requestId}, on the server's own lines as well as ours.
 */
public class RequestIdFilter extends HttpFilter {

    public static final String HEADER = "X-Request-Id";
    private static final Logger LOG = Logger.getLogger(RequestIdFilter.class.getName());
    private static final String ATTRIBUTE = RequestIdFilter.class.getName();
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{8,64}");
    /** The log record extension; JSON logs name it {@code ext_requestId}. */
    static final String LOG_EXTENSION = "requestId";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (RequestAuthenticationMechanism.refused(request)) {
            // Answered already, by the authentication mechanism (with an id from assign); Liberty passes such a
            // request on to resources without a security constraint, so it ends here.
            return;
        }
        String id = assign(request, response);
        boolean labelled = label(id);
        try {
            filter(request, response, chain, id);
        } finally {
            if (labelled) {
                unlabel();
            }
        }
    }

    /**
     * Gives the request its id, as attribute and {@code X-Request-Id} header: the one it has already (an error
     * dispatch keeps its request's), a sane incoming one, or a new one.
     */
    static String assign(HttpServletRequest request, HttpServletResponse response) {
        String incoming = request.getAttribute(ATTRIBUTE) instanceof String known ? known : request.getHeader(HEADER);
        String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(HEADER, id);
        return id;
    }

    /**
     * Puts {@code id} on the log records this thread writes, unless it is there already (an error dispatch may
     * run inside its request or after it); whether it did, so that the caller {@link #unlabel}s only then.
     */
    static boolean label(String id) {
        if (onThread()) {
            return false;
        }
        LogRecordContext.addExtension(LOG_EXTENSION, id);
        return true;
    }

    static void unlabel() {
        LogRecordContext.removeExtension(LOG_EXTENSION);
    }

    private void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String id) throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (response.isCommitted()) {
                // Mostly a client that went away mid-download: nothing left to tell it.
                LOG.log(Level.FINE, e, () -> "Request " + id + " ended after its answer had started");
                return;
            }
            if (isMissingFile(e)) {
                // Liberty's static file handler throws for a path that is not there (a filter sees it first).
                Problems.send(request, response, Problem.Kind.NOT_FOUND.problem("There is nothing at this address.", instance(request)), null);
                return;
            }
            // The last line of defence: the container's own error page would show a stack trace.
            Problem problem = Problems.of(e, instance(request));
            Problems.send(request, response, problem, e);
        }
    }

    private static boolean onThread() {
        Map<String, String> extensions = new HashMap<>();
        LogRecordContext.getExtensions(extensions);
        return extensions.containsKey(LOG_EXTENSION);
    }

    private static boolean isMissingFile(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.FileNotFoundException && String.valueOf(t.getMessage()).startsWith("SRVE0190E")) {
                return true;
            }
        }
        return false;
    }

    /** The id of the current request, as a URN fit for a problem's {@code instance}. */
    public static String instance(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return "urn:teledrop:request:" + (id != null ? id : "unknown");
    }
}

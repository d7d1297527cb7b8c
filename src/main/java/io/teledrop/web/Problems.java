package io.teledrop.web;

import io.teledrop.config.DataSize;
import io.teledrop.drop.ApiKeyRequiredException;
import io.teledrop.drop.SignInRequiredException;
import io.teledrop.drop.DeleteNotAllowedException;
import io.teledrop.drop.DropGoneException;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropTooLargeException;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.PasswordRequiredException;
import io.teledrop.drop.PermissionDeniedException;
import io.teledrop.drop.SlugTakenException;
import io.teledrop.drop.TeledropException;
import io.teledrop.drop.ChecksumMismatchException;
import io.teledrop.drop.TooManyUploadsException;
import io.teledrop.drop.UploadLengthException;
import io.teledrop.drop.UploadLockedException;
import io.teledrop.drop.UploadNotFoundException;
import io.teledrop.drop.UploadOffsetException;
import io.teledrop.drop.TooManyAttemptsException;
import io.teledrop.drop.TooManyFilesException;
import io.teledrop.drop.TypeNotAllowedException;
import io.teledrop.drop.WrongPasswordException;
import io.teledrop.ops.BackupInProgressException;
import io.teledrop.ops.BackupNotSupportedException;
import io.teledrop.storage.BlobTooLargeException;
import io.teledrop.storage.StorageException;
import io.teledrop.storage.StorageFullException;
import io.teledrop.web.Problem.Kind;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns errors into answers: RFC 9457 problem details for API clients, a short readable page for browsers.
 * Shared by the servlets and the REST resources so both speak the same problem types.
 */
public final class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class.getName());

    private Problems() {
    }

    /** Domain errors whose problem is their kind plus their own (client-safe) message. */
    private static final Map<Class<? extends TeledropException>, Kind> KINDS = Map.ofEntries(
            Map.entry(SlugTakenException.class, Kind.SLUG_TAKEN),
            Map.entry(DropTooLargeException.class, Kind.DROP_TOO_LARGE),
            Map.entry(TooManyFilesException.class, Kind.TOO_MANY_FILES),
            Map.entry(TypeNotAllowedException.class, Kind.TYPE_NOT_ALLOWED),
            Map.entry(PasswordRequiredException.class, Kind.PASSWORD_REQUIRED),
            Map.entry(WrongPasswordException.class, Kind.WRONG_PASSWORD),
            Map.entry(TooManyAttemptsException.class, Kind.TOO_MANY_ATTEMPTS),
            Map.entry(PermissionDeniedException.class, Kind.FORBIDDEN),
            Map.entry(ApiKeyRequiredException.class, Kind.AUTHENTICATION_REQUIRED),
            Map.entry(SignInRequiredException.class, Kind.AUTHENTICATION_REQUIRED),
            Map.entry(DropGoneException.class, Kind.GONE),
            Map.entry(DropNotFoundException.class, Kind.NOT_FOUND),
            Map.entry(BackupNotSupportedException.class, Kind.BACKUP_NOT_SUPPORTED),
            Map.entry(BackupInProgressException.class, Kind.BACKUP_IN_PROGRESS),
            Map.entry(UploadOffsetException.class, Kind.UPLOAD_OFFSET),
            Map.entry(UploadLockedException.class, Kind.UPLOAD_LOCKED),
            Map.entry(UploadLengthException.class, Kind.UPLOAD_LENGTH),
            Map.entry(ChecksumMismatchException.class, Kind.CHECKSUM_MISMATCH),
            Map.entry(io.teledrop.drop.UploadIncompleteException.class, Kind.UPLOAD_INCOMPLETE),
            Map.entry(io.teledrop.drop.PresignedUploadsUnavailableException.class, Kind.PRESIGNED_UPLOADS_UNAVAILABLE),
            Map.entry(TooManyUploadsException.class, Kind.TOO_MANY_UPLOADS));

    /** The problem for an exception; unexpected ones become a 500 whose detail reveals nothing internal. */
    public static Problem of(Throwable error, String instance) {
        if (error instanceof InvalidInputException invalid) {
            return Problem.invalid(invalid.fieldErrors(), invalid.getMessage(), instance);
        }
        if (error instanceof DeleteNotAllowedException denied) {
            return (denied.credentialsGiven() ? Kind.FORBIDDEN : Kind.AUTHENTICATION_REQUIRED).problem(error.getMessage(), instance);
        }
        if (error instanceof BlobTooLargeException tooLarge) {
            return Kind.PAYLOAD_TOO_LARGE.problem("A file is larger than the limit of " + DataSize.format(tooLarge.limit()) + ".", instance);
        }
        if (StorageFullException.isOutOfSpace(error)) {
            return Kind.INSUFFICIENT_STORAGE.problem("The server's storage is full, so nothing was stored. Try again later, or with a smaller file.", instance);
        }
        if (error instanceof UploadNotFoundException notFound) {
            return (notFound.expired() ? Kind.UPLOAD_GONE : Kind.NOT_FOUND).problem(error.getMessage(), instance);
        }
        if (error instanceof TeledropException) {
            return KINDS.getOrDefault(error.getClass(), Kind.BAD_REQUEST).problem(error.getMessage(), instance);
        }
        Kind passing = passingTrouble(error);
        if (passing == Kind.PAGE_EXPIRED) {
            return passing.problem("This page was open too long (or its session ended), so its form cannot be sent. "
                    + "Open the page again and repeat what you did; nothing was changed.", instance);
        }
        if (passing == Kind.DATABASE_UNAVAILABLE) {
            return passing.problem("The database cannot be reached just now, so nothing was stored or changed. Try again in a moment.", instance);
        }
        if (passing == Kind.STORAGE_UNAVAILABLE) {
            return passing.problem("The file storage cannot be reached just now, so nothing was stored. Try again in a moment.", instance);
        }
        return Kind.INTERNAL_ERROR.problem("The server could not complete the request. Quote request id " + instance + " when reporting it.", instance);
    }

    /** Seconds a client should wait before trying again after a 503 (the database or the storage restarting). */
    public static final int RETRY_AFTER_SECONDS = 5;

    /**
     * Trouble that passes, found in one walk of {@code error}'s causes: a Faces form sent after its view left the
     * session (timed out, logged out), the user's to repeat; or a database or storage server that cannot be
     * reached (down, restarting, out of connections), where the client hears 503 and tries again. Neither is a
     * fault of the request or a bug of the server. Database: an SQL state of class 08 (connection), 57P01-57P03
     * (shut down, starting), 53300 (too many connections), or the pool giving up waiting for one. Storage:
     * {@link StorageException#unavailable}. Null for anything else.
     */
    static Kind passingTrouble(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getClass().getName().equals("jakarta.faces.application.ViewExpiredException")) {
                return Kind.PAGE_EXPIRED;
            }
            if (cause instanceof StorageException storage && storage.unavailable()) {
                return Kind.STORAGE_UNAVAILABLE;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300")) {
                    return Kind.DATABASE_UNAVAILABLE;
                }
            }
            // Liberty's pool, when no connection could be had in time (com.ibm.websphere.ce.cm.ConnectionWaitTimeoutException).
            if (cause instanceof SQLTransientConnectionException || cause.getClass().getSimpleName().equals("ConnectionWaitTimeoutException")) {
                return Kind.DATABASE_UNAVAILABLE;
            }
        }
        return null;
    }

    /** Logs {@code problem} as the house rules say: client errors at FINE, server errors at SEVERE. */
    public static void log(Problem problem, Throwable cause) {
        if (problem.status() == 503) {
            // The operator's problem, not a bug: what could not be reached, without a stack trace per request.
            LOG.log(Level.WARNING, () -> "Request " + problem.instance() + " refused, " + problem.title().toLowerCase(java.util.Locale.ROOT)
                    + ": " + (cause != null ? rootMessage(cause) : problem.detail()));
        } else if (problem.status() == Kind.INSUFFICIENT_STORAGE.status()) {
            // The operator's problem, not a bug: the reason without a stack trace.
            LOG.log(Level.SEVERE, () -> "Request " + problem.instance() + " refused, storage full: "
                    + (cause != null ? cause.getMessage() : problem.detail()));
        } else if (problem.status() >= 500) {
            LOG.log(Level.SEVERE, cause, () -> "Request " + problem.instance() + " failed: " + problem.detail());
        } else {
            LOG.log(Level.FINE, () -> "Request " + problem.instance() + " refused (" + problem.status() + "): " + problem.detail());
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * Logs {@code problem} (with {@code cause}, if any) and writes it, unless the response is already
     * committed: then the connection is all we can close.
     */
    /** The request attribute holding the problem a request was answered with, for whoever audits it afterwards. */
    public static final String SENT = Problems.class.getName() + ".sent";

    public static void send(HttpServletRequest request, HttpServletResponse response, Problem problem, Throwable cause) throws IOException {
        log(problem, cause);
        request.setAttribute(SENT, problem);
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.status());
        if (problem.status() == 503) {
            response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        if (problem.type().equals(Kind.PASSWORD_REQUIRED.type())) {
            response.setHeader("WWW-Authenticate", "Teledrop-Unlock realm=\"drop\"");
        } else if (problem.status() == 401 && !response.containsHeader("WWW-Authenticate")) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"teledrop\"");
        }
        if (prefersHtml(request)) {
            response.setContentType("text/html;charset=UTF-8");
            response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
            response.getWriter().print(page(problem, request.getContextPath() + "/", !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")));
        } else {
            response.setContentType(Problem.MEDIA_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(Json.JSONB.toJson(problem));
        }
    }

    /**
     * The readable page a browser gets: what went wrong, each field that was refused, and the request id to
     * quote. Written here rather than as a Faces view because it must also work where Faces cannot run (in
     * filters, for requests refused before they reach a page, while the container handles an error).
     */
    static String page(Problem problem, String home, boolean wasChange) {
        StringBuilder page = new StringBuilder(1024);
        page.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .append(escape(problem.title())).append(" · Teledrop</title><style>")
                .append("body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.5}")
                .append(".status{color:#5b5b66;font-size:.9rem}a{color:#1d4ed8}li{margin:.25rem 0}")
                .append("@media (prefers-color-scheme: dark){body{background:#111418;color:#e7e9ee}.status{color:#a9afbb}a{color:#93b4ff}}")
                .append("</style></head><body><main><p class=\"status\">Error ").append(problem.status()).append("</p><h1>")
                .append(escape(problem.title())).append("</h1><p>").append(escape(problem.detail())).append("</p>");
        if (problem.errors() != null && !problem.errors().isEmpty()) {
            page.append("<ul>");
            problem.errors().forEach(e -> page.append("<li><strong>").append(escape(e.field())).append("</strong>: ").append(escape(e.message())).append("</li>"));
            page.append("</ul>");
        }
        if (wasChange) {
            page.append("<p>Nothing was stored or changed. Go back to correct it, or <a href=\"").append(escape(home)).append("\">start again</a>.</p>");
        } else {
            page.append("<p><a href=\"").append(escape(home)).append("\">Go to Teledrop's start page</a></p>");
        }
        if (problem.instance() != null) {
            page.append("<p class=\"status\">Request id: <code>").append(escape(problem.instance())).append("</code></p>");
        }
        return page.append("</main></body></html>").toString();
    }

    /** A browser navigating asks for text/html first; API clients and curl do not. */
    public static boolean prefersHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.startsWith("text/html");
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}

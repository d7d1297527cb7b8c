package io.teledrop.web.servlet;

import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.DropView;
import io.teledrop.web.DropResponses;
import io.teledrop.web.Json;
import io.teledrop.web.Links;
import io.teledrop.web.Problem;
import io.teledrop.web.Problem.Kind;
import io.teledrop.web.Problems;
import io.teledrop.web.RequestIdFilter;
import io.teledrop.web.UploadResults;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How the upload servlet answers: the created drop as JSON or text, the page's redirect, and every refusal. */
final class UploadAnswers {

    /** The request attribute holding the bytes an upload stored, for the transfer metrics. */
    static final String STORED_BYTES = UploadAnswers.class.getName() + ".storedBytes";

    private final Links links;

    UploadAnswers(Links links) {
        this.links = links;
    }

    void created(HttpServletRequest request, HttpServletResponse response, CreatedDrop created) throws IOException {
        request.setAttribute(STORED_BYTES, created.drop().totalSize());
        DropResponses.UploadJson json = DropResponses.upload(links, links.base(request), created);
        response.setStatus(HttpServletResponse.SC_CREATED);
        response.setHeader("Location", json.url());
        response.setHeader("Teledrop-Delete-Token", json.deleteToken());
        response.setHeader("Teledrop-Delete-Url", json.deleteUrl());
        writeAnswer(request, response, json, json.files());
    }

    /**
     * The upload page's form without JavaScript: 303 to the page that shows the result (post/redirect/get,
     * so a reload does not upload again); the result waits in the session, since it holds the delete token.
     */
    void createdForPage(HttpServletRequest request, HttpServletResponse response, CreatedDrop created) {
        request.setAttribute(STORED_BYTES, created.drop().totalSize());
        DropResponses.UploadJson json = DropResponses.upload(links, links.base(request), created);
        String id = UploadResults.keep(request, json);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + "/uploaded.xhtml?r=" + id);
        response.setHeader("Cache-Control", "no-store");
    }

    /**
     * Files added to an existing drop: 201 too (new files were created), with the same answer shape as a new
     * drop but no delete token, so clients handle both alike.
     */
    void added(HttpServletRequest request, HttpServletResponse response, DropView drop) throws IOException {
        request.setAttribute(STORED_BYTES, drop.totalSize());
        DropResponses.UploadJson json = DropResponses.upload(links, links.base(request), new CreatedDrop(drop, null));
        response.setStatus(HttpServletResponse.SC_CREATED);
        response.setHeader("Location", json.url());
        writeAnswer(request, response, json, json.files());
    }

    /** Files added from the upload page's form: back to the drop's page. */
    void addedForPage(HttpServletRequest request, HttpServletResponse response, DropView drop) {
        request.setAttribute(STORED_BYTES, drop.totalSize());
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", links.drop(links.base(request), drop.slug()));
    }

    /** The answer as JSON, or as the bare download links when the client asked for text. */
    private static void writeAnswer(HttpServletRequest request, HttpServletResponse response, Object json,
                                    List<DropResponses.FileJson> files) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (wantsText(request)) {
            response.setContentType("text/plain;charset=UTF-8");
            StringBuilder text = new StringBuilder();
            files.forEach(f -> text.append(f.downloadUrl()).append('\n'));
            response.getWriter().write(text.toString());
        } else {
            response.setContentType("application/json");
            response.getWriter().write(Json.JSONB.toJson(json));
        }
    }

    /** {@code Accept: text/plain} (and not JSON) asks for just the links, like transfer.sh. */
    private static boolean wantsText(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).startsWith("text/plain");
    }

    /** A refusal with its problem details; the cause is logged as {@link Problems} decides. */
    static void problem(HttpServletRequest request, HttpServletResponse response, Kind kind, String detail) throws IOException {
        Problems.send(request, response, kind.problem(detail, RequestIdFilter.instance(request)), null);
    }

    /**
     * Answers a failed upload. When {@code bodyUnread}, the connection is closed after the answer: closing is
     * cheaper than reading the rest of a body only to throw it away.
     */
    static void fail(HttpServletRequest request, HttpServletResponse response, Exception error, boolean bodyUnread) throws IOException {
        Optional<ClientBody.BrokenTransferException> broken = ClientBody.BrokenTransferException.in(error);
        if (broken.isPresent()) {
            // The client's error, not the server's: nothing was stored, and the client has probably gone.
            response.setHeader("Connection", "close");
            problem(request, response, Kind.BAD_REQUEST, "The upload broke off before its body was complete ("
                    + broken.get().getMessage() + "); nothing was stored.");
            return;
        }
        if (error instanceof MultipartReader.MalformedMultipartException) {
            response.setHeader("Connection", "close");
            problem(request, response, Kind.MALFORMED_MULTIPART, "The multipart body could not be read: " + error.getMessage() + ".");
            return;
        }
        Problem problem = Problems.of(error, RequestIdFilter.instance(request));
        if (bodyUnread || problem.status() == 413 || problem.status() == 415 || problem.status() == 507) {
            response.setHeader("Connection", "close");
        }
        Problems.send(request, response, problem, error);
    }

    /** 413 for a request larger than the limits allow; the client may still be sending, so the connection closes. */
    static void tooLarge(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        response.setHeader("Connection", "close");
        problem(request, response, Kind.PAYLOAD_TOO_LARGE, detail);
    }
}

package io.teledrop.web.servlet;

import io.teledrop.drop.DropService;
import io.teledrop.drop.DropView;
import io.teledrop.ops.TransferMetrics;
import io.teledrop.ops.TransferMetrics.DownloadOutcome;
import io.teledrop.security.RequestAccess;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.StoredBlob;
import io.teledrop.web.Links;
import io.teledrop.web.Problem.Kind;
import io.teledrop.web.Problems;
import io.teledrop.web.RequestIdFilter;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Serves drops under {@code /d/}: {@code /d/{slug}} lists a drop's files as plain text (one download link a
 * line, handy for curl and scripts), {@code /d/{slug}/{fileId}/{name}} streams one file ({@code ?inline} to
 * view a safe type in the browser), {@code /d/{slug}/zip} streams all files as one ZIP archive. Files are always
 * attachments with {@code nosniff} and a CSP that runs nothing, so an uploaded page cannot script the site.
 * A download counts (for {@code maxDownloads}) when a whole file or the whole ZIP has gone out: not for
 * HEAD, 304, ranges (a resuming client, a link preview fetching the first bytes) or a transfer that broke off.
 */
@WebServlet(urlPatterns = "/d/*")
public class DownloadServlet extends HttpServlet {

    private static final int BUFFER_SIZE = 64 * 1024;
    /** {@code /d/{slug}/zip}: no clash with file ids, which are UUIDs. */
    static final String ZIP_SEGMENT = "zip";
    /** {@code /d/{slug}/qr.svg}: the share link as a QR code, for the upload result. */
    static final String QR_SEGMENT = "qr.svg";

    @Inject
    DropService drops;

    @Inject
    BlobStore blobs;

    @Inject
    Links links;

    @Inject
    TransferMetrics metrics;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
            super.service(request, response);
        } else {
            response.setHeader("Allow", "GET, HEAD");
            Problems.send(request, response, Kind.METHOD_NOT_ALLOWED.problem("Drops are read with GET or HEAD.", RequestIdFilter.instance(request)), null);
        }
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request, response, false);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request, response, true);
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, boolean withBody) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String[] segments = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
        if (segments.length == 0 || segments[0].isEmpty()) {
            notFound(request, response, "No drop named in the link.");
            return;
        }
        boolean dropItself = segments.length == 1 || (segments.length == 2 && segments[1].isEmpty());
        if (dropItself && Problems.prefersHtml(request)) {
            // A browser gets the drop page, which handles passwords, 404 and 410 in words.
            forwardToPage(request, response, segments[0]);
            return;
        }
        if (segments.length == 2 && segments[1].equals(QR_SEGMENT)) {
            qrCode(request, response, segments[0], withBody);
            return;
        }
        Optional<DropView> found = drops.find(segments[0],
                RequestAccess.forDrop(request, segments[0], request.getHeader("Teledrop-Delete-Token")));
        if (found.isEmpty()) {
            notFound(request, response, "There is no drop '" + segments[0] + "'. It may have been deleted, or the link is mistyped.");
            return;
        }
        DropView drop = found.get();
        if (dropItself) {
            listing(request, response, drop, withBody);
            return;
        }
        if (segments.length == 2 && segments[1].equals(ZIP_SEGMENT)) {
            zip(response, drop, withBody);
            return;
        }
        Optional<DropView.FileView> file = drop.files().stream().filter(f -> f.id().equals(segments[1])).findFirst();
        if (file.isEmpty() || segments.length > 3) {
            notFound(request, response, "The drop '" + drop.slug() + "' has no such file.");
            return;
        }
        if (file.get().missing()) {
            Problems.send(request, response, Kind.GONE.problem("The bytes of '" + file.get().name() + "' were lost from storage (found missing "
                    + file.get().missingSince() + "); ask whoever shared it to upload it again.", RequestIdFilter.instance(request)), null);
            return;
        }
        boolean complete = false;
        boolean failed = true;
        long started = System.nanoTime();
        if (withBody) {
            metrics.started();
        }
        try {
            complete = stream(request, response, file.get(), withBody);
            failed = false;
        } finally {
            if (withBody) {
                metrics.downloadFinished(failed ? DownloadOutcome.FAILED : complete ? DownloadOutcome.COMPLETE : DownloadOutcome.PARTIAL,
                        complete ? file.get().size() : 0, Duration.ofNanos(System.nanoTime() - started));
            }
        }
        if (complete) {
            drops.recordDownload(drop);
        }
    }

    /** All files as one archive, streamed as it is built (so without Content-Length). */
    private void zip(HttpServletResponse response, DropView drop, boolean withBody) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/zip");
        response.setHeader("Content-Disposition", ContentDisposition.attachment(drop.slug() + ".zip"));
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "private, no-transform");
        if (withBody) {
            ZipStreamer.write(drop.files(), blobs, response.getOutputStream());
            response.flushBuffer();
            drops.recordDownload(drop);
        }
    }

    /**
     * One file: preconditions in RFC 9110 §13.2.2 order, then the Range header (§14) unless If-Range says the
     * client's copy is stale; the body streams from the blob store, a range at a time for 206 answers.
     */
    /** @return whether the whole file went out, which counts as one download */
    private boolean stream(HttpServletRequest request, HttpServletResponse response, DropView.FileView file, boolean withBody) throws IOException {
        String etag = "\"" + file.sha256() + "\"";
        Instant lastModified = file.createdAt();
        response.setHeader("ETag", etag);
        response.setDateHeader("Last-Modified", lastModified.toEpochMilli());
        response.setHeader("Cache-Control", "private, no-transform");
        response.setHeader("Accept-Ranges", "bytes");

        Preconditions.Outcome outcome = Preconditions.evaluate(request.getMethod(), name -> joinedHeader(request, name), etag, lastModified);
        if (outcome == Preconditions.Outcome.NOT_MODIFIED) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return false;
        }
        if (outcome == Preconditions.Outcome.PRECONDITION_FAILED) {
            Problems.send(request, response, Kind.PRECONDITION_FAILED.problem("The file does not match the request's If-Match or If-Unmodified-Since.",
                    RequestIdFilter.instance(request)), null);
            return false;
        }
        // Ranges apply to GET only (§14.2); a stale If-Range validator means "send it all".
        String range = request.getMethod().equals("GET") && Preconditions.rangeApplies(request.getHeader("If-Range"), etag, lastModified)
                ? request.getHeader("Range") : null;
        HttpRanges.Plan plan = HttpRanges.plan(range, file.size());
        if (plan instanceof HttpRanges.Unsatisfiable unsatisfiable) {
            response.setHeader("Content-Range", unsatisfiable.contentRange());
            Problems.send(request, response, Kind.RANGE_NOT_SATISFIABLE.problem("The file has " + file.size() + " bytes; the requested range lies outside them.",
                    RequestIdFilter.instance(request)), null);
            return false;
        }

        // ?inline shows a file in the browser, but only a type that cannot run script (InlinePolicy).
        boolean inline = request.getParameter("inline") != null && InlinePolicy.isSafe(file.contentType());
        String contentType = inline ? InlinePolicy.inlineContentType(file.contentType()) : file.contentType();
        response.setHeader("Content-Disposition", inline ? ContentDisposition.inline(file.name()) : ContentDisposition.attachment(file.name()));
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (inline) {
            // The drop page frames PDF and text previews; no other site may.
            response.setHeader("X-Frame-Options", "SAMEORIGIN");
        }
        response.setHeader("Content-Security-Policy", inline ? InlinePolicy.contentSecurityPolicy(file.contentType()) : "default-src 'none'; sandbox");

        if (request.getMethod().equals("GET")) {
            // An object store may serve the bytes itself (presigned URL); access and preconditions were checked above.
            Optional<URI> direct = blobs.downloadUrl(file.storageKey(), contentType,
                    inline ? ContentDisposition.inline(file.name()) : ContentDisposition.attachment(file.name()));
            if (direct.isPresent()) {
                response.setStatus(307);
                response.setHeader("Location", direct.get().toString());
                response.setHeader("Cache-Control", "no-store");
                // Whether the client then fetches it all is unknown here; a request without Range counts.
                return range == null;
            }
        }
        if (plan instanceof HttpRanges.Partial partial && !partial.multipart()) {
            HttpRanges.ByteRange only = partial.ranges().get(0);
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setContentType(contentType);
            response.setHeader("Content-Range", only.contentRange(file.size()));
            response.setContentLengthLong(only.length());
            if (withBody) {
                copyRange(file, only, response.getOutputStream());
            }
        } else if (plan instanceof HttpRanges.Partial partial) {
            String boundary = HttpRanges.boundary();
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setContentType(HttpRanges.multipartContentType(boundary));
            response.setContentLengthLong(HttpRanges.multipartLength(partial.ranges(), contentType, file.size(), boundary));
            if (withBody) {
                OutputStream out = response.getOutputStream();
                for (HttpRanges.ByteRange part : partial.ranges()) {
                    out.write(HttpRanges.partHeader(boundary, contentType, part, file.size()).getBytes(StandardCharsets.US_ASCII));
                    copyRange(file, part, out);
                }
                out.write(HttpRanges.closingDelimiter(boundary).getBytes(StandardCharsets.US_ASCII));
            }
        } else {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(contentType);
            response.setContentLengthLong(file.size());
            if (withBody) {
                try (StoredBlob blob = blobs.open(file.storageKey())) {
                    copy(blob, response.getOutputStream());
                }
                response.flushBuffer();
                return true;
            }
        }
        return false;
    }

    private void copyRange(DropView.FileView file, HttpRanges.ByteRange range, OutputStream out) throws IOException {
        try (StoredBlob blob = blobs.openRange(file.storageKey(), range.first(), range.length())) {
            copy(blob, out);
        }
    }

    private static void copy(StoredBlob blob, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        for (int read; (read = blob.stream().read(buffer)) >= 0; ) {
            out.write(buffer, 0, read);
        }
    }

    /** All values of a header as one list (If-Match may come on several lines). */
    private static String joinedHeader(HttpServletRequest request, String name) {
        List<String> values = Collections.list(request.getHeaders(name));
        return values.isEmpty() ? null : String.join(", ", values);
    }

    private void listing(HttpServletRequest request, HttpServletResponse response, DropView drop, boolean withBody) throws IOException {
        URI base = links.base(request);
        StringBuilder text = new StringBuilder();
        if (drop.title() != null) {
            text.append(drop.title()).append("\n\n");
        }
        for (DropView.FileView file : drop.files()) {
            text.append(links.file(base, drop.slug(), file)).append("  ").append(file.size()).append(" bytes  sha256:").append(file.sha256()).append('\n');
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(body.length);
        if (withBody) {
            response.getOutputStream().write(body);
        }
    }

    private static void forwardToPage(HttpServletRequest request, HttpServletResponse response, String slug) throws IOException {
        try {
            request.getRequestDispatcher("/drop.xhtml?slug=" + Links.pathSegment(slug)).forward(request, response);
        } catch (ServletException e) {
            throw new IOException("The drop page failed", e);
        }
    }

    /** The drop's link as a QR code; any drop that exists has one, password or not (the code is just the link). */
    private void qrCode(HttpServletRequest request, HttpServletResponse response, String slug, boolean withBody) throws IOException {
        Optional<DropView> drop = drops.find(slug);
        if (drop.isEmpty()) {
            notFound(request, response, "There is no drop '" + slug + "'.");
            return;
        }
        byte[] svg = QrCodes.svg(links.drop(links.base(request), drop.get().slug())).getBytes(StandardCharsets.UTF_8);
        response.setContentType("image/svg+xml");
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        response.setHeader("Cache-Control", "private, max-age=3600");
        response.setContentLength(svg.length);
        if (withBody) {
            response.getOutputStream().write(svg);
        }
    }

    private static void notFound(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        Problems.send(request, response, Kind.NOT_FOUND.problem(detail, RequestIdFilter.instance(request)), null);
    }

}

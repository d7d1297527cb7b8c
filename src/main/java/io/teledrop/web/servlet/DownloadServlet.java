package io.teledrop.web.servlet;

import io.teledrop.drop.DownloadPermit;
import io.teledrop.drop.DropGoneException;
import io.teledrop.drop.DropService;
import io.teledrop.drop.StorageLedger;
import io.teledrop.drop.TeledropException;
import io.teledrop.drop.DropView;
import io.teledrop.ops.TransferMetrics;
import io.teledrop.ops.TransferMetrics.DownloadOutcome;
import io.teledrop.security.RequestAccess;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.NoSuchBlobException;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Serves drops under {@code /d/}: {@code /d/{slug}} lists a drop's files as plain text (one download link a
 * line, handy for curl and scripts), {@code /d/{slug}/{fileId}/{name}} streams one file ({@code ?inline} to
 * view a safe type in the browser), {@code /d/{slug}/zip} streams all files as one ZIP archive. Files are always
 * attachments with {@code nosniff} and a CSP that runs nothing, so an uploaded page cannot script the site.
 * For a drop with {@code maxDownloads}, every body that goes out is reserved first
 * ({@link DropService#reserveDownload}): a whole file or ZIP takes a slot, a range resumes the client's grant
 * or takes a slot; HEAD, 304, 412 and 416 take nothing.
 */
@WebServlet(urlPatterns = "/d/*")
public class DownloadServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(DownloadServlet.class.getName());

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

    @Inject
    StorageLedger ledger;

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
        try {
            route(request, response, withBody);
        } catch (TeledropException e) {
            // A locked, gone or missing drop is the client's answer (logged at FINE), not a container error.
            Problems.send(request, response, Problems.of(e, RequestIdFilter.instance(request)), e);
        }
    }

    private void route(HttpServletRequest request, HttpServletResponse response, boolean withBody) throws IOException {
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
        Optional<DropView> found = drops.findForDownload(segments[0],
                RequestAccess.forDrop(request, segments[0], request.getHeader("Teledrop-Delete-Token")));
        if (found.isEmpty()) {
            notFound(request, response, "There is no drop '" + segments[0] + "'. It may have been deleted, or the link is mistyped.");
            return;
        }
        DropView drop = found.get();
        // A used-up drop is gone, except for ranges that resume a copy already counted (reserveDownload decides).
        boolean usedUp = drop.downloadsUsedUp();
        boolean zip = segments.length == 2 && segments[1].equals(ZIP_SEGMENT);
        if (usedUp && (dropItself || !withBody || zip || request.getHeader("Range") == null)) {
            gone(request, response, drop);
            return;
        }
        if (dropItself) {
            listing(request, response, drop, withBody);
            return;
        }
        if (zip) {
            zip(request, response, drop, withBody);
            return;
        }
        Optional<DropView.FileView> file = drop.files().stream().filter(f -> f.id().equals(segments[1])).findFirst();
        if (file.isEmpty() || segments.length > 3) {
            notFound(request, response, "The drop '" + drop.slug() + "' has no such file.");
            return;
        }
        if (file.get().missing()) {
            lost(request, response, file.get(), file.get().missingSince());
            return;
        }
        stream(request, response, drop, file.get(), withBody);
    }

    private static void gone(HttpServletRequest request, HttpServletResponse response, DropView drop) throws IOException {
        Problems.send(request, response, Kind.GONE.problem(new DropGoneException(drop.slug(), true).getMessage(), RequestIdFilter.instance(request)), null);
    }

    /** 410 for a file whose bytes are gone from storage. */
    private static void lost(HttpServletRequest request, HttpServletResponse response, DropView.FileView file, Instant since) throws IOException {
        Problems.send(request, response, Kind.GONE.problem("The bytes of '" + file.name() + "' were lost from storage (found missing "
                + since + "); ask whoever shared it to upload it again.", RequestIdFilter.instance(request)), null);
    }

    /** A blob found missing while serving: marked at once (not at the next reconciliation), then 410. */
    private void lostNow(HttpServletRequest request, HttpServletResponse response, DropView.FileView file) throws IOException {
        Instant now = Instant.now();
        ledger.recordPresence(List.of(file.id()), List.of(), now);
        LOG.severe(() -> "Request " + RequestIdFilter.instance(request) + ": the blob of file " + file.id() + " is missing from storage");
        lost(request, response, file, now);
    }

    /**
     * All files as one archive, streamed as it is built (so without Content-Length). Every blob is checked
     * before the first header, and a ZIP counts as one download, its slot taken before the first byte.
     */
    private void zip(HttpServletRequest request, HttpServletResponse response, DropView drop, boolean withBody) throws IOException {
        for (DropView.FileView file : drop.files()) {
            if (file.missing()) {
                lost(request, response, file, file.missingSince());
                return;
            }
            if (blobs.stat(file.storageKey()).isEmpty()) {
                lostNow(request, response, file);
                return;
            }
        }
        DownloadPermit permit = null;
        if (withBody) {
            try {
                permit = drops.reserveDownload(drop, null, 0, true, request.getRemoteAddr());
            } catch (DropGoneException e) {
                gone(request, response, drop);
                return;
            }
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/zip");
        response.setHeader("Content-Disposition", ContentDisposition.attachment(drop.slug() + ".zip"));
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "private, no-transform");
        if (!withBody) {
            return;
        }
        CountingOutputStream out = new CountingOutputStream(response.getOutputStream());
        boolean complete = false;
        try {
            ZipStreamer.write(drop.files(), blobs, out);
            response.flushBuffer();
            complete = true;
        } catch (IOException | RuntimeException e) {
            Transfers.failed(request, response, e, out.count());
        } finally {
            drops.finishDownload(permit, out.count(), complete);
        }
    }

    /**
     * One file: preconditions in RFC 9110 §13.2.2 order, then the Range header (§14) unless If-Range says the
     * client's copy is stale; the blob is opened and the download reserved before the first header is set,
     * so a missing blob or a used-up limit still gets a clean answer. The body streams from the blob store, a
     * range at a time for 206 answers.
     */
    private void stream(HttpServletRequest request, HttpServletResponse response, DropView drop, DropView.FileView file, boolean withBody)
            throws IOException {
        String etag = "\"" + file.sha256() + "\"";
        Instant lastModified = file.createdAt();

        Preconditions.Outcome outcome = Preconditions.evaluate(request.getMethod(), Preconditions.Headers.of(request), etag, lastModified);
        if (outcome == Preconditions.Outcome.NOT_MODIFIED) {
            validators(response, etag, lastModified);
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        if (outcome == Preconditions.Outcome.PRECONDITION_FAILED) {
            Problems.send(request, response, Kind.PRECONDITION_FAILED.problem("The file does not match the request's If-Match or If-Unmodified-Since.",
                    RequestIdFilter.instance(request)), null);
            return;
        }
        // Ranges apply to GET only (§14.2); a stale If-Range validator means "send it all".
        String range = request.getMethod().equals("GET") && Preconditions.rangeApplies(request.getHeader("If-Range"), etag, lastModified)
                ? request.getHeader("Range") : null;
        HttpRanges.Plan plan = HttpRanges.plan(range, file.size());
        if (plan instanceof HttpRanges.Unsatisfiable unsatisfiable) {
            response.setHeader("Content-Range", unsatisfiable.contentRange());
            Problems.send(request, response, Kind.RANGE_NOT_SATISFIABLE.problem("The file has " + file.size() + " bytes; the requested range lies outside them.",
                    RequestIdFilter.instance(request)), null);
            return;
        }
        // ?inline shows a file in the browser, but only a type that cannot run script (InlinePolicy).
        boolean inline = request.getParameter("inline") != null && InlinePolicy.isSafe(file.contentType());
        String contentType = inline ? InlinePolicy.inlineContentType(file.contentType()) : file.contentType();
        String disposition = inline ? ContentDisposition.inline(file.name()) : ContentDisposition.attachment(file.name());

        if (request.getMethod().equals("GET") && drop.maxDownloads() == null) {
            // An object store may serve the bytes itself (presigned URL); access and preconditions were checked above.
            // Not for a limited drop: its bytes must pass through here to be counted against its grants.
            Optional<URI> direct = blobs.downloadUrl(file.storageKey(), contentType, disposition);
            if (direct.isPresent()) {
                validators(response, etag, lastModified);
                response.setStatus(307);
                response.setHeader("Location", direct.get().toString());
                response.setHeader("Cache-Control", "no-store");
                // Whether the client then fetches it all is unknown here; a request without Range counts.
                drops.finishDownload(drops.reserveDownload(drop, file.id(), 0, range == null, request.getRemoteAddr()), 0, range == null);
                return;
            }
        }

        // The whole file is one null part (an empty file has no byte range).
        boolean wholeFile = !(plan instanceof HttpRanges.Partial);
        List<HttpRanges.ByteRange> parts = plan instanceof HttpRanges.Partial partial ? partial.ranges() : Collections.singletonList(null);
        long bytes = wholeFile ? file.size() : parts.stream().mapToLong(HttpRanges.ByteRange::length).sum();
        StoredBlob first = null;
        DownloadPermit permit = null;
        try {
            if (withBody) {
                first = wholeFile ? blobs.open(file.storageKey()) : blobs.openRange(file.storageKey(), parts.get(0).first(), parts.get(0).length());
                permit = drops.reserveDownload(drop, file.id(), bytes, wholeFile, request.getRemoteAddr());
            } else if (blobs.stat(file.storageKey()).isEmpty()) {
                throw new NoSuchBlobException(file.storageKey());
            }
        } catch (NoSuchBlobException e) {
            lostNow(request, response, file);
            return;
        } catch (DropGoneException e) {
            first.close();
            gone(request, response, drop);
            return;
        } catch (RuntimeException e) {
            if (first != null) {
                first.close();
            }
            throw e;
        }

        validators(response, etag, lastModified);
        response.setHeader("Content-Disposition", disposition);
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (inline) {
            // The drop page frames PDF and text previews; no other site may.
            response.setHeader("X-Frame-Options", "SAMEORIGIN");
        }
        response.setHeader("Content-Security-Policy", inline ? InlinePolicy.contentSecurityPolicy(file.contentType()) : "default-src 'none'; sandbox");
        boolean multipart = !wholeFile && parts.size() > 1;
        String boundary = multipart ? HttpRanges.boundary() : null;
        if (wholeFile) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(contentType);
            response.setContentLengthLong(file.size());
        } else if (!multipart) {
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setContentType(contentType);
            response.setHeader("Content-Range", parts.get(0).contentRange(file.size()));
            response.setContentLengthLong(parts.get(0).length());
        } else {
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setContentType(HttpRanges.multipartContentType(boundary));
            response.setContentLengthLong(HttpRanges.multipartLength(parts, contentType, file.size(), boundary));
        }
        if (!withBody) {
            return;
        }

        boolean complete = false;
        long started = System.nanoTime();
        metrics.started();
        // Counts what went out even when a write fails half-way: a broken transfer must not look like one that sent nothing.
        CountingOutputStream out = new CountingOutputStream(response.getOutputStream());
        // A small file needs no 64 KiB buffer: most downloads of many small files allocate only what they send.
        byte[] buffer = new byte[(int) Math.max(1, Math.min(BUFFER_SIZE, bytes))];
        try {
            for (int i = 0; i < parts.size(); i++) {
                HttpRanges.ByteRange part = parts.get(i);
                if (multipart) {
                    out.write(HttpRanges.partHeader(boundary, contentType, part, file.size()).getBytes(StandardCharsets.US_ASCII));
                }
                StoredBlob blob = i == 0 ? first : blobs.openRange(file.storageKey(), part.first(), part.length());
                try (blob) {
                    Transfers.copyExactly(blob, out, buffer, part == null ? file.size() : part.length(), file.id());
                }
            }
            if (multipart) {
                out.write(HttpRanges.closingDelimiter(boundary).getBytes(StandardCharsets.US_ASCII));
            }
            response.flushBuffer();
            complete = true;
        } catch (IOException | RuntimeException e) {
            Transfers.failed(request, response, e, out.count());
        } finally {
            first.close();
            drops.finishDownload(permit, out.count(), complete);
            metrics.downloadFinished(!complete ? DownloadOutcome.FAILED : wholeFile ? DownloadOutcome.COMPLETE : DownloadOutcome.PARTIAL,
                    complete && wholeFile ? file.size() : 0, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static void validators(HttpServletResponse response, String etag, Instant lastModified) {
        response.setHeader("ETag", etag);
        response.setDateHeader("Last-Modified", lastModified.toEpochMilli());
        response.setHeader("Cache-Control", "private, no-transform");
        response.setHeader("Accept-Ranges", "bytes");
    }

    /** All values of a header as one list (If-Match may come on several lines). */
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

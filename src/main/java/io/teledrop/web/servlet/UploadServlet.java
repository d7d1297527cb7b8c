package io.teledrop.web.servlet;

import io.teledrop.config.DataSize;
import io.teledrop.config.Lifetimes;
import io.teledrop.config.Settings;
import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropView;
import io.teledrop.drop.FileNames;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.NewFile;
import io.teledrop.drop.TypeNotAllowedException;
import io.teledrop.ops.TransferMetrics;
import io.teledrop.security.RequestAccess;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.PutResult;
import io.teledrop.storage.StorageFullException;
import io.teledrop.web.DropResponses;
import io.teledrop.web.FieldSuggestions;
import io.teledrop.web.Json;
import io.teledrop.web.Links;
import io.teledrop.web.Problem;
import io.teledrop.web.Problem.Kind;
import io.teledrop.web.Problems;
import io.teledrop.web.RequestIdFilter;
import io.teledrop.web.UploadResults;
import io.teledrop.web.servlet.MultipartReader.MalformedMultipartException;
import io.teledrop.web.servlet.MultipartReader.MultipartTooLargeException;
import io.teledrop.web.servlet.MultipartReader.PartHead;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives uploads and turns them into drops.
 * <ul>
 * <li>{@code POST /api/uploads}, multipart/form-data: one or more file parts, optional fields {@code slug},
 * {@code title}, {@code description}. The body is parsed as it streams ({@link MultipartReader}): each file
 * part goes straight into the blob store, like a raw body.</li>
 * <li>{@code PUT /api/uploads/{filename}}, raw body ({@code curl -T}): the request stream goes straight into
 * the blob store; {@code Teledrop-Slug}, {@code Teledrop-Title} and {@code Teledrop-Description} headers
 * stand in for the form fields.</li>
 * </ul>
 * With a field {@code drop} (or header {@code Teledrop-Drop}) and the drop's {@code Teledrop-Delete-Token},
 * either request adds its files to that existing drop instead of creating one.
 * Bytes are stored before the metadata transaction; if anything fails, the stored blobs are removed.
 */
public class UploadServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(UploadServlet.class.getName());
    private static final int MAX_FIELD_BYTES = 8 * 1024;
    /** Enough for every magic number Tika knows; the rest of the stream is not read twice. */
    private static final int SNIFF_BYTES = 64 * 1024;
    private static final String ALLOW = "POST, PUT, OPTIONS";
    private static final String TOKEN_HEADER = "Teledrop-Delete-Token";
    private static final String STORED_BYTES = UploadServlet.class.getName() + ".storedBytes";
    /** The {@code Teledrop-*} request headers a raw PUT reads; any other is refused, as a misspelling would be. */
    static final Set<String> PUT_HEADERS = Set.of("Teledrop-Slug", "Teledrop-Title", "Teledrop-Description",
            "Teledrop-Expires", "Teledrop-Max-Downloads", "Teledrop-Password", "Teledrop-Drop", TOKEN_HEADER);
    /** The {@code Teledrop-*} request headers a multipart POST reads: the drop's other options are form fields. */
    static final Set<String> POST_HEADERS = Set.of("Teledrop-Drop", TOKEN_HEADER);
    /** Why an option of a new drop is refused when files are added to an existing one. */
    private static final String OPTIONS_OF_NEW_DROPS = "applies to a new drop only; change an existing drop with PATCH /api/drops/{slug}";
    /** The headers that shape a new drop, refused when the files go to an existing one. */
    private static final List<String> NEW_DROP_HEADERS = List.of("Teledrop-Slug", "Teledrop-Title", "Teledrop-Description",
            "Teledrop-Expires", "Teledrop-Max-Downloads", "Teledrop-Password");
    /** Headers that protect a drop: sent empty, they would silently leave it unprotected. */
    private static final Set<String> PROTECTION_HEADERS = Set.of("Teledrop-Expires", "Teledrop-Max-Downloads", "Teledrop-Password");

    @Inject
    DropService drops;

    @Inject
    BlobStore blobs;

    @Inject
    Settings settings;

    @Inject
    Links links;

    @Inject
    TransferMetrics metrics;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        switch (request.getMethod()) {
            case "POST", "PUT" -> {
                long start = System.nanoTime();
                metrics.started();
                try {
                    super.service(request, response);
                } finally {
                    Object stored = request.getAttribute(STORED_BYTES);
                    // A page upload answers 303, so success is whether a drop was stored.
                    metrics.uploadFinished(stored instanceof Long,
                            stored instanceof Long bytes ? bytes : 0, Duration.ofNanos(System.nanoTime() - start));
                }
            }
            case "OPTIONS" -> super.service(request, response);
            default -> {
                response.setHeader("Allow", ALLOW);
                Problems.send(request, response, Kind.METHOD_NOT_ALLOWED.problem(
                        "Upload with POST (multipart/form-data) or PUT (raw body).", RequestIdFilter.instance(request)), null);
            }
        }
    }

    @Override
    protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Allow", ALLOW);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String instance = RequestIdFilter.instance(request);
        if (request.getPathInfo() != null && !request.getPathInfo().equals("/")) {
            response.setHeader("Allow", "PUT, OPTIONS");
            Problems.send(request, response, Kind.METHOD_NOT_ALLOWED.problem("Use PUT to upload a raw body to a filename; POST goes to /api/uploads.", instance), null);
            return;
        }
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            Problems.send(request, response, Kind.UNSUPPORTED_MEDIA_TYPE.problem(
                    "POST /api/uploads takes multipart/form-data (curl -F file=@name); for a raw body use PUT /api/uploads/{filename}.", instance), null);
            return;
        }
        if (!checkHeaders(request, response, POST_HEADERS)) {
            return;
        }
        if (!checkUploader(request, response)) {
            return;
        }
        long maxRequest = Math.min(maxRequestBytes(settings), settings.maxDropSize() + 1024 * 1024);
        if (request.getContentLengthLong() > maxRequest) {
            rejectTooLarge(request, response, "The request is larger than " + settings.maxFilesPerDrop() + " files of "
                    + DataSize.format(settings.maxFileSize()) + " each.");
            return;
        }
        if (!checkRoom(request, response)) {
            return;
        }
        Optional<String> boundary = MultipartReader.boundaryOf(contentType);
        if (boundary.isEmpty()) {
            Problems.send(request, response, Kind.MALFORMED_MULTIPART.problem(
                    "The multipart/form-data content type has no valid boundary parameter.", instance), null);
            return;
        }
        MultipartReader reader = new MultipartReader(new ClientBody(request.getInputStream(), request.getContentLengthLong()),
                boundary.get(), maxRequest);
        UploadForm form = new UploadForm(header(request, "Teledrop-Drop"), request.getHeader(TOKEN_HEADER));
        List<String> storedKeys = new ArrayList<>();
        boolean handedOver = false;
        try {
            List<NewFile> files = new ArrayList<>();
            for (Optional<PartHead> next = reader.next(); next.isPresent(); next = reader.next()) {
                PartHead part = next.get();
                if (part.filename() == null) {
                    String field = part.name() == null ? "" : part.name();
                    if (UploadForm.FIELDS.contains(field)) {
                        form.set(field, readField(field, reader.body()));
                    } else if (!UploadForm.isBrowserField(field)) {
                        // A misspelt protection field (max_downloads, expiry, pass) must not give an unprotected drop.
                        throw new InvalidInputException(field, FieldSuggestions.unknown("field", field, UploadForm.DOCUMENTED));
                    }
                    // A browser's own fields (Faces view state, a form's ids) are skipped unread, whatever their size.
                    continue;
                }
                InputStream body = new BufferedInputStream(reader.body(), SNIFF_BYTES);
                if (part.filename().isEmpty() && isEmpty(body)) {
                    continue; // a browser sends an empty, nameless part for a file input left empty
                }
                if (files.size() == settings.maxFilesPerDrop()) {
                    response.setHeader("Connection", "close"); // the rest of the body was never read
                    Problems.send(request, response, Kind.TOO_MANY_FILES.problem("A drop holds at most "
                            + settings.maxFilesPerDrop() + " files; this upload has more.", instance), null);
                    return;
                }
                // Fields sent before the first file (as browsers and the upload page send them) are checked
                // before its bytes are read, so a taken slug fails fast.
                form.validated(drops);
                String name = FileNames.sanitize(part.filename());
                String type = ContentSniffer.detect(body, name);
                requireAccepted(name, type);
                String key = BlobKeys.newKey();
                storedKeys.add(key);
                files.add(new NewFile(name, type, blobs.put(key, body, settings.maxFileSize())));
            }
            if (files.isEmpty()) {
                Problems.send(request, response, Kind.NO_FILES.problem("The upload holds no file part (a part with a filename, e.g. curl -F file=@name).", instance), null);
                return;
            }
            NewDrop wanted = form.validated(drops); // again if fields came after the files
            handedOver = true;
            if (form.existingDrop != null) {
                DropView drop = drops.addFiles(form.existingDrop, RequestAccess.of(request, form.deleteToken), files);
                if (form.forPage) {
                    request.setAttribute(STORED_BYTES, drop.totalSize());
                    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
                    response.setHeader("Location", links.drop(links.base(request), drop.slug()));
                } else {
                    respondAdded(request, response, drop);
                }
            } else if (form.forPage) {
                respondWithPage(request, response, drops.create(wanted, files));
            } else {
                respondCreated(request, response, drops.create(wanted, files));
            }
        } catch (MalformedMultipartException e) {
            response.setHeader("Connection", "close");
            Problems.send(request, response, Kind.MALFORMED_MULTIPART.problem("The multipart body could not be read: " + e.getMessage() + ".", instance), null);
        } catch (MultipartTooLargeException e) {
            rejectTooLarge(request, response, "The request is larger than " + settings.maxFilesPerDrop() + " files of "
                    + DataSize.format(settings.maxFileSize()) + " each, or than the drop limit of " + DataSize.format(settings.maxDropSize()) + ".");
        } catch (Exception e) {
            if (!reader.finished()) {
                response.setHeader("Connection", "close"); // the rest of the body was never read
            }
            fail(request, response, e);
        } finally {
            if (!handedOver) {
                deleteQuietly(storedKeys);
            }
        }
    }

    /** The form fields of a multipart upload (or their headers), as they arrive. */
    private static final class UploadForm {
        private String slug;
        private String title;
        private String description;
        private String existingDrop;
        private String deleteToken;
        private String expires;
        private String maxDownloads;
        private String password;
        private boolean forPage;
        /** The new drop as last validated; null before, and when the files go to an existing drop. */
        private NewDrop validated;
        /** A field that shapes the new drop arrived since it was last validated. */
        private boolean changed = true;

        UploadForm(String existingDrop, String deleteToken) {
            this.existingDrop = existingDrop;
            this.deleteToken = deleteToken;
        }

        static final Set<String> FIELDS = Set.of("slug", "title", "description", "drop", "deleteToken", "expires",
                "maxDownloads", "password", "ui");
        private static void addIfSet(List<FieldError> errors, String field, String value) {
            if (value != null && !value.isBlank()) {
                errors.add(new FieldError(field, OPTIONS_OF_NEW_DROPS));
            }
        }

        /** The fields a client is told about ({@code ui} is the upload page's own). */
        static final Set<String> DOCUMENTED = Set.of("slug", "title", "description", "drop", "deleteToken", "expires",
                "maxDownloads", "password");
        /** The id of the upload page's form (index.xhtml), whose controls Faces may prefix with it. */
        private static final String PAGE_FORM = "upload-form";

        /**
         * Fields a browser may add on its own: Faces' ({@code jakarta.faces.ViewState} and the like) and
         * the upload page form's ids, should it ever become a Faces form ({@code upload-form},
         * {@code upload-form:…}).
         */
        static boolean isBrowserField(String name) {
            return name.startsWith("jakarta.faces.") || name.equals(PAGE_FORM) || name.startsWith(PAGE_FORM + ":");
        }

        void set(String name, String value) {
            switch (name) {
                case "slug" -> slug = value;
                case "title" -> title = value;
                case "description" -> description = value;
                case "drop" -> existingDrop = value;
                case "deleteToken" -> deleteToken = value;
                case "expires" -> expires = value;
                case "maxDownloads" -> maxDownloads = value;
                case "password" -> password = value;
                case "ui" -> forPage = "html".equals(value);
                default -> throw new IllegalArgumentException("not a field of the upload form: " + name);
            }
            changed = true;
        }

        /**
         * The new drop the fields ask for, validated (slug free, lifetimes in bounds) again only if a field
         * arrived since the last time; null when the files go to an existing drop.
         */
        NewDrop validated(DropService drops) {
            if (existingDrop != null) {
                // Options of a new drop would be silently dropped here: a limit or password the client believes set.
                List<FieldError> ignored = new ArrayList<>();
                addIfSet(ignored, "slug", slug);
                addIfSet(ignored, "title", title);
                addIfSet(ignored, "description", description);
                addIfSet(ignored, "expires", expires);
                addIfSet(ignored, "maxDownloads", maxDownloads);
                addIfSet(ignored, "password", password);
                if (!ignored.isEmpty()) {
                    throw new InvalidInputException(ignored);
                }
                return null;
            }
            if (changed) {
                validated = drops.validate(UploadServlet.newDrop(slug, title, description, expires, maxDownloads, password));
                changed = false;
            }
            return validated;
        }
    }

    /** Whether a part's body is empty; {@code body} must support mark/reset, and is left unread. */
    private static boolean isEmpty(InputStream body) throws IOException {
        body.mark(1);
        boolean empty = body.read() < 0;
        body.reset();
        return empty;
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String instance = RequestIdFilter.instance(request);
        String sentName;
        try {
            sentName = sentFileName(request.getRequestURI(), request.getContextPath(), request.getServletPath());
        } catch (InvalidInputException e) {
            fail(request, response, e);
            return;
        }
        if (sentName.isEmpty()) {
            Problems.send(request, response, Problem.invalid(List.of(new FieldError("filename",
                    "name the file in the path: PUT /api/uploads/{filename}")), "The upload has no filename.", instance), null);
            return;
        }
        if (!checkHeaders(request, response, PUT_HEADERS)) {
            return;
        }
        if (!checkUploader(request, response)) {
            return;
        }
        if (request.getContentLengthLong() > Math.min(settings.maxFileSize(), settings.maxDropSize())) {
            rejectTooLarge(request, response, "The file is larger than the limit of "
                    + DataSize.format(Math.min(settings.maxFileSize(), settings.maxDropSize())) + ".");
            return;
        }
        if (!checkRoom(request, response)) {
            return;
        }
        String name = FileNames.sanitize(sentName);
        String key = null;
        boolean handedOver = false;
        String existingDrop = header(request, "Teledrop-Drop");
        if (existingDrop != null) {
            List<FieldError> ignored = NEW_DROP_HEADERS.stream().filter(h -> request.getHeader(h) != null)
                    .map(h -> new FieldError(h, OPTIONS_OF_NEW_DROPS)).toList();
            if (!ignored.isEmpty()) {
                response.setHeader("Connection", "close"); // the body was never read
                fail(request, response, new InvalidInputException(ignored));
                return;
            }
        }
        try {
            NewDrop wanted = existingDrop != null ? null : drops.validate(newDrop(header(request, "Teledrop-Slug"),
                    header(request, "Teledrop-Title"), header(request, "Teledrop-Description"),
                    header(request, "Teledrop-Expires"), header(request, "Teledrop-Max-Downloads"), header(request, "Teledrop-Password")));
            PutResult stored;
            String type;
            // Not try-with-resources: the container owns the request stream, and closing it after a failed read
            // threw that same exception again ("Self-suppression not permitted").
            InputStream body = new BufferedInputStream(new ClientBody(request.getInputStream(), request.getContentLengthLong()), SNIFF_BYTES);
            type = ContentSniffer.detect(body, name);
            requireAccepted(name, type);
            key = BlobKeys.newKey();
            stored = blobs.put(key, body, Math.min(settings.maxFileSize(), settings.maxDropSize()));
            handedOver = true;
            List<NewFile> files = List.of(new NewFile(name, type, stored));
            if (existingDrop != null) {
                respondAdded(request, response, drops.addFiles(existingDrop, RequestAccess.of(request, request.getHeader(TOKEN_HEADER)), files));
            } else {
                respondCreated(request, response, drops.create(wanted, files));
            }
        } catch (Exception e) {
            fail(request, response, e);
        } finally {
            if (!handedOver && key != null) {
                deleteQuietly(List.of(key));
            }
        }
    }

    private void respondCreated(HttpServletRequest request, HttpServletResponse response, CreatedDrop created) throws IOException {
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
    private void respondWithPage(HttpServletRequest request, HttpServletResponse response, CreatedDrop created) {
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
    private void respondAdded(HttpServletRequest request, HttpServletResponse response, DropView drop) throws IOException {
        request.setAttribute(STORED_BYTES, drop.totalSize());
        DropResponses.UploadJson json = DropResponses.upload(links, links.base(request), new CreatedDrop(drop, null));
        response.setStatus(HttpServletResponse.SC_CREATED);
        response.setHeader("Location", json.url());
        writeAnswer(request, response, json, json.files());
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

    private void fail(HttpServletRequest request, HttpServletResponse response, Exception error) throws IOException {
        if (ClientBody.BrokenTransferException.isIn(error)) {
            // The client's error, not the server's: nothing was stored, and the client has probably gone.
            response.setHeader("Connection", "close");
            Problems.send(request, response, Kind.BAD_REQUEST.problem("The upload broke off before its body was complete ("
                    + brokenDetail(error) + "); nothing was stored.", RequestIdFilter.instance(request)), null);
            return;
        }
        Problem problem = Problems.of(error, RequestIdFilter.instance(request));
        if (problem.status() == 413 || problem.status() == 415 || problem.status() == 507) {
            // The rest of the body was never read; closing is cheaper than draining it.
            response.setHeader("Connection", "close");
        }
        Problems.send(request, response, problem, error);
    }

    private void rejectTooLarge(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        // The client may still be sending; closing is cheaper than reading gigabytes to throw them away.
        response.setHeader("Connection", "close");
        Problems.send(request, response, Kind.PAYLOAD_TOO_LARGE.problem(detail, RequestIdFilter.instance(request)), null);
    }


    /**
     * Refuses, before reading a byte, a body whose declared length the store has no room for; true when it may
     * go on. (A body of unknown length is stopped by the store itself once the reserve is reached.)
     */
    private boolean checkRoom(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared <= 0) {
            return true;
        }
        try {
            blobs.requireRoom(declared);
            return true;
        } catch (StorageFullException e) {
            fail(request, response, e);
            return false;
        }
    }

    /** Refuses a request that may only be served with an API key it does not bring; true when it may go on. */
    private boolean checkUploader(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            drops.checkUploader(RequestAccess.of(request, null));
            return true;
        } catch (RuntimeException e) {
            response.setHeader("Connection", "close");
            fail(request, response, e);
            return false;
        }
    }

    /** The drop a client asked for, its expiry and download limit parsed; bad values name their field. */
    private static NewDrop newDrop(String slug, String title, String description, String expires, String maxDownloads, String password) {
        List<FieldError> errors = new ArrayList<>();
        Instant expiry = null;
        if (expires != null && !expires.isBlank()) {
            try {
                expiry = Lifetimes.expiryFrom(expires, Instant.now());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("expires", e.getMessage()));
            }
        }
        Integer limit = null;
        if (maxDownloads != null && !maxDownloads.isBlank()) {
            String digits = maxDownloads.strip();
            if (digits.matches("[+-]?[0-9]{1,40}")) {
                // Clamped to an int, so that the service's bounds check names any value out of range.
                limit = new BigInteger(digits).max(BigInteger.valueOf(Integer.MIN_VALUE)).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
            } else {
                errors.add(new FieldError("maxDownloads", "must be a whole number"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new NewDrop(slug, title, description, expiry, limit, password);
    }

    /**
     * The file name a PUT was sent with: the request URI after the servlet's path, percent-decoded here. The
     * container's own path info cannot be used, because it cuts a segment at a {@code ;}, even an encoded one
     * ({@code report%3B2024.pdf} became {@code report}). Empty when the path names no file.
     *
     * @throws InvalidInputException naming {@code filename} when the name is not percent-encoded UTF-8
     */
    static String sentFileName(String requestUri, String contextPath, String servletPath) {
        String path = requestUri.startsWith(contextPath) ? requestUri.substring(contextPath.length()) : requestUri;
        // The servlet path has as many segments in the raw URI as decoded (an encoded '/' never gets this far).
        int skip = servletPath.split("/", -1).length;
        String[] segments = path.split("/", -1);
        if (segments.length <= skip) {
            return "";
        }
        String raw = String.join("/", java.util.Arrays.copyOfRange(segments, skip, segments.length));
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c")) {
            // Liberty refuses these itself today; should it ever let them through, the name must not be cut at them.
            throw new InvalidInputException("filename", "must not contain an encoded / or \\; send such a name as multipart");
        }
        return percentDecode(raw);
    }

    /** RFC 3986 percent-decoding to UTF-8; '+' stays '+'. */
    static String percentDecode(String raw) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new InvalidInputException("filename", "has a '%' that is not followed by two hex digits");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("filename", "is not UTF-8 once percent-decoded; encode the name's bytes as UTF-8");
        }
    }

    /**
     * Refuses {@code Teledrop-*} headers this request does not read (a misspelt {@code Teledrop-Max-Download}
     * would otherwise give an unlimited drop), and protection headers sent empty; true when it may go on.
     */
    private boolean checkHeaders(HttpServletRequest request, HttpServletResponse response, Set<String> known) throws IOException {
        List<FieldError> errors = new ArrayList<>();
        for (String name : java.util.Collections.list(request.getHeaderNames())) {
            if (!name.regionMatches(true, 0, "Teledrop-", 0, "Teledrop-".length())) {
                continue;
            }
            Optional<String> canonical = known.stream().filter(k -> k.equalsIgnoreCase(name)).findFirst();
            if (canonical.isEmpty()) {
                String hint = FieldSuggestions.unknown("header", name, known);
                if (known == POST_HEADERS && PUT_HEADERS.stream().anyMatch(k -> k.equalsIgnoreCase(name))) {
                    hint = "is read by PUT only; a multipart POST takes the drop's options as form fields ("
                            + UploadForm.DOCUMENTED.stream().sorted().toList() + ")";
                }
                errors.add(new FieldError(name, hint));
            } else if (PROTECTION_HEADERS.contains(canonical.get()) && request.getHeader(name).isBlank()) {
                errors.add(new FieldError(canonical.get(), "is empty; leave the header out for none"));
            }
        }
        if (errors.isEmpty()) {
            return true;
        }
        response.setHeader("Connection", "close"); // the body was never read
        fail(request, response, new InvalidInputException(errors));
        return false;
    }

    private static String brokenDetail(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClientBody.BrokenTransferException broken) {
                return broken.getMessage();
            }
        }
        return "the connection broke";
    }

    private void requireAccepted(String name, String type) {
        if (!settings.typeAccepted(type)) {
            throw new TypeNotAllowedException(name, type);
        }
    }

    /** The most a multipart request may carry: every file at its limit, plus room for fields and part headers. */
    static long maxRequestBytes(Settings settings) {
        long perPart = settings.maxFileSize() + 64 * 1024;
        return perPart > Long.MAX_VALUE / (settings.maxFilesPerDrop() + 1) ? Long.MAX_VALUE : perPart * (settings.maxFilesPerDrop() + 1);
    }

    private static String readField(String name, InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_FIELD_BYTES + 1);
        if (bytes.length > MAX_FIELD_BYTES) {
            throw new InvalidInputException(name, "must be at most " + MAX_FIELD_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A header value; UTF-8 sent raw (as curl does) is decoded as UTF-8 rather than ISO-8859-1. */
    private static String header(HttpServletRequest request, String name) {
        String value = request.getHeader(name);
        if (value == null) {
            return null;
        }
        byte[] raw = value.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return value;
        }
    }

    private void deleteQuietly(List<String> keys) {
        for (String key : keys) {
            try {
                blobs.delete(key);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, e, () -> "Could not delete blob " + key + " of a failed upload; it is now an orphan");
            }
        }
    }
}

package io.teledrop.web.servlet;

import io.teledrop.config.Settings;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.NewResumableUpload;
import io.teledrop.drop.ResumableUpload;
import io.teledrop.drop.ResumableUploads;
import io.teledrop.drop.ResumableUploads.Checksum;
import io.teledrop.drop.ResumableUploads.Piece;
import io.teledrop.drop.UploadOffsetException;
import io.teledrop.security.RequestAccess;
import io.teledrop.web.Json;
import io.teledrop.web.Links;
import io.teledrop.web.Problem;
import io.teledrop.web.Problems;
import io.teledrop.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The two resumable upload protocols on {@code /api/uploads}: tus 1.0.0 (with creation, creation-with-upload,
 * creation-defer-length, expiration, checksum and termination) and the IETF's Resumable Uploads for HTTP
 * (interop versions 6 to 8, and requests without a version, as the finished RFC will send them). A request
 * says which it speaks: {@code Tus-Resumable} for tus, {@code Upload-Draft-Interop-Version} or
 * {@code Upload-Complete} for the IETF's. Each upload lives at {@code /api/uploads/resumable/{id}}.
 * <p>
 * Both protocols lead to the same {@link ResumableUploads}; this class only reads and writes their headers.
 * Answers always carry {@code Upload-Offset} (tus-js-client needs it in every IETF mode too).
 */
final class ResumableProtocol {

    static final String RESOURCE_PREFIX = "/resumable/";
    static final String TUS_VERSION = "1.0.0";
    static final String TUS_EXTENSIONS = "creation,creation-with-upload,creation-defer-length,expiration,checksum,termination";
    static final String TUS_CONTENT_TYPE = "application/offset+octet-stream";
    static final String IETF_CONTENT_TYPE = "application/partial-upload";
    static final Set<String> IETF_VERSIONS = Set.of("6", "7", "8");
    private static final String IANA_PROBLEMS = "https://iana.org/assignments/http-problem-types#";
    /** tus 1.0's checksum names and their JCA algorithms. */
    private static final Map<String, String> CHECKSUMS = Map.of("sha256", "SHA-256", "sha1", "SHA-1", "md5", "MD5", "sha512", "SHA-512");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final Set<String> METADATA_FIELDS = Set.of("slug", "title", "description", "expires", "maxDownloads", "password",
            "drop", "deleteToken");
    private static final int MAX_METADATA = 4000;
    /** Metadata never echoed on HEAD: secrets. */
    private static final Set<String> SECRET_METADATA = Set.of("password", "deleteToken");

    /** Which protocol, and for the IETF's which interop version (0: none sent, the newest). */
    record Dialect(boolean tus, int interop) {

        static final Dialect TUS = new Dialect(true, 0);

        boolean ietf() {
            return !tus;
        }
    }

    private final ResumableUploads uploads;
    private final Settings settings;
    private final Links links;

    ResumableProtocol(ResumableUploads uploads, Settings settings, Links links) {
        this.uploads = uploads;
        this.settings = settings;
        this.links = links;
    }

    /** Whether a request to {@code /api/uploads} (or a PUT to a file name) asks for a resumable upload. */
    static boolean isResumable(HttpServletRequest request) {
        return request.getHeader("Tus-Resumable") != null || request.getHeader("Upload-Draft-Interop-Version") != null
                || request.getHeader("Upload-Complete") != null;
    }

    /**
     * The protocol a request speaks, or null after answering one it cannot: a tus version other than 1.0.0
     * (412), an IETF interop version this server does not speak (400).
     */
    Dialect dialect(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String interop = request.getHeader("Upload-Draft-Interop-Version");
        if (interop != null) {
            if (!IETF_VERSIONS.contains(interop.strip())) {
                problem(request, response, Problem.Kind.BAD_REQUEST, "Upload-Draft-Interop-Version " + interop.strip()
                        + " is not spoken here; this server speaks " + String.join(", ", IETF_VERSIONS.stream().sorted().toList()) + ".", Dialect.TUS);
                return null;
            }
            return new Dialect(false, Integer.parseInt(interop.strip()));
        }
        String tus = request.getHeader("Tus-Resumable");
        if (tus != null) {
            if (!TUS_VERSION.equals(tus.strip())) {
                response.setHeader("Tus-Version", TUS_VERSION);
                problem(request, response, Problem.Kind.PRECONDITION_FAILED, "This server speaks tus " + TUS_VERSION + ", not " + tus.strip() + ".", Dialect.TUS);
                return null;
            }
            return Dialect.TUS;
        }
        return new Dialect(false, 0);
    }

    /** The headers an {@code OPTIONS} answer of {@code /api/uploads} adds: tus' discovery and the IETF's limits. */
    void describe(HttpServletResponse response) {
        response.setHeader("Tus-Resumable", TUS_VERSION);
        response.setHeader("Tus-Version", TUS_VERSION);
        response.setHeader("Tus-Extension", TUS_EXTENSIONS);
        response.setHeader("Tus-Max-Size", Long.toString(maxSize()));
        response.setHeader("Tus-Checksum-Algorithm", "sha256,sha1,md5,sha512");
        response.setHeader("Upload-Limit", limits(new Dialect(false, 0), null));
        response.setHeader("Accept-Patch", IETF_CONTENT_TYPE + ", " + TUS_CONTENT_TYPE);
    }

    private long maxSize() {
        return Math.min(settings.maxFileSize(), settings.maxDropSize());
    }

    /** {@code Upload-Limit}: the largest file, and (for an upload) how long it has left. */
    private String limits(Dialect dialect, ResumableUpload upload) {
        String limit = "min-size=0, max-size=" + maxSize();
        if (upload != null && !upload.complete()) {
            long left = Math.max(0, Duration.between(Instant.now(), upload.expires()).toSeconds());
            limit += (dialect.interop() == 6 ? ", expires=" : ", max-age=") + left;
        }
        return limit;
    }

    /**
     * Creates an upload: {@code POST /api/uploads} (both protocols) or {@code PUT /api/uploads/{filename}}
     * (the IETF's, with the file name from the URL). A body is the first piece.
     */
    void create(HttpServletRequest request, HttpServletResponse response, Dialect dialect, String nameFromUrl) throws IOException {
        try {
            Map<String, String> metadata = metadataOf(request);
            UploadForm form = UploadRequests.formOfHeaders(request);
            for (Map.Entry<String, String> field : metadata.entrySet()) {
                if (METADATA_FIELDS.contains(field.getKey())) {
                    form.set(field.getKey(), field.getValue());
                }
            }
            String fileName = nameFromUrl != null ? nameFromUrl : metadata.getOrDefault("filename", metadata.get("name"));
            Long length = lengthOf(request, dialect);
            long declared = request.getContentLengthLong();
            boolean complete = dialect.ietf() && booleanHeader(request, "Upload-Complete", "Upload-Complete");
            if (dialect.ietf() && complete && declared >= 0) {
                if (length != null && length != declared) {
                    throw new io.teledrop.drop.UploadLengthException("Upload-Length " + length + " and the complete body's Content-Length "
                            + declared + " disagree.");
                }
                length = declared;
            }
            if (dialect.tus() && hasBody(request) && !TUS_CONTENT_TYPE.equals(mediaType(request))) {
                throw new UnsupportedContent("A tus creation with a body sends it as " + TUS_CONTENT_TYPE + ".");
            }
            NewDrop drop = form.requested();
            ResumableUpload created = uploads.create(new NewResumableUpload(fileName, length, drop, form.existingDrop(),
                    RequestAccess.of(request, form.deleteToken()), request.getRemoteAddr(), echoable(request)));
            URI base = links.base(request);
            response.setHeader("Location", base + "api/uploads/resumable/" + created.id());
            response.setHeader("Teledrop-Drop-Url", links.drop(base, created.dropSlug()));
            if (created.deleteToken() != null) {
                response.setHeader(UploadRequests.TOKEN_HEADER, created.deleteToken());
            }
            ResumableUpload now = created;
            // An empty file is complete at once (tus-js-client sends no PATCH for it).
            if (hasBody(request) || complete || Long.valueOf(0).equals(length)) {
                now = uploads.append(created.id(), new Piece(0, request.getInputStream(), declared, length, complete, null));
                if (now.interrupted()) {
                    return;
                }
            }
            answer(request, response, dialect, now, HttpServletResponse.SC_CREATED);
        } catch (Exception e) {
            fail(request, response, dialect, e);
        }
    }

    /** A request to {@code /api/uploads/resumable/{id}}: HEAD, PATCH, DELETE, OPTIONS (or POST overridden to one of them). */
    void serve(HttpServletRequest request, HttpServletResponse response, String id) throws IOException {
        String method = request.getMethod();
        String override = request.getHeader("X-HTTP-Method-Override");
        if ("POST".equals(method) && override != null) {
            method = override.strip().toUpperCase(Locale.ROOT);
        }
        if ("OPTIONS".equals(method)) {
            describe(response);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        Dialect dialect = dialect(request, response);
        if (dialect == null) {
            return;
        }
        try {
            switch (method) {
                case "HEAD", "GET" -> {
                    ResumableUpload upload = uploads.find(id);
                    answer(request, response, dialect, upload, dialect.tus() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_NO_CONTENT);
                }
                case "PATCH" -> patch(request, response, dialect, id);
                case "DELETE" -> {
                    uploads.cancel(id);
                    if (dialect.tus()) {
                        response.setHeader("Tus-Resumable", TUS_VERSION);
                    }
                    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                }
                default -> {
                    response.setHeader("Allow", "HEAD, PATCH, DELETE, OPTIONS");
                    problem(request, response, Problem.Kind.METHOD_NOT_ALLOWED, "An upload takes HEAD (where is it), PATCH (append) and DELETE (cancel).", dialect);
                }
            }
        } catch (Exception e) {
            fail(request, response, dialect, e);
        }
    }

    private void patch(HttpServletRequest request, HttpServletResponse response, Dialect dialect, String id) throws IOException {
        String wanted = dialect.tus() ? TUS_CONTENT_TYPE : IETF_CONTENT_TYPE;
        String type = mediaType(request);
        // Interop 6 and later name the media type; a request without a body may leave it out.
        if (!wanted.equals(type) && !(type == null && dialect.ietf() && request.getContentLengthLong() == 0)) {
            throw new UnsupportedContent("An append sends its bytes as " + wanted + (type == null ? "." : ", not " + type + "."));
        }
        long offset = offsetOf(request);
        boolean last = dialect.ietf() && booleanHeader(request, "Upload-Complete", "Upload-Complete");
        if (dialect.ietf() && request.getHeader("Upload-Complete") == null && dialect.interop() != 6) {
            throw new InvalidInputException("Upload-Complete", "an append says whether it is the last (?1) or not (?0)");
        }
        Long length = lengthOf(request, dialect);
        ResumableUpload upload = uploads.append(id, new Piece(offset, request.getInputStream(), request.getContentLengthLong(), length, last,
                checksumOf(request, dialect)));
        if (upload.interrupted()) {
            return; // the client went away; what it sent is kept, and it asks where to go on
        }
        answer(request, response, dialect, upload, upload.complete() && dialect.ietf() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_NO_CONTENT);
    }

    /** The state of an upload in the protocol's headers, and for a finished IETF upload the file as JSON. */
    private void answer(HttpServletRequest request, HttpServletResponse response, Dialect dialect, ResumableUpload upload, int status) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Upload-Offset", Long.toString(upload.offset()));
        if (dialect.tus()) {
            response.setHeader("Tus-Resumable", TUS_VERSION);
            if (upload.length() != null) {
                response.setHeader("Upload-Length", Long.toString(upload.length()));
            } else {
                response.setHeader("Upload-Defer-Length", "1");
            }
            if (!upload.complete()) {
                response.setHeader("Upload-Expires", HTTP_DATE.format(upload.expires()));
            }
            if (upload.metadata() != null && "HEAD".equals(request.getMethod())) {
                response.setHeader("Upload-Metadata", upload.metadata());
            }
        } else {
            response.setHeader("Upload-Complete", upload.complete() ? "?1" : "?0");
            if (upload.length() != null) {
                response.setHeader("Upload-Length", Long.toString(upload.length()));
            }
            response.setHeader("Upload-Limit", limits(dialect, upload));
            if (dialect.interop() > 0) {
                response.setHeader("Upload-Draft-Interop-Version", Integer.toString(dialect.interop()));
            }
        }
        URI base = links.base(request);
        response.setHeader("Teledrop-Drop-Url", links.drop(base, upload.dropSlug()));
        if (upload.file().isPresent()) {
            ResumableUpload.CompletedFile file = upload.file().get();
            String fileUrl = base + "d/" + upload.dropSlug() + "/" + file.fileId() + "/" + Links.pathSegment(file.name());
            response.setHeader("Teledrop-File-Url", fileUrl);
            response.setHeader("Teledrop-Sha256", file.sha256());
            request.setAttribute(UploadAnswers.STORED_BYTES, file.size());
            if (dialect.ietf() && !"HEAD".equals(request.getMethod())) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("drop", links.drop(base, upload.dropSlug()));
                json.put("file", Map.of("id", file.fileId(), "name", file.name(), "size", file.size(),
                        "contentType", file.contentType(), "sha256", file.sha256(), "url", fileUrl));
                response.setStatus(status);
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write(Json.JSONB.toJson(json));
                return;
            }
        }
        response.setStatus(status);
    }

    /**
     * Answers a refused request and closes its connection: the client may still be sending a piece nobody will
     * read, and a browser whose connection still carries it stalls its next request (seen in Chromium after a 423).
     */
    private void fail(HttpServletRequest request, HttpServletResponse response, Dialect dialect, Exception error) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setHeader("Connection", "close");
        if (dialect.tus()) {
            response.setHeader("Tus-Resumable", TUS_VERSION);
        } else {
            response.setHeader("Upload-Complete", "?0");
        }
        if (error instanceof UnsupportedContent) {
            problem(request, response, Problem.Kind.UNSUPPORTED_MEDIA_TYPE, error.getMessage(), dialect);
            return;
        }
        if (error instanceof UploadOffsetException mismatch) {
            response.setHeader("Upload-Offset", Long.toString(mismatch.offset()));
            if (mismatch.complete()) {
                response.setHeader("Upload-Complete", "?1");
            }
            if (dialect.ietf()) {
                String kind = mismatch.complete() ? "completed-upload" : "mismatching-upload-offset";
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("type", IANA_PROBLEMS + kind);
                json.put("title", mismatch.complete() ? "upload is already completed" : "offset from request does not match offset of resource");
                json.put("status", mismatch.complete() ? 400 : 409);
                json.put("detail", mismatch.getMessage());
                json.put("instance", RequestIdFilter.instance(request));
                json.put("expected-offset", mismatch.offset());
                String provided = request.getHeader("Upload-Offset");
                json.put("provided-offset", provided != null && provided.strip().matches("[0-9]{1,18}") ? (Object) Long.parseLong(provided.strip()) : provided);
                response.setStatus(mismatch.complete() ? 400 : 409);
                response.setContentType(Problem.MEDIA_TYPE);
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write(Json.JSONB.toJson(json));
                return;
            }
        }
        if (error instanceof io.teledrop.drop.UploadLockedException) {
            response.setHeader("Retry-After", "5");
        }
        UploadAnswers.fail(request, response, error, true);
    }

    private void problem(HttpServletRequest request, HttpServletResponse response, Problem.Kind kind, String detail, Dialect dialect) throws IOException {
        Problems.send(request, response, kind.problem(detail, RequestIdFilter.instance(request)), null);
    }

    /** tus' {@code Upload-Metadata}: comma-separated {@code key base64value} pairs, the value optional. */
    static Map<String, String> metadataOf(HttpServletRequest request) {
        String header = request.getHeader("Upload-Metadata");
        Map<String, String> metadata = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return metadata;
        }
        for (String pair : header.split(",", -1)) {
            String[] parts = pair.strip().split(" ", -1);
            if (parts.length > 2 || parts[0].isEmpty() || !parts[0].matches("[\\x21-\\x7e&&[^,]]+")) {
                throw new InvalidInputException("Upload-Metadata", "holds comma-separated pairs of a key and a base64 value");
            }
            String value = "";
            if (parts.length == 2) {
                try {
                    value = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("Upload-Metadata", "the value of '" + parts[0] + "' is not base64");
                }
            }
            if (metadata.put(parts[0], value) != null) {
                throw new InvalidInputException("Upload-Metadata", "names '" + parts[0] + "' twice");
            }
        }
        return metadata;
    }

    /** The {@code Upload-Metadata} pairs HEAD may echo: all but the secrets, as sent; null if none are left. */
    private static String echoable(HttpServletRequest request) {
        String header = request.getHeader("Upload-Metadata");
        if (header == null || header.isBlank()) {
            return null;
        }
        List<String> kept = java.util.Arrays.stream(header.split(",")).map(String::strip)
                .filter(pair -> !SECRET_METADATA.contains(pair.split(" ", 2)[0])).toList();
        String echo = String.join(",", kept);
        if (echo.length() > MAX_METADATA) {
            throw new InvalidInputException("Upload-Metadata", "is longer than " + MAX_METADATA + " characters");
        }
        return echo.isEmpty() ? null : echo;
    }

    /** {@code Upload-Length} (or tus' {@code Upload-Defer-Length: 1}); null while the client does not know it. */
    private static Long lengthOf(HttpServletRequest request, Dialect dialect) {
        String length = request.getHeader("Upload-Length");
        String defer = request.getHeader("Upload-Defer-Length");
        if (length != null && defer != null && "POST".equals(request.getMethod()) && request.getHeader("X-HTTP-Method-Override") == null) {
            throw new InvalidInputException("Upload-Defer-Length", "is sent instead of Upload-Length, not with it");
        }
        if (defer != null && !"1".equals(defer.strip())) {
            throw new InvalidInputException("Upload-Defer-Length", "is 1 when sent");
        }
        if (length == null) {
            if (dialect.tus() && defer == null && "POST".equals(request.getMethod()) && request.getHeader("X-HTTP-Method-Override") == null) {
                throw new InvalidInputException("Upload-Length", "is required (or Upload-Defer-Length: 1)");
            }
            return null;
        }
        return nonNegative("Upload-Length", length);
    }

    private static long offsetOf(HttpServletRequest request) {
        String offset = request.getHeader("Upload-Offset");
        if (offset == null) {
            throw new InvalidInputException("Upload-Offset", "is required: where this piece starts");
        }
        return nonNegative("Upload-Offset", offset);
    }

    private static long nonNegative(String header, String value) {
        String digits = value.strip();
        if (!digits.matches("[0-9]{1,19}")) {
            throw new InvalidInputException(header, "is a whole number of bytes, 0 or more");
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(header, "is too large");
        }
    }

    /** A structured-field boolean ({@code ?1} or {@code ?0}); absent is false. */
    private static boolean booleanHeader(HttpServletRequest request, String header, String field) {
        String value = request.getHeader(header);
        if (value == null) {
            return false;
        }
        return switch (value.strip()) {
            case "?1" -> true;
            case "?0" -> false;
            default -> throw new InvalidInputException(field, "is ?1 or ?0");
        };
    }

    private static Checksum checksumOf(HttpServletRequest request, Dialect dialect) {
        String header = dialect.tus() ? request.getHeader("Upload-Checksum") : null;
        if (header == null) {
            return null;
        }
        String[] parts = header.strip().split(" ", -1);
        String algorithm = parts.length == 2 ? CHECKSUMS.get(parts[0].toLowerCase(Locale.ROOT)) : null;
        if (algorithm == null) {
            throw new InvalidInputException("Upload-Checksum", "is '<algorithm> <base64 digest>', the algorithm one of " + CHECKSUMS.keySet());
        }
        try {
            return new Checksum(algorithm, Base64.getDecoder().decode(parts[1]));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Upload-Checksum", "the digest is not base64");
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || (request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") != null);
    }

    private static String mediaType(HttpServletRequest request) {
        String type = request.getContentType();
        return type == null ? null : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    /** A body in a media type the protocol does not take (415). */
    static final class UnsupportedContent extends RuntimeException {
        UnsupportedContent(String message) {
            super(message);
        }
    }
}

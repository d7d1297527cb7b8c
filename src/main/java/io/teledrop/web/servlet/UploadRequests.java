package io.teledrop.web.servlet;

import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.web.FieldSuggestions;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What an upload request says outside its body: its {@code Teledrop-*} headers and the file name in its URL. */
final class UploadRequests {

    static final String TOKEN_HEADER = "Teledrop-Delete-Token";
    /** The {@code Teledrop-*} request headers a raw PUT reads; any other is refused, as a misspelling would be. */
    static final Set<String> PUT_HEADERS = Set.of("Teledrop-Slug", "Teledrop-Title", "Teledrop-Description",
            "Teledrop-Expires", "Teledrop-Max-Downloads", "Teledrop-Password", "Teledrop-Drop", TOKEN_HEADER);
    /** The {@code Teledrop-*} request headers a multipart POST reads: the drop's other options are form fields. */
    static final Set<String> POST_HEADERS = Set.of("Teledrop-Drop", TOKEN_HEADER);
    /** The headers that shape a new drop, refused when the files go to an existing one. */
    static final List<String> NEW_DROP_HEADERS = List.of("Teledrop-Slug", "Teledrop-Title", "Teledrop-Description",
            "Teledrop-Expires", "Teledrop-Max-Downloads", "Teledrop-Password");
    /** Headers that protect a drop: sent empty, they would silently leave it unprotected. */
    private static final Set<String> PROTECTION_HEADERS = Set.of("Teledrop-Expires", "Teledrop-Max-Downloads", "Teledrop-Password");

    private UploadRequests() {
    }

    /**
     * Refuses {@code Teledrop-*} headers this request does not read (a misspelt {@code Teledrop-Max-Download}
     * would otherwise give an unlimited drop), and protection headers sent empty.
     *
     * @throws InvalidInputException naming every such header
     */
    static void checkHeaders(HttpServletRequest request, Set<String> known) {
        List<FieldError> errors = new ArrayList<>();
        for (String name : Collections.list(request.getHeaderNames())) {
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
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    /**
     * Refuses the headers of a new drop on a PUT that adds its file to an existing drop.
     *
     * @throws InvalidInputException naming every such header
     */
    static void checkNoNewDropHeaders(HttpServletRequest request) {
        List<FieldError> ignored = NEW_DROP_HEADERS.stream().filter(h -> request.getHeader(h) != null)
                .map(h -> new FieldError(h, UploadForm.OPTIONS_OF_NEW_DROPS)).toList();
        if (!ignored.isEmpty()) {
            throw new InvalidInputException(ignored);
        }
    }

    /** The fields of a raw PUT, from its headers. */
    static UploadForm formOfHeaders(HttpServletRequest request) {
        return UploadForm.ofHeaders(header(request, "Teledrop-Slug"), header(request, "Teledrop-Title"),
                header(request, "Teledrop-Description"), header(request, "Teledrop-Expires"),
                header(request, "Teledrop-Max-Downloads"), header(request, "Teledrop-Password"),
                header(request, "Teledrop-Drop"), request.getHeader(TOKEN_HEADER));
    }

    /** A header value; UTF-8 sent raw (as curl does) is decoded as UTF-8 rather than ISO-8859-1. */
    static String header(HttpServletRequest request, String name) {
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
        String raw = String.join("/", Arrays.copyOfRange(segments, skip, segments.length));
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c")) {
            // Liberty refuses these itself today; should it ever let them through, the name must not be cut at them.
            throw new InvalidInputException("filename", "must not contain an encoded / or \\; send such a name as multipart");
        }
        return percentDecode(raw);
    }

    /** RFC 3986 percent-decoding to UTF-8; '+' stays '+'. */
    static String percentDecode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
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
}

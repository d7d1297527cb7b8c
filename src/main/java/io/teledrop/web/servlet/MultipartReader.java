package io.teledrop.web.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578, framing of RFC 2046 §5.1) as it streams: one part at
 * a time, each part's body an {@link InputStream} that ends at the next delimiter, so a file part goes
 * straight into the blob store and nothing is spooled or held whole.
 * <p>
 * Liberty's own multipart support (and Commons FileUpload's streaming API) were measured at a third of the
 * raw {@code PUT} speed: Liberty spools every part to a file first, FileUpload scans a 4 KiB buffer byte by
 * byte. This reader searches a 64 KiB buffer for the delimiter with Boyer-Moore-Horspool, which skips about
 * a delimiter's length per comparison. The request's total size is bounded; part headers are bounded too.
 * <p>
 * Not thread-safe: one request thread reads it. It does not close the request stream, which the container owns.
 */
final class MultipartReader {

    /** All header lines of one part together; a browser's are about 200 bytes. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int BUFFER_BYTES = 64 * 1024;
    /** RFC 2046 §5.1.1: 1 to 70 characters. */
    private static final int MAX_BOUNDARY = 70;

    private final InputStream in;
    private final long maxBytes;
    /** CRLF "--" boundary: what ends every part's body. */
    private final byte[] delimiter;
    private final int[] skip = new int[256];
    private final byte[] buffer;
    private int position;
    private int limit;
    private long bytesRead;
    private boolean endOfInput;
    /** Up to here (exclusive), the buffer is known to hold no delimiter start; saves searching a window twice. */
    private int clearUntil;
    /** Where the current window's delimiter starts, or -1 while none has been found. */
    private int delimiterAt = -1;
    private PartBody current;
    private boolean finished;

    /**
     * One part's headers as sent; {@code filename} is null for a form field. {@code headers} maps each
     * header name, lower-cased, to its values in the order sent.
     */
    record PartHead(String name, String filename, Map<String, List<String>> headers) {
    }

    /** Thrown for a body that does not follow the multipart framing; the client gets a 400. */
    static final class MalformedMultipartException extends IOException {
        MalformedMultipartException(String message) {
            super(message);
        }
    }

    /** Thrown when the body runs past the request limit; the client gets a 413. */
    static final class MultipartTooLargeException extends IOException {
        private final long limit;

        MultipartTooLargeException(long limit) {
            super("the request is larger than " + limit + " bytes");
            this.limit = limit;
        }

        long limit() {
            return limit;
        }
    }

    /**
     * @param in       the request body; the caller keeps ownership
     * @param boundary the {@code boundary} parameter of the request's content type
     * @param maxBytes the most this body may hold; reading past it throws {@link MultipartTooLargeException}
     */
    MultipartReader(InputStream in, String boundary, long maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buffer = new byte[BUFFER_BYTES + delimiter.length];
        int last = delimiter.length - 1;
        Arrays.fill(skip, delimiter.length);
        for (int i = 0; i < last; i++) {
            skip[delimiter[i] & 0xff] = last - i;
        }
        // The first delimiter may open the body without a CRLF before it (RFC 2046: the preamble may be empty).
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
    }

    /**
     * The boundary of a {@code multipart/form-data} content type (quoted or not), if it has a valid one.
     * RFC 2046 §5.1.1 allows 1-70 characters of a restricted set; anything else cannot delimit reliably.
     */
    static Optional<String> boundaryOf(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        for (String parameter : splitParameters(contentType)) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).strip().equalsIgnoreCase("boundary")) {
                String value = unquote(parameter.substring(equals + 1).strip());
                if (!value.isEmpty() && value.length() <= MAX_BOUNDARY && value.chars().allMatch(MultipartReader::isBoundaryChar)
                        && value.charAt(value.length() - 1) != ' ') {
                    return Optional.of(value);
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean isBoundaryChar(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || "'()+_,-./:=? ".indexOf(c) >= 0;
    }

    /**
     * The next part's headers, or empty after the closing delimiter. Whatever the caller left unread of the
     * previous part is skipped. The part's body is {@link #body()} until the next call.
     */
    Optional<PartHead> next() throws IOException {
        if (finished) {
            return Optional.empty();
        }
        if (current == null) {
            // Skip the preamble: everything up to the first delimiter.
            current = new PartBody();
        }
        current.skipRest();
        // After a delimiter: "--" closes the body; otherwise optional transport padding, then CRLF.
        if (!ensure(2)) {
            throw new MalformedMultipartException("the body ends after a boundary without its closing \"--\"");
        }
        if (buffer[position] == '-' && buffer[position + 1] == '-') {
            finished = true;
            return Optional.empty();
        }
        while (true) {
            if (!ensure(1)) {
                throw new MalformedMultipartException("the body ends after a boundary");
            }
            byte b = buffer[position];
            if (b != ' ' && b != '\t') {
                break;
            }
            position++;
        }
        if (!ensure(2) || buffer[position] != '\r' || buffer[position + 1] != '\n') {
            throw new MalformedMultipartException("a boundary line does not end with CRLF");
        }
        position += 2;
        PartHead head = readHeaders();
        current = new PartBody();
        return Optional.of(head);
    }

    /** Whether the closing delimiter has been read: the request body holds nothing more that matters. */
    boolean finished() {
        return finished;
    }

    /** The body of the part {@link #next()} last returned; the caller need not close it. */
    InputStream body() {
        if (current == null || finished) {
            throw new IllegalStateException("no current part");
        }
        return current;
    }

    /** Whether {@code body} (from {@link #body()}) is still the current part's: its bytes can still be read. */
    boolean isCurrent(InputStream body) {
        return body == current && !finished;
    }

    /**
     * The whole size of the current part's body if its end is in sight: already reached, or within what the
     * buffer holds once filled (so a form field or a small file answers at once); -1 for a larger part whose
     * bytes are still arriving. Reads ahead into the buffer, never past it.
     */
    long knownSize() throws IOException {
        if (current == null || finished) {
            throw new IllegalStateException("no current part");
        }
        return current.knownSize();
    }

    private PartHead readHeaders() throws IOException {
        String name = null;
        String filename = null;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int headerBytes = 0;
        while (true) {
            int lineEnd = -1;
            int searchFrom = position;
            while (lineEnd < 0) {
                for (int i = searchFrom; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        lineEnd = i;
                        break;
                    }
                }
                if (lineEnd < 0) {
                    if (limit - position + headerBytes > MAX_HEADER_BYTES) {
                        throw new MalformedMultipartException("a part's headers are longer than " + MAX_HEADER_BYTES + " bytes");
                    }
                    int scanned = limit - position;
                    if (!fill()) {
                        throw new MalformedMultipartException("the body ends inside a part's headers");
                    }
                    searchFrom = position + scanned;
                }
            }
            int end = lineEnd > position && buffer[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            String line = decode(position, end - position);
            headerBytes += lineEnd + 1 - position;
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("a part's headers are longer than " + MAX_HEADER_BYTES + " bytes");
            }
            position = lineEnd + 1;
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedMultipartException("a part header line has no name: " + abbreviate(line));
            }
            String headerName = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.computeIfAbsent(headerName, h -> new ArrayList<>(1)).add(value);
            if (headerName.equals("content-disposition")) {
                String[] parameters = splitParameters(value);
                if (!parameters[0].strip().equalsIgnoreCase("form-data")) {
                    throw new MalformedMultipartException("a part's Content-Disposition is not form-data");
                }
                for (int i = 1; i < parameters.length; i++) {
                    int equals = parameters[i].indexOf('=');
                    if (equals <= 0) {
                        continue;
                    }
                    String key = parameters[i].substring(0, equals).strip().toLowerCase(Locale.ROOT);
                    String parameterValue = unquote(parameters[i].substring(equals + 1).strip());
                    switch (key) {
                        case "name" -> name = parameterValue;
                        case "filename" -> filename = parameterValue;
                        default -> { /* RFC 7578 §4.2: filename* is not used in form data */ }
                    }
                }
            }
        }
        if (name == null) {
            throw new MalformedMultipartException("a part has no Content-Disposition name");
        }
        return new PartHead(name, filename, Collections.unmodifiableMap(headers));
    }

    /** A header value cut at the semicolons that are not inside a quoted string. */
    static String[] splitParameters(String value) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\' && i + 1 < value.length()) {
                part.append(c).append(value.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
                continue;
            }
            part.append(c);
        }
        parts.add(part.toString());
        return parts.toArray(String[]::new);
    }

    /**
     * A parameter value without its quotes. Only {@code \"} and {@code \\} are escapes: browsers send other
     * backslashes raw (a Windows path), and HTML has them encode a quote as {@code %22}, which stays as sent.
     */
    static String unquote(String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 2 < value.length() && (value.charAt(i + 1) == '"' || value.charAt(i + 1) == '\\')) {
                c = value.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Browsers and curl send non-ASCII names as raw UTF-8; anything else is read as ISO-8859-1. */
    private String decode(int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buffer, offset, length)).toString();
        } catch (CharacterCodingException e) {
            return new String(buffer, offset, length, StandardCharsets.ISO_8859_1);
        }
    }

    private static String abbreviate(String line) {
        return line.length() > 40 ? line.substring(0, 40) + "…" : line;
    }

    /** True when at least {@code count} bytes are buffered after {@link #position}, reading as needed. */
    private boolean ensure(int count) throws IOException {
        while (limit - position < count) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Moves the unread bytes to the front and reads more after them; false at the end of the input. Counts
     * against the request limit.
     */
    private boolean fill() throws IOException {
        if (endOfInput) {
            return false;
        }
        if (position > 0) {
            int unread = limit - position;
            System.arraycopy(buffer, position, buffer, 0, unread);
            clearUntil = Math.max(0, clearUntil - position);
            if (delimiterAt >= 0) {
                delimiterAt -= position;
            }
            position = 0;
            limit = unread;
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            endOfInput = true;
            return false;
        }
        bytesRead += read;
        if (bytesRead > maxBytes) {
            throw new MultipartTooLargeException(maxBytes);
        }
        limit += read;
        return true;
    }

    /**
     * Finds the delimiter in the buffered window from {@link #clearUntil}, recording where it starts
     * ({@link #delimiterAt}) or, when absent, how far the window is free of one: its last bytes may still be
     * the start of a delimiter that the next read completes.
     */
    private void search() {
        int from = Math.max(position, clearUntil);
        int last = delimiter.length - 1;
        int i = from;
        while (i + last < limit) {
            int j = last;
            while (buffer[i + j] == delimiter[j]) {
                if (j == 0) {
                    delimiterAt = i;
                    clearUntil = i;
                    return;
                }
                j--;
            }
            i += skip[buffer[i + last] & 0xff];
        }
        clearUntil = Math.max(from, limit - last);
    }

    /** One part's body: the bytes up to the next delimiter, after which the reader stands past that delimiter. */
    private final class PartBody extends InputStream {
        private boolean ended;
        /** Bytes of this body handed out so far. */
        private long consumed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, target.length);
            if (ended) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            while (true) {
                if (position < clearUntil) {
                    int n = Math.min(length, clearUntil - position);
                    System.arraycopy(buffer, position, target, offset, n);
                    position += n;
                    consumed += n;
                    return n;
                }
                if (delimiterAt == position) {
                    position += delimiter.length;
                    delimiterAt = -1;
                    clearUntil = position;
                    ended = true;
                    return -1;
                }
                if (delimiterAt < 0) {
                    search();
                    if (position < clearUntil || delimiterAt == position) {
                        continue;
                    }
                }
                if (!fill()) {
                    throw new MalformedMultipartException("the body ends inside a part, before its closing boundary");
                }
            }
        }

        @Override
        public int available() {
            return ended ? 0 : Math.max(0, clearUntil - position);
        }

        long knownSize() throws IOException {
            if (ended) {
                return consumed;
            }
            while (true) {
                if (delimiterAt < 0) {
                    search();
                }
                if (delimiterAt >= 0) {
                    return consumed + (delimiterAt - position);
                }
                if (position == 0 && limit == buffer.length) {
                    return -1; // the buffer is full and the part goes on
                }
                if (!fill()) {
                    throw new MalformedMultipartException("the body ends inside a part, before its closing boundary");
                }
            }
        }

        void skipRest() throws IOException {
            byte[] discard = new byte[8192];
            while (read(discard, 0, discard.length) >= 0) {
                // discarded
            }
        }
    }
}

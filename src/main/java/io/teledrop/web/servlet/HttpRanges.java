package io.teledrop.web.servlet;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Plans the answer to a {@code Range} request (RFC 9110 §14) for a representation whose length is known, and
 * lays out the {@code multipart/byteranges} body (§14.6) so that its exact size can be sent as
 * {@code Content-Length} before the first byte. Pure functions of their arguments, no servlet types: the
 * servlet asks {@link #plan} what to send, then writes the bytes itself.
 *
 * <p>The plan is one of:
 * <ul>
 *   <li>{@link Full}: send the whole representation with 200. The header is absent, its unit is not
 *       {@code bytes}, or it is invalid (§14.2 lets a server ignore an invalid ranges-specifier); also the
 *       anti-amplification answer below.</li>
 *   <li>{@link Partial}: send 206 with the ranges; one range with a {@code Content-Range} header, several as
 *       {@code multipart/byteranges}.</li>
 *   <li>{@link Unsatisfiable}: no range overlaps the representation; send 416 with
 *       <code>Content-Range: bytes *&#47;LEN</code> (§15.5.17).</li>
 * </ul>
 *
 * <p><b>Anti-amplification (§17.15).</b> Satisfiable ranges are sorted by their first byte, and ranges that
 * overlap or are separated by a gap smaller than {@value HttpRanges#COALESCE_GAP} bytes (the typical overhead of a part,
 * §15.3.7.2) are coalesced into one. If the requested ranges add up to more bytes than the representation
 * (counted as requested, before coalescing: {@code bytes=0-,0-,0-} asks for three copies), or more than
 * {@value HttpRanges#MAX_RANGES} ranges remain after coalescing, the whole representation is sent with 200 instead, so a
 * response is never much larger than the file. §14.2 lets a server ignore a Range header, and names overlapping
 * ranges and many small ranges as the marks of a broken client or an attack.
 *
 * <p><b>Order.</b> Parts are sent in ascending order of their first byte. §15.3.7.2 allows coalescing
 * regardless of the order in which ranges were requested, and every part names its own bytes in its
 * {@code Content-Range}; it does say a server SHOULD otherwise keep the requested order, so a client that asks
 * for disjoint ranges out of order gets them sorted.
 *
 * <p>Thread-safe: no mutable state.
 */
public final class HttpRanges {

    /** Ranges closer than this many bytes are merged: about the overhead of one more part (§15.3.7.2). */
    public static final long COALESCE_GAP = 80;
    /** More parts than this after coalescing and the whole representation is sent instead. */
    public static final int MAX_RANGES = 16;

    private static final int MAX_DIGITS = 19;
    private static final int BOUNDARY_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private HttpRanges() {
    }

    /** What to send for a request; see the class comment. */
    public sealed interface Plan permits Full, Partial, Unsatisfiable {
    }

    /** 200 with the whole representation. */
    public record Full() implements Plan {
    }

    /**
     * 206 with these ranges: disjoint, at least {@value HttpRanges#COALESCE_GAP} bytes apart, in ascending order, each
     * within the representation.
     */
    public record Partial(List<ByteRange> ranges) implements Plan {

        public Partial {
            ranges = List.copyOf(ranges);
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("a partial response needs at least one range");
            }
        }

        /** True when the body is {@code multipart/byteranges}; false for one range with {@code Content-Range}. */
        public boolean multipart() {
            return ranges.size() > 1;
        }
    }

    /** 416; {@code length} is the representation's length, for {@link #contentRange()}. */
    public record Unsatisfiable(long length) implements Plan {

        /** The value of the 416 response's {@code Content-Range} header (§14.4): <code>bytes *&#47;LEN</code>. */
        public String contentRange() {
            return "bytes */" + length;
        }
    }

    /** An inclusive byte range {@code first..last}, as in the {@code bytes=first-last} syntax. */
    public record ByteRange(long first, long last) {

        public ByteRange {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
            }
        }

        /** The number of bytes in the range. */
        public long length() {
            return last - first + 1;
        }

        /** The {@code Content-Range} value for this range of a representation of {@code total} bytes (§14.4). */
        public String contentRange(long total) {
            return "bytes " + first + "-" + last + "/" + total;
        }
    }

    /**
     * Plans the response to {@code rangeHeader} (the {@code Range} field value, null when absent) for a
     * representation of {@code length} bytes. The caller decides beforehand whether a Range applies at all
     * (GET only, §14.2; If-Range, {@link Preconditions#rangeApplies}).
     */
    public static Plan plan(String rangeHeader, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (rangeHeader == null) {
            return new Full();
        }
        List<long[]> specs = parse(rangeHeader);
        if (specs == null) {
            // §14.2: an unknown unit or an invalid ranges-specifier is ignored.
            return new Full();
        }
        List<ByteRange> satisfiable = new ArrayList<>(specs.size());
        long requested = 0;
        for (long[] spec : specs) {
            ByteRange range = resolve(spec, length);
            if (range == null) {
                // §14.1.1: unsatisfiable ranges are dropped when at least one other is satisfiable.
                continue;
            }
            if (range.length() > length - requested) {
                // More than the whole representation asked for: overlapping ranges (§17.15).
                return new Full();
            }
            requested += range.length();
            satisfiable.add(range);
        }
        if (satisfiable.isEmpty()) {
            return new Unsatisfiable(length);
        }
        List<ByteRange> coalesced = coalesce(satisfiable);
        if (coalesced.size() > MAX_RANGES) {
            return new Full();
        }
        return new Partial(coalesced);
    }

    /**
     * Parses {@code ranges-specifier} (§14.1.1, §14.1.2) into {@code {first, last}} pairs, {@code -1} standing
     * for an absent position ({@code {-1, n}} is the suffix range {@code -n}); null when the unit is not
     * {@code bytes} or the value is invalid.
     */
    private static List<long[]> parse(String header) {
        String value = trimOws(header);
        int equals = value.indexOf('=');
        // The range unit is a case-insensitive token (§14.1).
        if (equals < 0 || !value.substring(0, equals).equalsIgnoreCase("bytes")) {
            return null;
        }
        List<long[]> specs = new ArrayList<>();
        // range-set = 1#range-spec; empty list elements are allowed and ignored (§5.6.1).
        for (String element : value.substring(equals + 1).split(",", -1)) {
            String spec = trimOws(element);
            if (spec.isEmpty()) {
                continue;
            }
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return null;
            }
            String firstText = spec.substring(0, dash);
            String lastText = spec.substring(dash + 1);
            if (firstText.isEmpty()) {
                // suffix-range = "-" suffix-length
                long suffix = number(lastText);
                if (suffix < 0) {
                    return null;
                }
                specs.add(new long[] {-1, suffix});
                continue;
            }
            // int-range = first-pos "-" [ last-pos ]; invalid when last-pos < first-pos (§14.1.2).
            long first = number(firstText);
            long last = lastText.isEmpty() ? -1 : number(lastText);
            if (first < 0 || (!lastText.isEmpty() && last < first)) {
                return null;
            }
            specs.add(new long[] {first, last});
        }
        return specs.isEmpty() ? null : specs;
    }

    /** The range a parsed spec selects in a representation of {@code length} bytes; null when unsatisfiable. */
    private static ByteRange resolve(long[] spec, long length) {
        if (spec[0] < 0) {
            // §14.1.2: a suffix longer than the representation selects all of it; -0 selects nothing.
            long suffix = spec[1];
            return suffix == 0 || length == 0 ? null : new ByteRange(Math.max(0, length - suffix), length - 1);
        }
        // §14.1.2: first-pos at or past the end is unsatisfiable; last-pos past the end means the end.
        if (spec[0] >= length) {
            return null;
        }
        long last = spec[1] < 0 || spec[1] >= length ? length - 1 : spec[1];
        return new ByteRange(spec[0], last);
    }

    private static List<ByteRange> coalesce(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        List<ByteRange> out = new ArrayList<>(sorted.size());
        ByteRange current = sorted.get(0);
        for (ByteRange next : sorted.subList(1, sorted.size())) {
            // Overlapping (negative gap), adjacent or nearly adjacent ranges become one part (§15.3.7.2).
            if (next.first() - current.last() - 1 < COALESCE_GAP) {
                current = new ByteRange(current.first(), Math.max(current.last(), next.last()));
            } else {
                out.add(current);
                current = next;
            }
        }
        out.add(current);
        return out;
    }

    /** 1*DIGIT as a long; -1 when empty, not ASCII digits, longer than 19 digits or past {@code Long.MAX_VALUE}. */
    private static long number(String text) {
        if (text.isEmpty() || text.length() > MAX_DIGITS) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException overflow) {
            return -1;
        }
    }

    /** Strips optional whitespace, SP and HTAB only (§5.6.3). */
    private static String trimOws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isOws(s.charAt(start))) {
            start++;
        }
        while (end > start && isOws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    // --- multipart/byteranges (§14.6) ---

    /** A fresh random boundary: 32 hex digits, so it cannot occur in a part header and is unguessable in content. */
    public static String boundary() {
        byte[] bytes = new byte[BOUNDARY_BYTES];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The response's {@code Content-Type} for a multipart body with this boundary. */
    public static String multipartContentType(String boundary) {
        return "multipart/byteranges; boundary=" + checkBoundary(boundary);
    }

    /**
     * The delimiter and headers that precede a part's bytes:
     * {@code CRLF "--" boundary CRLF "Content-Type: " type CRLF "Content-Range: bytes a-b/LEN" CRLF CRLF}.
     * US-ASCII only (the content type is checked), so its byte count is its {@code length()}; write it with
     * {@code getBytes(StandardCharsets.US_ASCII)}.
     *
     * @throws IllegalArgumentException if the content type holds a control or non-ASCII character (which could
     *         end or add a part header)
     */
    public static String partHeader(String boundary, String contentType, ByteRange range, long total) {
        return "\r\n--" + checkBoundary(boundary) + "\r\nContent-Type: " + checkContentType(contentType)
                + "\r\nContent-Range: " + range.contentRange(total) + "\r\n\r\n";
    }

    /** The close delimiter after the last part: {@code CRLF "--" boundary "--" CRLF}; US-ASCII. */
    public static String closingDelimiter(String boundary) {
        return "\r\n--" + checkBoundary(boundary) + "--\r\n";
    }

    /**
     * The exact byte size of the {@code multipart/byteranges} body made of {@link #partHeader} and the range's
     * bytes for each range, then {@link #closingDelimiter}: the response's {@code Content-Length}.
     */
    public static long multipartLength(List<ByteRange> ranges, String contentType, long total, String boundary) {
        long size = closingDelimiter(boundary).length();
        for (ByteRange range : ranges) {
            size = Math.addExact(size, partHeader(boundary, contentType, range, total).length());
            size = Math.addExact(size, range.length());
        }
        return size;
    }

    private static String checkBoundary(String boundary) {
        // RFC 2046 §5.1.1: 1 to 70 characters; we only ever use letters and digits.
        if (boundary.isEmpty() || boundary.length() > 70
                || !boundary.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
            throw new IllegalArgumentException("not a boundary: " + boundary);
        }
        return boundary;
    }

    private static String checkContentType(String contentType) {
        Objects.requireNonNull(contentType, "contentType");
        if (contentType.isBlank() || !contentType.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("content type is not a visible US-ASCII field value");
        }
        return contentType;
    }
}

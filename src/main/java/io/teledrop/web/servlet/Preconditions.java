package io.teledrop.web.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Evaluates the conditional request headers of RFC 9110 §13 against the selected representation's entity-tag
 * and modification date, in the order of §13.2.2. Pure functions of their arguments, no servlet types: the
 * servlet passes the header values and turns the {@link Outcome} into a status.
 *
 * <p>The caller evaluates preconditions only when the response without them would be 2xx (§13.2.1), for an
 * existing representation (so {@code *} matches), and applies {@link #rangeApplies} only to a GET that carries
 * a {@code Range} header (§13.1.5). Entity-tags are compared as {@code [W/]"opaque"} strings; a header that is
 * not a valid entity-tag list matches nothing, so a garbled If-Match fails and a garbled If-None-Match is no
 * reason for 304. Dates are HTTP-dates (§5.6.7) in any of the three formats; an invalid date is ignored, as
 * §13.1.3 and §13.1.4 require. HTTP-dates have whole seconds, so the modification date is compared truncated to
 * the second.
 *
 * <p>Thread-safe: no mutable state.
 */
public final class Preconditions {

    /** What the conditional headers decide. */
    public enum Outcome {
        /** Go on and serve the request (subject to {@link #rangeApplies} for a Range). */
        PROCEED,
        /** 304 Not Modified (GET or HEAD only). */
        NOT_MODIFIED,
        /** 412 Precondition Failed. */
        PRECONDITION_FAILED
    }

    /**
     * The request's header values by name (case-insensitive), null when absent. A list header sent as several
     * field lines should come back as one value joined with {@code ", "} (§5.3).
     */
    @FunctionalInterface
    public interface Headers {

        String get(String name);

        /** A request's headers, each sent as several field lines joined with {@code ", "}. */
        static Headers of(HttpServletRequest request) {
            return name -> {
                List<String> values = Collections.list(request.getHeaders(name));
                return values.isEmpty() ? null : String.join(", ", values);
            };
        }

        /** Headers from a map, looked up case-insensitively; for tests and callers without a request. */
        static Headers of(Map<String, String> values) {
            TreeMap<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            byName.putAll(values);
            return byName::get;
        }
    }

    /** An entity-tag (§8.8.3): its opaque-tag with the quotes, and whether it is weak. */
    private record EntityTag(String opaque, boolean weak) {

        /** §8.8.3.2: both strong and the same characters. */
        boolean strongMatch(EntityTag other) {
            return !weak && !other.weak && opaque.equals(other.opaque);
        }

        /** §8.8.3.2: the same characters, weak or not. */
        boolean weakMatch(EntityTag other) {
            return opaque.equals(other.opaque);
        }
    }

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.RFC_1123_DATE_TIME.withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("EEE MMM ppd HH:mm:ss uuuu")
            .toFormatter(Locale.US)
            .withZone(ZoneOffset.UTC)
            .withResolverStyle(ResolverStyle.STRICT);

    private Preconditions() {
    }

    /**
     * Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since in the order of §13.2.2.
     *
     * @param method the request method (case-sensitive, §9.1)
     * @param headers the request's headers
     * @param etag the representation's entity-tag, quotes included ({@code "5e1f…"}); null when it has none
     * @param lastModified the representation's modification date; null when it has none
     */
    public static Outcome evaluate(String method, Headers headers, String etag, Instant lastModified) {
        EntityTag current = etag == null ? null : parseEntityTag(etag.strip());
        boolean getOrHead = method.equals("GET") || method.equals("HEAD");

        // §13.2.2 step 1: If-Match, strong comparison (§13.1.1).
        String ifMatch = headers.get("If-Match");
        if (ifMatch != null) {
            if (!matches(ifMatch, current, false)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            // Step 2: If-Unmodified-Since, only without If-Match; an invalid date is ignored (§13.1.4).
            Optional<Instant> since = parseHttpDate(headers.get("If-Unmodified-Since"));
            if (since.isPresent() && lastModified != null && lastModified.getEpochSecond() > since.get().getEpochSecond()) {
                return Outcome.PRECONDITION_FAILED;
            }
        }

        // Step 3: If-None-Match, weak comparison (§13.1.2); 304 for GET and HEAD, 412 otherwise.
        String ifNoneMatch = headers.get("If-None-Match");
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, current, true)) {
                return getOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
        } else if (getOrHead) {
            // Step 4: If-Modified-Since, GET and HEAD only, without If-None-Match; invalid dates ignored (§13.1.3).
            Optional<Instant> since = parseHttpDate(headers.get("If-Modified-Since"));
            if (since.isPresent() && lastModified != null && lastModified.getEpochSecond() <= since.get().getEpochSecond()) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether the {@code Range} header applies given {@code If-Range} (§13.1.5, step 5 of §13.2.2): true when
     * If-Range is absent, names the current entity-tag (strong comparison), or is an HTTP-date exactly equal to
     * the modification date at second resolution; false otherwise (a weak or stale entity-tag, another date,
     * anything unparseable), and then the whole representation is sent with 200.
     *
     * <p>A date is a usable validator only because drop files never change once stored, so their
     * Last-Modified is strong (§8.8.2.2).
     */
    public static boolean rangeApplies(String ifRange, String etag, Instant lastModified) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            EntityTag sent = parseEntityTag(value);
            EntityTag current = etag == null ? null : parseEntityTag(etag.strip());
            return sent != null && current != null && sent.strongMatch(current);
        }
        Optional<Instant> date = parseHttpDate(value);
        return date.isPresent() && lastModified != null && date.get().getEpochSecond() == lastModified.getEpochSecond();
    }

    /**
     * Parses an HTTP-date (§5.6.7): IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}) and, as recipients
     * must, the obsolete RFC 850 ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime
     * ({@code Sun Nov  6 08:49:37 1994}) formats. Empty when the value is none of them.
     */
    public static Optional<Instant> parseHttpDate(String value) {
        return parseHttpDate(value, Year.now(ZoneOffset.UTC).getValue());
    }

    /** {@link #parseHttpDate(String)} with the current year given, which RFC 850's two-digit years depend on. */
    static Optional<Instant> parseHttpDate(String value, int currentYear) {
        if (value == null) {
            return Optional.empty();
        }
        String text = value.strip();
        Optional<Instant> date = parse(text, IMF_FIXDATE);
        if (date.isEmpty()) {
            date = parse(text, rfc850(currentYear));
        }
        return date.isPresent() ? date : parse(text, ASCTIME);
    }

    private static Optional<Instant> parse(String text, DateTimeFormatter format) {
        try {
            return Optional.of(Instant.from(format.parse(text)));
        } catch (DateTimeException notThisFormat) {
            // Not in this format; the caller tries the next, and none matching means no HTTP-date.
            return Optional.empty();
        }
    }

    /**
     * RFC 850 dates with a two-digit year: §5.6.7 reads a year that appears more than 50 years in the future as
     * the most recent past year with the same last two digits, so the century spans currentYear - 49 to + 50.
     */
    private static DateTimeFormatter rfc850(int currentYear) {
        return new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, currentYear - 49)
                .appendPattern(" HH:mm:ss 'GMT'")
                .toFormatter(Locale.US)
                .withZone(ZoneOffset.UTC)
                .withResolverStyle(ResolverStyle.STRICT);
    }

    /**
     * Whether an If-Match / If-None-Match value ({@code "*" / #entity-tag}) matches the current entity-tag.
     * {@code *} matches any existing representation; an invalid list matches nothing.
     */
    private static boolean matches(String headerValue, EntityTag current, boolean weakComparison) {
        if (headerValue.strip().equals("*")) {
            return true;
        }
        List<EntityTag> tags = parseEntityTags(headerValue);
        if (tags == null || current == null) {
            return false;
        }
        return tags.stream().anyMatch(tag -> weakComparison ? tag.weakMatch(current) : tag.strongMatch(current));
    }

    /** A single entity-tag (If-Range is not a list), or null when the value is not exactly one. */
    private static EntityTag parseEntityTag(String value) {
        List<EntityTag> tags = new ArrayList<>(1);
        return scanEntityTag(value, 0, tags) == value.length() ? tags.get(0) : null;
    }

    /**
     * {@code #entity-tag} (§5.6.1, §8.8.3): entity-tags separated by commas and optional whitespace, empty
     * elements allowed; null when anything else is found or there is no tag.
     */
    private static List<EntityTag> parseEntityTags(String value) {
        List<EntityTag> tags = new ArrayList<>();
        int i = 0;
        boolean expectTag = true;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == ',') {
                expectTag = true;
                i++;
            } else {
                i = expectTag ? scanEntityTag(value, i, tags) : -1;
                if (i < 0) {
                    return null;
                }
                expectTag = false;
            }
        }
        return tags.isEmpty() ? null : tags;
    }

    /**
     * Reads {@code entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE} at {@code start} (the W is case-sensitive) into
     * {@code out}; returns the index after it, or -1 when there is none.
     */
    private static int scanEntityTag(String value, int start, List<EntityTag> out) {
        boolean weak = value.startsWith("W/", start);
        int open = weak ? start + 2 : start;
        if (open >= value.length() || value.charAt(open) != '"') {
            return -1;
        }
        int close = open + 1;
        while (close < value.length() && isEtagc(value.charAt(close))) {
            close++;
        }
        if (close >= value.length() || value.charAt(close) != '"') {
            return -1;
        }
        out.add(new EntityTag(value.substring(open, close + 1), weak));
        return close + 1;
    }

    /** etagc = %x21 / %x23-7E / obs-text (§8.8.3). */
    private static boolean isEtagc(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
    }
}

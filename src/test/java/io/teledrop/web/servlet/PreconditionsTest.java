package io.teledrop.web.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.teledrop.web.servlet.Preconditions.Headers;
import io.teledrop.web.servlet.Preconditions.Outcome;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9110 §13 as tables: the conditional headers of a request in, the outcome out. The representation has the
 * entity-tag {@code "v1"} and was modified at 08:49:37.250 on 6 November 1994 (the fraction checks that dates
 * are compared at one-second resolution). An empty cell is an absent header; {@code ''} is an empty one.
 */
class PreconditionsTest {

    private static final String ETAG = "\"v1\"";
    private static final Instant LAST_MODIFIED = Instant.parse("1994-11-06T08:49:37.250Z");

    @ParameterizedTest(name = "[{index}] {0} If-Match={1} If-Unmodified-Since={2} If-None-Match={3} If-Modified-Since={4} -> {5}")
    @CsvSource(delimiter = '|', textBlock = """
            # method | If-Match       | If-Unmodified-Since             | If-None-Match  | If-Modified-Since               | outcome
            # no conditions
            GET      |                |                                 |                |                                 | PROCEED
            PUT      |                |                                 |                |                                 | PROCEED
            # If-Match alone: strong comparison, * matches (§13.1.1)
            GET      | "v1"           |                                 |                |                                 | PROCEED
            GET      | "v2"           |                                 |                |                                 | PRECONDITION_FAILED
            GET      | W/"v1"         |                                 |                |                                 | PRECONDITION_FAILED
            GET      | *              |                                 |                |                                 | PROCEED
            PUT      | '"v2", "v1"'   |                                 |                |                                 | PROCEED
            PUT      | '"v2","v1"'    |                                 |                |                                 | PROCEED
            PUT      | ' ,"v1" ,, '   |                                 |                |                                 | PROCEED
            PUT      | '"v2", W/"v1"' |                                 |                |                                 | PRECONDITION_FAILED
            DELETE   | "v2"           |                                 |                |                                 | PRECONDITION_FAILED
            DELETE   | *              |                                 |                |                                 | PROCEED
            # If-Match not an entity-tag list: matches nothing
            GET      | v1             |                                 |                |                                 | PRECONDITION_FAILED
            GET      | '"v1'          |                                 |                |                                 | PRECONDITION_FAILED
            GET      | '"v1" "v2"'    |                                 |                |                                 | PRECONDITION_FAILED
            GET      | '*, "v1"'      |                                 |                |                                 | PRECONDITION_FAILED
            GET      | w/"v1"         |                                 |                |                                 | PRECONDITION_FAILED
            GET      | ''             |                                 |                |                                 | PRECONDITION_FAILED
            # If-Unmodified-Since alone (§13.1.4)
            PUT      |                | Sun, 06 Nov 1994 08:49:37 GMT   |                |                                 | PROCEED
            PUT      |                | Sun, 06 Nov 1994 08:49:38 GMT   |                |                                 | PROCEED
            PUT      |                | Sun, 06 Nov 1994 08:49:36 GMT   |                |                                 | PRECONDITION_FAILED
            GET      |                | Sun, 06 Nov 1994 08:49:36 GMT   |                |                                 | PRECONDITION_FAILED
            PUT      |                | Sunday, 06-Nov-94 08:49:36 GMT  |                |                                 | PRECONDITION_FAILED
            PUT      |                | Sun Nov  6 08:49:36 1994        |                |                                 | PRECONDITION_FAILED
            PUT      |                | Sunday, 06-Nov-94 08:49:37 GMT  |                |                                 | PROCEED
            PUT      |                | Sun Nov  6 08:49:37 1994        |                |                                 | PROCEED
            # an invalid date, or a list of dates, is ignored
            PUT      |                | yesterday                       |                |                                 | PROCEED
            PUT      |                | ''                              |                |                                 | PROCEED
            PUT      |                | Mon, 06 Nov 1994 08:49:36 GMT   |                |                                 | PROCEED
            PUT      |                | Sun, 06 Nov 1994 08:49:36 GMT, Sun, 06 Nov 1994 08:49:36 GMT |   |             | PROCEED
            # If-Match present: If-Unmodified-Since ignored (§13.2.2 step 2)
            PUT      | "v1"           | Sun, 06 Nov 1994 08:49:36 GMT   |                |                                 | PROCEED
            PUT      | "v2"           | Sun, 06 Nov 1994 08:49:38 GMT   |                |                                 | PRECONDITION_FAILED
            # If-None-Match alone: weak comparison; 304 for GET and HEAD, 412 otherwise (§13.1.2)
            GET      |                |                                 | "v1"           |                                 | NOT_MODIFIED
            HEAD     |                |                                 | "v1"           |                                 | NOT_MODIFIED
            PUT      |                |                                 | "v1"           |                                 | PRECONDITION_FAILED
            DELETE   |                |                                 | "v1"           |                                 | PRECONDITION_FAILED
            POST     |                |                                 | "v1"           |                                 | PRECONDITION_FAILED
            GET      |                |                                 | W/"v1"         |                                 | NOT_MODIFIED
            GET      |                |                                 | '"v2", W/"v1"' |                                 | NOT_MODIFIED
            GET      |                |                                 | "v2"           |                                 | PROCEED
            PUT      |                |                                 | "v2"           |                                 | PROCEED
            GET      |                |                                 | "V1"           |                                 | PROCEED
            GET      |                |                                 | *              |                                 | NOT_MODIFIED
            HEAD     |                |                                 | *              |                                 | NOT_MODIFIED
            PUT      |                |                                 | *              |                                 | PRECONDITION_FAILED
            # If-None-Match not an entity-tag list: matches nothing
            GET      |                |                                 | v1             |                                 | PROCEED
            GET      |                |                                 | '"v1", v2'     |                                 | PROCEED
            # If-Modified-Since alone: GET and HEAD only, at one-second resolution (§13.1.3)
            GET      |                |                                 |                | Sun, 06 Nov 1994 08:49:37 GMT   | NOT_MODIFIED
            HEAD     |                |                                 |                | Sun, 06 Nov 1994 08:49:37 GMT   | NOT_MODIFIED
            GET      |                |                                 |                | Sun, 06 Nov 1994 08:49:38 GMT   | NOT_MODIFIED
            GET      |                |                                 |                | Sun, 06 Nov 1994 08:49:36 GMT   | PROCEED
            PUT      |                |                                 |                | Sun, 06 Nov 1994 08:49:37 GMT   | PROCEED
            DELETE   |                |                                 |                | Sun, 06 Nov 1994 08:49:38 GMT   | PROCEED
            # the obsolete formats (§5.6.7)
            GET      |                |                                 |                | Sunday, 06-Nov-94 08:49:37 GMT  | NOT_MODIFIED
            GET      |                |                                 |                | Sunday, 06-Nov-94 08:49:36 GMT  | PROCEED
            GET      |                |                                 |                | Sun Nov  6 08:49:37 1994        | NOT_MODIFIED
            GET      |                |                                 |                | Sun Nov  6 08:49:36 1994        | PROCEED
            # invalid dates ignored
            GET      |                |                                 |                | garbage                         | PROCEED
            GET      |                |                                 |                | ''                              | PROCEED
            GET      |                |                                 |                | Sun, 06 Nov 1994 08:49:37 GMT; length=1 | PROCEED
            GET      |                |                                 |                | Mon, 06 Nov 1994 08:49:37 GMT   | PROCEED
            GET      |                |                                 |                | Sun, 31 Nov 1994 08:49:37 GMT   | PROCEED
            GET      |                |                                 |                | Sun, 06 Nov 1994 24:49:37 GMT   | PROCEED
            GET      |                |                                 |                | 784111777                       | PROCEED
            # If-None-Match present: If-Modified-Since ignored (§13.2.2 step 4)
            GET      |                |                                 | "v2"           | Sun, 06 Nov 1994 08:49:37 GMT   | PROCEED
            GET      |                |                                 | "v1"           | Sun, 06 Nov 1994 08:49:36 GMT   | NOT_MODIFIED
            # the order of §13.2.2
            GET      | "v2"           |                                 | "v1"           |                                 | PRECONDITION_FAILED
            GET      | "v1"           |                                 | "v1"           |                                 | NOT_MODIFIED
            PUT      | "v1"           |                                 | "v1"           |                                 | PRECONDITION_FAILED
            GET      | *              |                                 | *              |                                 | NOT_MODIFIED
            GET      |                | Sun, 06 Nov 1994 08:49:36 GMT   | "v1"           |                                 | PRECONDITION_FAILED
            GET      |                | Sun, 06 Nov 1994 08:49:36 GMT   |                | Sun, 06 Nov 1994 08:49:37 GMT   | PRECONDITION_FAILED
            GET      | "v1"           | Sun, 06 Nov 1994 08:49:36 GMT   | "v2"           | Sun, 06 Nov 1994 08:49:37 GMT   | PROCEED
            GET      |                | Sun, 06 Nov 1994 08:49:37 GMT   |                | Sun, 06 Nov 1994 08:49:37 GMT   | NOT_MODIFIED
            """)
    void evaluatesInTheOrderOfRfc9110(String method, String ifMatch, String ifUnmodifiedSince, String ifNoneMatch,
            String ifModifiedSince, Outcome expected) {
        Map<String, String> headers = new HashMap<>();
        put(headers, "If-Match", ifMatch);
        put(headers, "If-Unmodified-Since", ifUnmodifiedSince);
        put(headers, "If-None-Match", ifNoneMatch);
        put(headers, "If-Modified-Since", ifModifiedSince);

        assertEquals(expected, Preconditions.evaluate(method, Headers.of(headers), ETAG, LAST_MODIFIED));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # without a validator, the conditions on it cannot match, and dates are ignored (§13.1.3, §13.1.4)
            GET | If-Match            | "v1"                          | PRECONDITION_FAILED
            GET | If-Match            | *                             | PROCEED
            GET | If-None-Match       | "v1"                          | PROCEED
            GET | If-None-Match       | *                             | NOT_MODIFIED
            GET | If-Modified-Since   | Sun, 06 Nov 1994 08:49:37 GMT | PROCEED
            PUT | If-Unmodified-Since | Sun, 06 Nov 1994 08:49:36 GMT | PROCEED
            """)
    void aRepresentationWithoutValidators(String method, String header, String value, Outcome expected) {
        assertEquals(expected, Preconditions.evaluate(method, Headers.of(Map.of(header, value)), null, null));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # a weak current entity-tag never passes the strong If-Match, but does the weak If-None-Match
            GET | If-Match      | W/"v1" | PRECONDITION_FAILED
            GET | If-Match      | "v1"   | PRECONDITION_FAILED
            GET | If-None-Match | "v1"   | NOT_MODIFIED
            GET | If-None-Match | W/"v1" | NOT_MODIFIED
            """)
    void aWeakCurrentEntityTag(String method, String header, String value, Outcome expected) {
        assertEquals(expected, Preconditions.evaluate(method, Headers.of(Map.of(header, value)), "W/\"v1\"", LAST_MODIFIED));
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        Headers headers = Headers.of(Map.of("if-none-match", ETAG));
        assertEquals(Outcome.NOT_MODIFIED, Preconditions.evaluate("GET", headers, ETAG, LAST_MODIFIED));
    }

    @ParameterizedTest(name = "[{index}] If-Range: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # absent: the Range applies
                                            | true
            # entity-tag: strong comparison (§13.1.5)
            "v1"                            | true
            ' "v1" '                        | true
            "v2"                            | false
            W/"v1"                          | false
            "V1"                            | false
            '"v1", "v2"'                    | false
            '"v1",'                         | false
            *                               | false
            v1                              | false
            # HTTP-date: exactly the modification date, at second resolution
            Sun, 06 Nov 1994 08:49:37 GMT   | true
            Sunday, 06-Nov-94 08:49:37 GMT  | true
            Sun Nov  6 08:49:37 1994        | true
            Sun, 06 Nov 1994 08:49:36 GMT   | false
            Sun, 06 Nov 1994 08:49:38 GMT   | false
            # anything else: the whole representation
            garbage                         | false
            ''                              | false
            """)
    void decidesWhetherTheRangeApplies(String ifRange, boolean expected) {
        assertEquals(expected, Preconditions.rangeApplies(ifRange, ETAG, LAST_MODIFIED));
    }

    @ParameterizedTest(name = "[{index}] If-Range: {0} with ETag {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            W/"v1" | W/"v1" | false
            "v1"   | W/"v1" | false
            "v1"   | NULL   | false
            """)
    void aWeakOrMissingCurrentEntityTagNeverLetsTheRangeApply(String ifRange, String etag, boolean expected) {
        assertEquals(expected, Preconditions.rangeApplies(ifRange, etag, LAST_MODIFIED));
    }

    @Test
    void aDateNeverLetsTheRangeApplyWithoutAModificationDate() {
        assertFalse(Preconditions.rangeApplies("Sun, 06 Nov 1994 08:49:37 GMT", ETAG, null));
    }

    @ParameterizedTest(name = "[{index}] {0} in {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            # the three formats of §5.6.7 name the same instant
            Sun, 06 Nov 1994 08:49:37 GMT     | 2025 | 1994-11-06T08:49:37Z
            Sunday, 06-Nov-94 08:49:37 GMT    | 2025 | 1994-11-06T08:49:37Z
            Sun Nov  6 08:49:37 1994          | 2025 | 1994-11-06T08:49:37Z
            Wed Nov 16 08:49:37 1994          | 2025 | 1994-11-16T08:49:37Z
            ' Sun, 06 Nov 1994 08:49:37 GMT ' | 2025 | 1994-11-06T08:49:37Z
            # RFC 850 two-digit years: more than 50 years ahead means the century before
            Tuesday, 01-Jan-75 00:00:00 GMT   | 2025 | 2075-01-01T00:00:00Z
            Thursday, 01-Jan-76 00:00:00 GMT  | 2025 | 1976-01-01T00:00:00Z
            Wednesday, 01-Jan-76 00:00:00 GMT | 2026 | 2076-01-01T00:00:00Z
            # not HTTP-dates
            Sun, 06 Nov 94 08:49:37 GMT       | 2025 | NULL
            Sun Nov 6 08:49:37 1994           | 2025 | NULL
            2024-01-01T00:00:00Z              | 2025 | NULL
            Saturday, 01-Jan-94 00:00:00 GMT  | 2045 | NULL
            ''                                | 2025 | NULL
            NULL                              | 2025 | NULL
            """)
    void parsesTheThreeHttpDateFormats(String value, int currentYear, String expected) {
        assertEquals(Optional.ofNullable(expected).map(Instant::parse), Preconditions.parseHttpDate(value, currentYear));
    }

    private static void put(Map<String, String> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
    }
}

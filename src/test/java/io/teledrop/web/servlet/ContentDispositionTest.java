package io.teledrop.web.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentDispositionTest {

    private static final Pattern SHAPE = Pattern.compile("attachment; filename=\"([^\"\\\\]*)\"; filename\\*=UTF-8''([A-Za-z0-9._~%-]*)");

    @Test
    void plainAsciiNameIsTheSameInBothForms() {
        assertEquals("attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf", ContentDisposition.attachment("report.pdf"));
    }

    @Test
    void nonAsciiNameIsExactInFilenameStarAndReplacedInTheFallback() {
        assertEquals("attachment; filename=\"h_llo w_rld.txt\"; filename*=UTF-8''h%C3%A9llo%20w%C3%B6rld.txt",
                ContentDisposition.attachment("héllo wörld.txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\"b;c.txt", "back\\slash.txt", "100%.txt", "line\r\nbreak.txt", "tab\there", "🎉 party.png",
            "\u202Eexe.txt", "x'y'z.txt", "semi;colon=.txt", "日本語のファイル.pdf"})
    void hostileNamesNeverBreakTheHeaderAndRoundTrip(String name) {
        String header = ContentDisposition.attachment(name);

        assertFalse(header.contains("\r") || header.contains("\n"), header);
        assertTrue(header.chars().allMatch(c -> c >= 0x20 && c < 0x7f), header);
        Matcher shape = SHAPE.matcher(header);
        assertTrue(shape.matches(), header);
        // filename* is RFC 8187 percent-encoding; '+' never appears, so URLDecoder reads it faithfully.
        assertEquals(name, URLDecoder.decode(shape.group(2), StandardCharsets.UTF_8));
    }

    @Test
    void inlineUsesTheSameParameters() {
        assertEquals("inline; filename=\"a.png\"; filename*=UTF-8''a.png", ContentDisposition.inline("a.png"));
    }

    static Stream<Arguments> replacedInTheQuotedForm() {
        return Stream.of(
                Arguments.of("a\"b.txt", "a_b.txt", "a%22b.txt"),
                Arguments.of("\"\"", "__", "%22%22"),
                Arguments.of("back\\slash.txt", "back_slash.txt", "back%5Cslash.txt"),
                Arguments.of("100%.txt", "100_.txt", "100%25.txt"),
                Arguments.of("%22.txt", "_22.txt", "%2522.txt"),
                Arguments.of("tab\there", "tab_here", "tab%09here"),
                Arguments.of("nul\u0000.txt", "nul_.txt", "nul%00.txt"),
                Arguments.of("del\u007f.txt", "del_.txt", "del%7F.txt"),
                Arguments.of("cr\rlf\n.txt", "cr_lf_.txt", "cr%0Dlf%0A.txt"),
                Arguments.of("caf\u00e9.txt", "caf_.txt", "caf%C3%A9.txt"),
                Arguments.of("a b;c=d,e.txt", "a b;c=d,e.txt", "a%20b%3Bc%3Dd%2Ce.txt"),
                Arguments.of("it's+1.txt", "it's+1.txt", "it%27s%2B1.txt"));
    }

    @ParameterizedTest(name = "[{index}] quoted ''{1}'', encoded ''{2}''")
    @MethodSource
    void replacedInTheQuotedForm(String name, String quoted, String encoded) {
        assertEquals("attachment; filename=\"" + quoted + "\"; filename*=UTF-8''" + encoded, ContentDisposition.attachment(name));
    }
}

package io.teledrop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LifetimesTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({
            "30m, 2026-11-23T12:30:00Z",
            "12h, 2026-11-24T00:00:00Z",
            "7d, 2026-11-30T12:00:00Z",
            "2w, 2026-12-07T12:00:00Z",
            "7D, 2026-11-30T12:00:00Z",
            "P1D, 2026-11-24T12:00:00Z",
            "PT90M, 2026-11-23T13:30:00Z",
            "2026-12-24T18:00:00Z, 2026-12-24T18:00:00Z",
    })
    void readsTheAcceptedForms(String text, String expected) {
        assertEquals(Instant.parse(expected), Lifetimes.expiryFrom(text, NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "7 days", "-1d", "P", "2026-12-24", "1y", "9999999d"})
    void refusesEverythingElse(String text) {
        assertThrows(IllegalArgumentException.class, () -> Lifetimes.expiryFrom(text, NOW));
    }

    /** Values whose instant overflows (Instant.plus, or epoch milliseconds when stored) are refused like garbage. */
    @ParameterizedTest
    @ValueSource(strings = {"PT40000000000000000S", "P400000000000D", "P106751991167300D", "PT9223372036854775807S",
            "+1000000000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "999999w",
            "1969-12-31T23:59:59Z", "P-30000D"})
    void refusesInstantsOutsideTheYears1970To9999(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lifetimes.expiryFrom(text, NOW));
        assertTrue(e.getMessage().startsWith("must"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"9999-12-31T23:59:59Z, 9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z, 1970-01-01T00:00:00Z"})
    void acceptsTheBoundsThemselves(String text, String expected) {
        assertEquals(Instant.parse(expected), Lifetimes.expiryFrom(text, NOW));
    }

    @ParameterizedTest
    @CsvSource({"P30D, 720", "30d, 720", "PT1M, 0"})
    void durationsFromConfiguration(String text, long hours) {
        assertEquals(hours, Lifetimes.durationFrom(text).toHours());
        assertEquals(Duration.ofMinutes(1), Lifetimes.durationFrom("PT1M"));
    }
}

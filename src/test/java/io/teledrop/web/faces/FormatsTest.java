package io.teledrop.web.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FormatsTest {

    private final Formats formats = new Formats();

    @ParameterizedTest
    @CsvSource({"0, 0 bytes", "1, 1 byte", "1023, 1023 bytes", "1024, 1.0 KiB", "1536, 1.5 KiB", "10240, 10 KiB",
            "3145745, 3.0 MiB", "12582912, 12 MiB", "10737418240, 10 GiB"})
    void bytesAreShownInBinaryUnits(long bytes, String shown) {
        assertEquals(shown, formats.bytes(bytes));
    }

    @ParameterizedTest
    @CsvSource({"PT1M, 1 minute", "PT90M, 1 hour", "PT2H, 2 hours", "P1D, 1 day", "P30D, 30 days", "PT20S, 1 minute"})
    void durationsRoundDownToTheLargestWholeUnit(String duration, String shown) {
        assertEquals(shown, formats.duration(Duration.parse(duration)));
    }

    @Test
    void instantsAreShownInUtc() {
        assertEquals("2026-11-30 09:47 UTC", formats.instant(Instant.parse("2026-11-30T09:47:08Z")));
        assertEquals("", formats.instant(null));
    }

    @Test
    void expiryChoicesStopAtTheMaximumAndSelectTheDefault() {
        List<UploadPageBean.ExpiryChoice> choices = UploadPageBean.expiryChoices(Optional.of(Duration.ofDays(7)), Optional.of(Duration.ofDays(14)), formats);
        assertEquals(List.of(new UploadPageBean.ExpiryChoice("PT1H", "1 hour", false), new UploadPageBean.ExpiryChoice("PT24H", "1 day", false),
                new UploadPageBean.ExpiryChoice("PT168H", "7 days", true), new UploadPageBean.ExpiryChoice("PT336H", "14 days", false)), choices);
    }

    @Test
    void withNeitherDefaultNorMaximumNeverIsOfferedAndSelected() {
        List<UploadPageBean.ExpiryChoice> choices = UploadPageBean.expiryChoices(Optional.empty(), Optional.empty(), formats);
        assertEquals(new UploadPageBean.ExpiryChoice("", "Never", true), choices.get(choices.size() - 1));
        assertEquals(1, choices.stream().filter(UploadPageBean.ExpiryChoice::selected).count());
    }
}

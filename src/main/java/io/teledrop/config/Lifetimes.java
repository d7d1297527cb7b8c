package io.teledrop.config;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the expiry clients ask for: an ISO-8601 instant ({@code 2026-12-24T18:00:00Z}), an ISO-8601
 * duration from now ({@code P7D}, {@code PT12H}), or a short duration ({@code 30m}, {@code 12h},
 * {@code 7d}, {@code 2w}) as transfer.sh users type it.
 */
public final class Lifetimes {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,6})\\s*([mhdw])");

    private Lifetimes() {
    }

    /** @throws IllegalArgumentException if {@code text} is none of the accepted forms */
    public static Instant expiryFrom(String text, Instant now) {
        String value = text.strip();
        Matcher shortForm = SHORT.matcher(value.toLowerCase(Locale.ROOT));
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            Duration unit = switch (shortForm.group(2)) {
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return now.plus(unit.multipliedBy(amount));
        }
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return now.plus(Duration.parse(value));
            }
            return Instant.parse(value);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("must be a time like 2026-12-24T18:00:00Z, or a duration like P7D, PT12H, 7d or 12h");
        }
    }

    /** A duration as configured: ISO-8601 ({@code P30D}) or short ({@code 30d}). */
    public static Duration durationFrom(String text) {
        Instant epoch = Instant.EPOCH;
        return Duration.between(epoch, expiryFrom(text, epoch));
    }
}

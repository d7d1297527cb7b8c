package io.teledrop.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the expiry clients ask for: an ISO-8601 instant ({@code 2026-12-24T18:00:00Z}), an ISO-8601
 * duration from now ({@code P7D}, {@code PT12H}), or a short duration ({@code 30m}, {@code 12h},
 * {@code 7d}, {@code 2w}) as transfer.sh users type it.
 * <p>
 * Every answer lies between {@link #EARLIEST} and {@link #LATEST}: a time or duration past them (a year
 * 1 000 000 000, {@code PT40000000000000000S}) is refused like text that is no time at all, so no caller
 * meets an overflow later (in {@link Instant#plus}, or when the instant is stored as epoch milliseconds).
 */
public final class Lifetimes {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,6})\\s*([mhdw])");
    /** The earliest instant any lifetime may name. */
    public static final Instant EARLIEST = Instant.EPOCH;
    /** The latest instant any lifetime may name: the last second of the year 9999. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    private static final String FORMS = "must be a time like 2026-12-24T18:00:00Z, or a duration like P7D, PT12H, 7d or 12h";

    private Lifetimes() {
    }

    /**
     * @throws IllegalArgumentException if {@code text} is none of the accepted forms, or names an instant
     *                                  before {@link #EARLIEST} or after {@link #LATEST}
     */
    public static Instant expiryFrom(String text, Instant now) {
        String value = text.strip();
        Instant result;
        try {
            Matcher shortForm = SHORT.matcher(value.toLowerCase(Locale.ROOT));
            if (shortForm.matches()) {
                long amount = Long.parseLong(shortForm.group(1));
                Duration unit = switch (shortForm.group(2)) {
                    case "m" -> Duration.ofMinutes(1);
                    case "h" -> Duration.ofHours(1);
                    case "d" -> Duration.ofDays(1);
                    default -> Duration.ofDays(7);
                };
                result = now.plus(unit.multipliedBy(amount));
            } else if (value.startsWith("P") || value.startsWith("p")) {
                result = now.plus(Duration.parse(value));
            } else {
                result = Instant.parse(value);
            }
        } catch (DateTimeException | ArithmeticException e) {
            // DateTimeParseException for text that is no time; DateTimeException or ArithmeticException for a
            // duration that carries the instant past Instant.MAX (PT40000000000000000S, P400000000000D).
            throw new IllegalArgumentException(FORMS + ", before the year 10000");
        }
        if (result.isAfter(LATEST)) {
            throw new IllegalArgumentException("must lie before the year 10000");
        }
        if (result.isBefore(EARLIEST)) {
            throw new IllegalArgumentException("must not lie before 1970");
        }
        return result;
    }

    /** A duration as configured: ISO-8601 ({@code P30D}) or short ({@code 30d}). */
    public static Duration durationFrom(String text) {
        Instant epoch = Instant.EPOCH;
        return Duration.between(epoch, expiryFrom(text, epoch));
    }
}

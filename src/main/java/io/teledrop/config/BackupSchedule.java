package io.teledrop.config;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * When scheduled backups are due ({@value BackupSettings#SCHEDULE}): {@code off}, a daily time in UTC
 * ({@code 03:00}), or an ISO-8601 interval ({@code PT6H}, at least {@code PT5S}), whose due times are counted
 * from the epoch so that every server numbers them alike (PT6H: 00:00, 06:00, 12:00, 18:00 UTC).
 * <p>
 * Time is cut into periods, one per due time: {@link #period} numbers the period {@code now} falls in (the
 * latest due time at or before {@code now}), and a period is backed up once however many servers look
 * ({@code cluster.Leases}). Immutable and thread-safe.
 */
public sealed interface BackupSchedule {

    /** The shortest interval accepted: below it the scheduler's look (a quarter interval) would be busier than the work. */
    Duration MIN_INTERVAL = Duration.ofSeconds(5);

    /** No scheduled backups. */
    record Off() implements BackupSchedule {
        @Override
        public String toString() {
            return "off";
        }
    }

    /** Every day at {@code at}, UTC. */
    record Daily(LocalTime at) implements BackupSchedule {
        private static final long DAY = Duration.ofDays(1).toMillis();

        @Override
        public long period(Instant now) {
            return Math.floorDiv(now.toEpochMilli() - at.toSecondOfDay() * 1000L, DAY);
        }

        @Override
        public Instant due(long period) {
            return Instant.ofEpochMilli(period * DAY + at.toSecondOfDay() * 1000L);
        }

        @Override
        public String toString() {
            return "daily at " + at + " UTC";
        }
    }

    /** Every {@code interval}, counted from the epoch. */
    record Every(Duration interval) implements BackupSchedule {
        @Override
        public long period(Instant now) {
            return Math.floorDiv(now.toEpochMilli(), interval.toMillis());
        }

        @Override
        public Instant due(long period) {
            return Instant.ofEpochMilli(period * interval.toMillis());
        }

        @Override
        public String toString() {
            return "every " + interval;
        }
    }

    /** Whether backups are scheduled at all. */
    default boolean on() {
        return !(this instanceof Off);
    }

    /** The number of the period {@code now} falls in; periods grow with time. Not for {@link Off}. */
    default long period(Instant now) {
        throw new IllegalStateException("backups are not scheduled");
    }

    /** The due time that starts {@code period}. Not for {@link Off}. */
    default Instant due(long period) {
        throw new IllegalStateException("backups are not scheduled");
    }

    /**
     * Reads {@code off}, {@code HH:MM} (UTC) or an ISO-8601 duration of at least {@link #MIN_INTERVAL}.
     *
     * @throws IllegalArgumentException saying what is accepted
     */
    static BackupSchedule parse(String value) {
        String text = value.strip();
        if (text.equalsIgnoreCase("off")) {
            return new Off();
        }
        if (text.matches("\\d{1,2}:\\d{2}")) {
            try {
                return new Daily(LocalTime.parse(text.length() == 4 ? "0" + text : text));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + value + "' is not a time of day (00:00 to 23:59, UTC)");
            }
        }
        if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
            Duration interval;
            try {
                interval = Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + value + "' is not an ISO-8601 duration such as PT6H or P1D");
            }
            if (interval.compareTo(MIN_INTERVAL) < 0) {
                throw new IllegalArgumentException("must be at least " + MIN_INTERVAL + ", not " + interval);
            }
            return new Every(interval);
        }
        throw new IllegalArgumentException("must be a daily time in UTC like 03:00, an interval like PT6H, or off; not '" + value + "'");
    }
}

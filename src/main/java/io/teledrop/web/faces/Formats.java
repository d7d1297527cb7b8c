package io.teledrop.web.faces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How pages show sizes, times and durations: {@code #{formats.bytes(file.size)}}. Stateless. */
@Named
@ApplicationScoped
public class Formats {

    private static final String[] UNITS = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** 1536 → "1.5 KiB"; exact below 1 KiB so small files show their true size. */
    public String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes == 1 ? "1 byte" : bytes + " bytes";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, UNITS[unit]);
    }

    public String instant(Instant instant) {
        return instant == null ? "" : WHEN.format(instant);
    }

    /** The ISO form for {@code <time datetime>}. */
    public String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    /** "in 3 days", "in 5 hours", "in 12 minutes": how long until {@code instant}, roughly. */
    public String fromNow(Instant instant) {
        if (instant == null) {
            return "";
        }
        Duration left = Duration.between(Instant.now(), instant);
        if (left.isNegative()) {
            return "now";
        }
        return "in " + duration(left);
    }

    /** 7 days → "7 days", 90 minutes → "1 hour" (rounded down to the largest whole unit). */
    public String duration(Duration duration) {
        long days = duration.toDays();
        if (days >= 1) {
            return plural(days, "day");
        }
        long hours = duration.toHours();
        if (hours >= 1) {
            return plural(hours, "hour");
        }
        return plural(Math.max(1, duration.toMinutes()), "minute");
    }

    private static String plural(long amount, String unit) {
        return amount + " " + unit + (amount == 1 ? "" : "s");
    }
}

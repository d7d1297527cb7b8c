package io.teledrop.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses byte sizes written for people: {@code 1048576}, {@code 512KiB}, {@code 10 GiB}, {@code 5MB}.
 * Binary units (KiB, MiB, GiB, TiB) are powers of 1024, decimal ones (KB, MB, GB, TB) powers of 1000.
 */
public final class DataSize {

    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d{1,19})\\s*([A-Za-z]*)\\s*");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("kib", 1L << 10), Map.entry("mib", 1L << 20), Map.entry("gib", 1L << 30), Map.entry("tib", 1L << 40),
            Map.entry("kb", 1_000L), Map.entry("mb", 1_000_000L), Map.entry("gb", 1_000_000_000L), Map.entry("tb", 1_000_000_000_000L));

    private DataSize() {
    }

    /** @throws IllegalArgumentException if {@code text} is not a size or overflows a long */
    public static long parse(String text) {
        Matcher m = FORMAT.matcher(text);
        Long unit = m.matches() ? UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("not a size: '" + text + "' (examples: 1048576, 512KiB, 10GiB, 5MB)");
        }
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
    }

    /** A short human form, e.g. {@code 10 GiB} or {@code 1536 B}. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        long value = bytes;
        while (i < units.length - 1 && value >= 1024 && value % 1024 == 0) {
            value /= 1024;
            i++;
        }
        return value + " " + units[i];
    }
}

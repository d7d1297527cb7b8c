package io.teledrop.drop.internal;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for slugs, the short names in {@code /d/{slug}}. Slugs are case-insensitive (stored and looked
 * up in lower case) so a link read aloud or typed from paper still works. Generated slugs use an alphabet
 * without look-alikes (no 0/o, 1/l/i).
 */
public final class Slugs {

    public static final String ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";
    public static final int MIN_CHOSEN_LENGTH = 3;
    public static final int MAX_LENGTH = 64;

    private static final Pattern CHOSEN = Pattern.compile("[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?");
    private static final Set<String> RESERVED = Set.of(
            "api", "d", "admin", "openapi", "health", "metrics", "static", "assets", "resources",
            "jakarta.faces.resource", "login", "logout", "new", "upload", "uploads", "download", "downloads",
            "problems", "docs", "help", "about", "favicon.ico", "robots.txt", "null", "undefined");

    private static final SecureRandom RANDOM = new SecureRandom();

    private Slugs() {
    }

    /** A random slug of {@code length} characters from {@link #ALPHABET}. */
    public static String generate(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(chars);
    }

    /** The canonical (lower-case) form of a slug given in a URL, or empty if it cannot be a slug. */
    public static Optional<String> canonical(String slug) {
        if (slug == null || slug.isEmpty() || slug.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String lower = slug.toLowerCase(Locale.ROOT);
        return CHOSEN.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
    }

    /** Why a client's chosen slug is refused, or empty if it is acceptable (after lower-casing). */
    public static Optional<String> problemWithChosen(String slug) {
        if (slug.length() < MIN_CHOSEN_LENGTH || slug.length() > MAX_LENGTH) {
            return Optional.of("must be " + MIN_CHOSEN_LENGTH + " to " + MAX_LENGTH + " characters long");
        }
        String lower = slug.toLowerCase(Locale.ROOT);
        if (!CHOSEN.matcher(lower).matches()) {
            return Optional.of("may hold only letters a-z, digits, '-' and '_', and must start and end with a letter or digit");
        }
        if (RESERVED.contains(lower)) {
            return Optional.of("'" + lower + "' is reserved");
        }
        return Optional.empty();
    }
}

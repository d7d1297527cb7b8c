package io.teledrop.web;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Names the field a client probably meant when it sent one Teledrop does not know ({@code max_downloads},
 * {@code expiry}, {@code Teledrop-Pasword}), so that a misspelt protection field is refused with a hint
 * instead of silently giving an unprotected or unlimited drop. Stateless and thread-safe.
 */
public final class FieldSuggestions {

    /** Edits allowed between a sent name and a known one, once case, {@code -}, {@code _} and {@code .} are ignored. */
    private static final int MAX_EDITS = 2;

    private FieldSuggestions() {
    }

    /**
     * The known name closest to {@code given}: equal once case and separators are ignored, one of them
     * a prefix of the other (at least 4 characters), or at most two edits apart; empty when none is close.
     */
    public static Optional<String> closest(String given, Collection<String> known) {
        String sent = normalise(given);
        if (sent.isEmpty()) {
            return Optional.empty();
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            String name = normalise(candidate);
            int distance;
            if (name.equals(sent)) {
                distance = 0;
            } else if (Math.min(name.length(), sent.length()) >= 4 && (name.startsWith(sent) || sent.startsWith(name))) {
                distance = 1;
            } else {
                distance = editDistance(sent, name, MAX_EDITS);
            }
            if (distance <= MAX_EDITS && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The message for an unknown field: {@code unknown field 'max_downloads'; did you mean 'maxDownloads'?},
     * or the list of known names when none is close.
     */
    public static String unknown(String kind, String given, Collection<String> known) {
        return closest(given, known)
                .map(name -> "unknown " + kind + " '" + given + "'; did you mean '" + name + "'?")
                .orElseGet(() -> "unknown " + kind + " '" + given + "'; known are " + String.join(", ", known.stream().sorted().toList()));
    }

    private static String normalise(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c != '-' && c != '_' && c != '.' && c != ' ') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Levenshtein distance, or {@code limit + 1} as soon as it is certain to exceed {@code limit}. */
    static int editDistance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = current[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

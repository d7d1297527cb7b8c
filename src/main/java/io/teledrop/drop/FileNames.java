package io.teledrop.drop;

import java.text.Normalizer;

/**
 * Makes a client's filename safe to store and show. The name is only ever a label (storage keys are
 * generated), but it reaches headers, pages and other people's disks, so it loses any directory part,
 * control characters and bidirectional overrides (which can disguise {@code exe.txt} as {@code txt.exe}).
 */
public final class FileNames {

    /** Longest name kept, in code points (most file systems allow 255 bytes; we keep room for UTF-8). */
    public static final int MAX_LENGTH = 255;
    public static final String FALLBACK = "file";

    private FileNames() {
    }

    public static String sanitize(String name) {
        if (name == null) {
            return FALLBACK;
        }
        String normalized = Normalizer.normalize(name, Normalizer.Form.NFC);
        int slash = Math.max(normalized.lastIndexOf('/'), normalized.lastIndexOf('\\'));
        String base = normalized.substring(slash + 1);
        StringBuilder kept = new StringBuilder(base.length());
        base.codePoints().filter(cp -> !isUnsafe(cp)).forEach(kept::appendCodePoint);
        String cleaned = kept.toString().strip();
        // Leading dots would hide the file on Unix and "." / ".." mean directories.
        while (cleaned.startsWith(".")) {
            cleaned = cleaned.substring(1).strip();
        }
        cleaned = truncate(cleaned);
        return cleaned.isBlank() ? FALLBACK : cleaned;
    }

    private static boolean isUnsafe(int cp) {
        return Character.isISOControl(cp)                       // C0, DEL, C1
                || (cp >= 0x202A && cp <= 0x202E)               // bidi embeddings and overrides
                || (cp >= 0x2066 && cp <= 0x2069)               // bidi isolates
                || cp == 0x200E || cp == 0x200F || cp == 0x061C // directional marks
                || cp == 0xFEFF                                 // byte order mark
                || cp == 0x2028 || cp == 0x2029                 // line and paragraph separators
                || Character.getType(cp) == Character.SURROGATE
                || Character.getType(cp) == Character.UNASSIGNED;
    }

    /** Keeps the extension when a name must be cut. */
    private static String truncate(String name) {
        int length = name.codePointCount(0, name.length());
        if (length <= MAX_LENGTH) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
        int keep = MAX_LENGTH - extension.codePointCount(0, extension.length());
        return name.substring(0, name.offsetByCodePoints(0, keep)) + extension;
    }
}

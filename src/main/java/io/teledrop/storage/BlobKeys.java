package io.teledrop.storage;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The shape of storage keys. Keys are generated, never taken from a client, and their shape alone rules
 * out escaping the storage root: every segment starts with a letter or digit, so there is no "..", no
 * absolute path and no hidden file.
 */
public final class BlobKeys {

    public static final int MAX_LENGTH = 512;

    /** Segments of at most 255 characters: the longest name most file systems allow. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}(/[A-Za-z0-9][A-Za-z0-9._-]{0,254})*");

    private BlobKeys() {
    }

    /** A new random key, {@code ab/abcdef…} (two hex characters of fan-out keep directories small). */
    public static String newKey() {
        String id = UUID.randomUUID().toString().replace("-", "");
        return id.substring(0, 2) + "/" + id;
    }

    public static boolean isValid(String key) {
        return key != null && key.length() <= MAX_LENGTH && VALID.matcher(key).matches();
    }

    /** Returns {@code key} if it has the shape of a key; throws {@link IllegalArgumentException} otherwise. */
    public static String requireValid(String key) {
        if (!isValid(key)) {
            throw new IllegalArgumentException("not a storage key: " + (key == null ? null : key.length() > 80 ? key.substring(0, 80) + "…" : key));
        }
        return key;
    }

    /**
     * Whether {@code prefix} can be used to list keys: empty, or a key prefix without "..", leading "/" or
     * characters a key cannot hold.
     */
    public static boolean isValidPrefix(String prefix) {
        return prefix != null && (prefix.isEmpty() || isValid(prefix) || (prefix.endsWith("/") && isValid(prefix.substring(0, prefix.length() - 1))));
    }
}

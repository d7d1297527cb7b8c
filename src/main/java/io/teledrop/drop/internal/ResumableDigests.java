package io.teledrop.drop.internal;

import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SHA-256 of each upload so far, for uploads whose pieces came through this server in order: the fast
 * way to the whole file's digest. It is only a shortcut: an upload whose pieces came through another server
 * (or before a restart) is hashed by reading its finished blob back, so nothing here is needed by another
 * node. An entry is valid only for the offset it was taken at, which the database's offset confirms.
 */
final class ResumableDigests {

    /** A few hundred bytes each; enough for every upload in flight on one server. */
    private static final int MAX_ENTRIES = 4096;

    private record Entry(long offset, MessageDigest digest) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** The digest of the upload's first {@code offset} bytes, taken out (the caller puts it back), or null. */
    synchronized MessageDigest take(String uploadId, long offset) {
        Entry entry = entries.remove(uploadId);
        return entry != null && entry.offset() == offset ? entry.digest() : null;
    }

    synchronized void put(String uploadId, long offset, MessageDigest digest) {
        entries.put(uploadId, new Entry(offset, digest));
    }

    synchronized void forget(String uploadId) {
        entries.remove(uploadId);
    }
}

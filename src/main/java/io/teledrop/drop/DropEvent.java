package io.teledrop.drop;

import java.time.Instant;

/**
 * Something that happened to a drop, fired as a CDI event once it has committed: {@code file-added},
 * {@code file-deleted}, {@code download}, {@code drop-deleted} or {@code drop-expired}. {@code fileId}
 * and {@code fileName} are set for the file events only. {@code dropId} is the drop's identity, so that a
 * listener of one drop never hears a later drop that reuses its slug; it is not for clients.
 */
public record DropEvent(String dropId, String slug, String type, String fileId, String fileName, Instant at) {

    public static final String FILE_ADDED = "file-added";
    public static final String FILE_DELETED = "file-deleted";
    public static final String DOWNLOAD = "download";
    public static final String DROP_DELETED = "drop-deleted";
    public static final String DROP_EXPIRED = "drop-expired";

    /** Whether the drop is gone after this event (its listeners can stop). */
    public boolean ends() {
        return type.equals(DROP_DELETED) || type.equals(DROP_EXPIRED);
    }
}

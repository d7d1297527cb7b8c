package io.teledrop.drop;

import java.time.Instant;
import java.util.List;

/**
 * A drop as its callers see it: a snapshot, detached from persistence. {@code id} is its identity (a slug
 * can be reused after a drop is gone); it is for the server's own use and never shown to clients.
 * {@code createdBy} is its creator's display name (null when anonymous), for admins and the creator only.
 */
public record DropView(
        String id,
        String slug,
        String title,
        String description,
        Instant createdAt,
        Instant expiresAt,
        Integer maxDownloads,
        int downloadCount,
        boolean passwordProtected,
        List<FileView> files,
        String createdBy) {

    /** Every allowed download taken (only a counted copy's resumes may still be served). */
    public boolean downloadsUsedUp() {
        return maxDownloads != null && downloadCount >= maxDownloads;
    }

    public long totalSize() {
        return files.stream().mapToLong(FileView::size).sum();
    }

    /**
     * A file of a drop. {@code storageKey} is for the server's own use and is never shown to clients;
     * {@code missingSince} is set when reconciliation found its bytes gone.
     */
    public record FileView(String id, String name, long size, String contentType, String sha256, Instant createdAt, String storageKey,
                           Instant missingSince) {

        public boolean missing() {
            return missingSince != null;
        }
    }
}

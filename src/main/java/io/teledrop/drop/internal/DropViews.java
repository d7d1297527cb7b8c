package io.teledrop.drop.internal;

import io.teledrop.drop.Drop;
import io.teledrop.drop.DropView;
import io.teledrop.drop.StoredFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;

/**
 * Drops as callers see them ({@link DropView}). A bean of its own without interceptors: the metadata, the text
 * list and every download map a drop on each request, and a transactional bean's interceptor cost more than the
 * mapping. The drop's files must be loaded already (kept drops are fetched with them). Thread-safe.
 */
@ApplicationScoped
class DropViews {

    @Inject
    DownloadTally tally;

    DropView toView(Drop drop) {
        // Downloads of a limit-less drop counted but not yet written (DownloadTally) are shown already.
        int downloads = (int) Math.min(Integer.MAX_VALUE, drop.getDownloadCount() + tally.pending(drop.getSlug()));
        return new DropView(drop.getId(), drop.getSlug(), drop.getTitle(), drop.getDescription(), drop.getCreatedAt(), drop.getExpiresAt(),
                drop.getMaxDownloads(), downloads, drop.getPasswordHash() != null,
                // In position order whatever the query: a fetch join fills the list in the order of its rows, which
                // SQLite happened to give by position and PostgreSQL does not (@OrderBy applies to lazy loads only).
                drop.getFiles().stream().sorted(Comparator.comparingInt(StoredFile::getPosition))
                        .map(f -> new DropView.FileView(f.getId(), f.getOriginalName(), f.getSize(), f.getContentType(),
                                f.getSha256(), f.getCreatedAt(), f.getStorageKey(), f.getMissingSince()))
                        .toList(),
                drop.getOwnerName());
    }
}

package io.teledrop.drop.internal;

import io.teledrop.drop.Drop;
import io.teledrop.drop.DropChanges;
import io.teledrop.drop.SlugTakenException;
import io.teledrop.drop.StoredFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The write transactions of drops, each one short and write-first. SQLite (in WAL mode) cannot upgrade a
 * transaction that has read into one that writes once another writer got in between: it fails at once with
 * SQLITE_BUSY instead of waiting. So every method here starts with its INSERT, UPDATE or DELETE; the reads
 * and checks that decide whether to write happen before, outside any transaction, and the writes repeat
 * the deciding condition in their WHERE clause so that a concurrent change is detected, not overwritten.
 */
@ApplicationScoped
class DropWriter {

    @PersistenceContext(unitName = "teledrop")
    EntityManager em;

    @Inject
    Event<BlobsWritten> blobsWritten;

    @Inject
    Event<BlobsReleased> blobsReleased;

    /** Inserts a drop with its files; if the transaction fails, the files' blobs are deleted. */
    @Transactional
    void insert(Drop drop) {
        blobsWritten.fire(new BlobsWritten(drop.getFiles().stream().map(StoredFile::getStorageKey).toList()));
        try {
            em.persist(drop);
            em.flush();
        } catch (PersistenceException e) {
            if (DefaultDropService.isUniqueViolationOn(e, "slug")) {
                throw new SlugTakenException(drop.getSlug());
            }
            throw e;
        }
    }

    /** Appends files (already positioned) to a drop; if the transaction fails, their blobs are deleted. */
    @Transactional
    void insertFiles(List<StoredFile> files) {
        blobsWritten.fire(new BlobsWritten(files.stream().map(StoredFile::getStorageKey).toList()));
        for (StoredFile file : files) {
            em.persist(file);
        }
        em.flush();
    }

    /** Deletes a drop (its file rows follow by ON DELETE CASCADE); its blobs go after the commit. */
    @Transactional
    int delete(String dropId, List<String> storageKeys) {
        int deleted = em.createQuery("DELETE FROM Drop d WHERE d.id = :id").setParameter("id", dropId).executeUpdate();
        if (deleted == 1) {
            blobsReleased.fire(new BlobsReleased(storageKeys));
        }
        return deleted;
    }

    /** Adds counted downloads to drops without a limit (a drop deleted meanwhile is simply not there). */
    @Transactional
    void addDownloads(Map<String, Long> countsBySlug) {
        countsBySlug.forEach((slug, count) -> em.createNativeQuery("UPDATE drops SET download_count = download_count + ?"
                        + " WHERE slug = ? AND max_downloads IS NULL")
                .setParameter(1, count).setParameter(2, slug).executeUpdate());
    }

    /** Deletes one file of a drop; its blob goes after the commit. */
    @Transactional
    int deleteFile(String dropId, String fileId, String storageKey) {
        int deleted = em.createQuery("DELETE FROM StoredFile f WHERE f.id = :file AND f.drop.id = :drop")
                .setParameter("file", fileId).setParameter("drop", dropId).executeUpdate();
        if (deleted == 1) {
            blobsReleased.fire(new BlobsReleased(List.of(storageKey)));
        }
        return deleted;
    }

    /**
     * Applies the fields that {@code changes} sets; returns the number of drops changed (0 if it vanished).
     * Native SQL because the instant must be bound as the stored epoch milliseconds.
     */
    @Transactional
    int update(String dropId, DropChanges changes) {
        StringBuilder sql = new StringBuilder("UPDATE drops SET id = id");
        List<Object> values = new ArrayList<>();
        if (changes.title() != null) {
            sql.append(", title = ?");
            values.add(changes.title().orElse(null));
        }
        if (changes.description() != null) {
            sql.append(", description = ?");
            values.add(changes.description().orElse(null));
        }
        if (changes.expires() != null) {
            sql.append(", expires_at = ?");
            values.add(changes.expires().map(Instant::toEpochMilli).orElse(null));
        }
        Query update = em.createNativeQuery(sql.append(" WHERE id = ?").toString());
        values.add(dropId);
        for (int i = 0; i < values.size(); i++) {
            update.setParameter(i + 1, values.get(i));
        }
        return update.executeUpdate();
    }

    /** Replaces a drop's password hash, only if it is still {@code expected}; returns whether it did. */
    @Transactional
    int replacePasswordHash(String dropId, String expected, String replacement) {
        return em.createNativeQuery("UPDATE drops SET password_hash = ? WHERE id = ? AND password_hash = ?")
                .setParameter(1, replacement).setParameter(2, dropId).setParameter(3, expected).executeUpdate();
    }
}

package io.teledrop.drop.internal;

import io.teledrop.config.DataSize;
import io.teledrop.drop.Drop;
import io.teledrop.drop.DropChanges;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropTooLargeException;
import io.teledrop.drop.SlugTakenException;
import io.teledrop.drop.StoredFile;
import io.teledrop.drop.TooManyFilesException;
import io.teledrop.storage.Staging;
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
import java.util.TreeMap;

/**
 * The write transactions of drops, each one short and write-first. SQLite (in WAL mode) cannot upgrade a
 * transaction that has read into one that writes once another writer got in between: it fails at once with
 * SQLITE_BUSY instead of waiting. So every method here starts with its INSERT, UPDATE or DELETE; the reads
 * and checks that decide whether to write happen before, outside any transaction, and the writes repeat
 * the deciding condition in their WHERE clause so that a concurrent change is detected, not overwritten.
 * Limits are such conditions too: room in a drop is reserved by one conditional UPDATE of its row
 * ({@link #insertFiles}), never checked first and inserted after. On PostgreSQL (READ COMMITTED) the same
 * first statement locks the drop's row, and a conditional UPDATE waiting for it re-reads the row once the
 * other writer has committed; every write that touches a drop and its files or grants takes the drop's row
 * first, so they queue in one order and cannot deadlock.
 */
@ApplicationScoped
class DropWriter {

    @Inject
    Outbox outbox;

    @PersistenceContext(unitName = "teledrop")
    EntityManager em;

    @Inject
    Event<BlobsWritten> blobsWritten;

    @Inject
    Event<BlobsReleased> blobsReleased;

    @Inject
    Event<StagingsReleased> stagingsReleased;

    /**
     * Inserts a drop with its files, taking their staged blobs first thing: if the transaction fails, its
     * rollback observer deletes them.
     */
    @Transactional
    void insert(Drop drop, StagedBlobs staged) {
        staged.handOverTo(blobsWritten);
        persistNew(drop);
        outbox.created(drop, drop.getFiles());
    }

    /**
     * Persists a new drop in the caller's transaction, flushing at once so that a slug taken meanwhile is
     * {@link SlugTakenException} here rather than a failure at commit.
     */
    void persistNew(Drop drop) {
        try {
            em.persist(drop);
            em.flush();
        } catch (PersistenceException e) {
            if (SqlErrors.isUniqueViolationOn(e, "slug")) {
                throw new SlugTakenException(drop.getSlug());
            }
            throw e;
        }
    }

    /**
     * Appends staged files to a drop read earlier, if it has room for them; their blobs are taken first thing,
     * so if the transaction fails its rollback observer deletes them. Room is taken by one conditional UPDATE that
     * comes first: it reserves the files' count, bytes and positions on the drop's row, or matches nothing
     * when the drop is gone or full. Being the transaction's first statement it also takes SQLite's write
     * lock before anything is read (persisting a file that refers to a detached drop may make EclipseLink
     * check that the drop exists first), so a concurrent
     * addition waits for the busy timeout instead of failing with SQLITE_BUSY_SNAPSHOT; on PostgreSQL it
     * locks the drop's row, so additions to one drop queue there too.
     *
     * @return the rows inserted, in the order the files were staged
     * @throws DropNotFoundException  if the drop was deleted meanwhile
     * @throws TooManyFilesException  if the files would pass {@code maxFiles}
     * @throws DropTooLargeException if their bytes would pass {@code maxBytes}
     */
    @Transactional
    List<StoredFile> insertFiles(Drop drop, StagedBlobs staged, Instant now, int maxFiles, long maxBytes) {
        staged.handOverTo(blobsWritten);
        int count = staged.count();
        long bytes = staged.bytes();
        // The limits as "room left before these files": no sum in SQL that could overflow.
        int reserved = em.createNativeQuery("UPDATE drops SET file_count = file_count + ?, total_bytes = total_bytes + ?,"
                        + " next_position = next_position + ? WHERE id = ? AND file_count <= ? AND total_bytes <= ?")
                .setParameter(1, count).setParameter(2, bytes).setParameter(3, count).setParameter(4, drop.getId())
                .setParameter(5, maxFiles - count).setParameter(6, maxBytes - bytes)
                .executeUpdate();
        if (reserved == 0) {
            throw noRoom(em, drop, count, maxFiles, maxBytes);
        }
        int first = ((Number) em.createNativeQuery("SELECT next_position FROM drops WHERE id = ?")
                .setParameter(1, drop.getId()).getSingleResult()).intValue() - count;
        List<StoredFile> added = new ArrayList<>();
        for (StagedBlobs.Staged file : staged.files()) {
            StoredFile row = drop.newFileAt(first + added.size(), file.file().name(), file.key(), file.file().size(),
                    file.file().contentType(), file.file().sha256(), now);
            em.persist(row);
            added.add(row);
        }
        em.flush();
        outbox.filesAdded(drop.getSlug(), added);
        return added;
    }

    /** Why a reservation matched no row, read after the UPDATE (so under the write lock it took). */
    static RuntimeException noRoom(EntityManager em, Drop drop, int count, int maxFiles, long maxBytes) {
        List<?> fileCount = em.createNativeQuery("SELECT file_count FROM drops WHERE id = ?")
                .setParameter(1, drop.getId()).getResultList();
        if (fileCount.isEmpty()) {
            return new DropNotFoundException("The drop '" + drop.getSlug() + "'");
        }
        if (((Number) fileCount.get(0)).longValue() + count > maxFiles) {
            return new TooManyFilesException(maxFiles);
        }
        return new DropTooLargeException(DataSize.format(maxBytes));
    }

    /**
     * Deletes a drop (its file rows follow by ON DELETE CASCADE); the blobs of the files it had at that moment
     * go after the commit. Write first: a no-op UPDATE takes the write lock (SQLite) or the row lock
     * (PostgreSQL) before the file list is read, so a file added concurrently is either in that list or its
     * addition finds the drop gone, and no blob is left without an owner.
     *
     * @return 1 if this call deleted the drop, 0 if it was gone already
     */
    @Transactional
    int delete(String dropId, String slug, boolean expired, String reason) {
        if (em.createNativeQuery("UPDATE drops SET file_count = file_count WHERE id = ?").setParameter(1, dropId).executeUpdate() == 0) {
            return 0;
        }
        List<String> storageKeys = new ArrayList<>();
        for (Object key : em.createNativeQuery("SELECT storage_key FROM stored_files WHERE drop_id = ?").setParameter(1, dropId).getResultList()) {
            storageKeys.add((String) key);
        }
        // Uploads still arriving go with the drop (ON DELETE CASCADE): their quota now, their bytes after the commit.
        List<Staging> stagings = new ArrayList<>();
        for (Object row : em.createNativeQuery("SELECT storage_key, upload_offset, storage_handle, client FROM resumable_uploads"
                + " WHERE drop_id = ? AND file_id IS NULL").setParameter(1, dropId).getResultList()) {
            Object[] upload = (Object[]) row;
            stagings.add(new Staging((String) upload[0], ((Number) upload[1]).longValue(), (String) upload[2]));
            ResumableWriter.giveBackQuota(em, (String) upload[3]);
        }
        int deleted = em.createQuery("DELETE FROM Drop d WHERE d.id = :id").setParameter("id", dropId).executeUpdate();
        if (deleted == 1) {
            blobsReleased.fire(new BlobsReleased(storageKeys));
            stagingsReleased.fire(new StagingsReleased(stagings));
            outbox.ended(slug, expired, reason);
        }
        return deleted;
    }

    /**
     * Adds counted downloads to drops without a limit (a drop deleted meanwhile is simply not there), in the
     * order of their slugs, so that two servers flushing at once lock the rows in one order (PostgreSQL).
     */
    @Transactional
    void addDownloads(Map<String, Long> countsBySlug) {
        new TreeMap<>(countsBySlug).forEach((slug, count) -> em.createNativeQuery("UPDATE drops SET download_count = download_count + ?"
                        + " WHERE slug = ? AND max_downloads IS NULL")
                .setParameter(1, count).setParameter(2, slug).executeUpdate());
    }

    /**
     * Deletes one file of a drop and gives its room back; its blob goes after the commit. A no-op UPDATE of the
     * drop's row comes first, as in every write of a drop's files: on PostgreSQL that row lock is what orders
     * the writers of one drop, and taking the file's row before it would deadlock with a deletion of the drop
     * (which holds the drop's row and cascades to the file) or a download slot (which holds the drop's row and
     * refers to the file). Then the DELETE decides: of concurrent deletions of one file exactly one finds the row.
     *
     * @return 1 if this call deleted the file, 0 if it (or its drop) was gone already
     */
    @Transactional
    int deleteFile(Drop drop, StoredFile file) {
        String dropId = drop.getId();
        String fileId = file.getId();
        long size = file.getSize();
        String storageKey = file.getStorageKey();
        if (em.createNativeQuery("UPDATE drops SET file_count = file_count WHERE id = ?").setParameter(1, dropId).executeUpdate() == 0) {
            return 0;
        }
        int deleted = em.createQuery("DELETE FROM StoredFile f WHERE f.id = :file AND f.drop.id = :drop")
                .setParameter("file", fileId).setParameter("drop", dropId).executeUpdate();
        if (deleted == 1) {
            em.createNativeQuery("UPDATE drops SET file_count = file_count - 1, total_bytes = total_bytes - ? WHERE id = ?")
                    .setParameter(1, size).setParameter(2, dropId).executeUpdate();
            blobsReleased.fire(new BlobsReleased(List.of(storageKey)));
            outbox.fileDeleted(drop.getSlug(), file);
        }
        return deleted;
    }

    /**
     * Applies the fields that {@code changes} sets; returns the number of drops changed (0 if it vanished).
     * Native SQL because the instant must be bound as the stored epoch milliseconds. The expiry's parameter
     * is cast: EclipseLink binds a null without a type as VARCHAR, which PostgreSQL will not put in a BIGINT.
     */
    @Transactional
    int update(Drop drop, DropChanges changes) {
        String dropId = drop.getId();
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
            sql.append(", expires_at = CAST(? AS BIGINT)");
            values.add(changes.expires().map(Instant::toEpochMilli).orElse(null));
        }
        Query update = em.createNativeQuery(sql.append(" WHERE id = ?").toString());
        values.add(dropId);
        for (int i = 0; i < values.size(); i++) {
            update.setParameter(i + 1, values.get(i));
        }
        int updated = update.executeUpdate();
        if (updated == 1) {
            outbox.updated(drop.getSlug(), changes.title() == null ? drop.getTitle() : changes.title().orElse(null),
                    changes.description() == null ? drop.getDescription() : changes.description().orElse(null),
                    changes.expires() == null ? drop.getExpiresAt() : changes.expires().orElse(null));
        }
        return updated;
    }

    /** Replaces a drop's password hash, only if it is still {@code expected}; returns whether it did. */
    @Transactional
    int replacePasswordHash(String dropId, String expected, String replacement) {
        return em.createNativeQuery("UPDATE drops SET password_hash = ? WHERE id = ? AND password_hash = ?")
                .setParameter(1, replacement).setParameter(2, dropId).setParameter(3, expected).executeUpdate();
    }
}

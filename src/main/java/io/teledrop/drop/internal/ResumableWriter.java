package io.teledrop.drop.internal;

import io.teledrop.drop.Drop;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropTooLargeException;
import io.teledrop.drop.FileNames;
import io.teledrop.config.DataSize;
import io.teledrop.drop.StoredFile;
import io.teledrop.drop.TooManyUploadsException;
import io.teledrop.drop.UploadLockedException;
import io.teledrop.storage.Staging;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The transactions of resumable uploads, write-first like {@link DropWriter}'s (the reasons are there). Every
 * change to an upload's bytes is bound to the request that claimed it: a claim sets {@code lock_owner} with
 * one conditional UPDATE that also requires the client's offset, so of two racing appends one wins, and each
 * later write of the owner repeats the claim in its WHERE clause, so a request that lost its claim (it stalled
 * past {@code lock_until} and another took over) changes nothing.
 */
// Unannotated methods read in a transaction, the caller's or their own (why: ReadTransaction); one they join is not doomed by an exception they let pass.
@Transactional(dontRollbackOn = RuntimeException.class)
@ApplicationScoped
class ResumableWriter {

    /** The counter of everyone's incomplete uploads in resumable_quota; no client hash (64 hex digits) is this. */
    static final String EVERYONE = "*";

    private static final String COLUMNS = "u.id, u.drop_id, d.slug, u.position, u.file_name, u.upload_length, u.upload_offset,"
            + " u.content_type, u.storage_key, u.storage_handle, u.client, u.created_at, u.expires_at, u.lock_owner, u.lock_until, u.file_id, u.metadata,"
            + " u.presigned_owner, u.expected_sha256";

    @Inject
    Outbox outbox;

    @PersistenceContext(unitName = "teledrop")
    EntityManager em;

    @Inject
    Event<StagingsReleased> stagingsReleased;

    @Inject
    DropWriter dropWriter;

    /** An upload's row, with its drop's slug. */
    record UploadRow(String id, String dropId, String slug, int position, String fileName, Long length, long offset, String contentType,
                     Staging staging, String client, Instant created, Instant expires, String lockOwner, Long lockUntil, String fileId,
                     String metadata, Presigned presigned) {

        boolean complete() {
            return fileId != null;
        }

        boolean lengthReached() {
            return length != null && offset == length;
        }
    }

    /**
     * What marks a presigned upload (whose client sends its bytes to S3 itself).
     *
     * @param owner  SHA-256 of the identity that created it: only that identity may complete or cancel it
     * @param sha256 the SHA-256 the client declared (lower-case hex), or null
     */
    record Presigned(String owner, String sha256) {
    }

    Optional<UploadRow> find(String id) {
        List<?> rows = em.createNativeQuery("SELECT " + COLUMNS + " FROM resumable_uploads u JOIN drops d ON d.id = u.drop_id WHERE u.id = ?")
                .setParameter(1, id).getResultList();
        return rows.stream().findFirst().map(r -> toRow((Object[]) r));
    }

    /** Incomplete uploads past their expiry and not being appended to at {@code now}: the sweep's candidates. */
    List<UploadRow> expired(Instant now, int limit) {
        List<UploadRow> rows = new ArrayList<>();
        for (Object row : em.createNativeQuery("SELECT " + COLUMNS + " FROM resumable_uploads u JOIN drops d ON d.id = u.drop_id"
                        + " WHERE u.expires_at < ? AND (u.lock_owner IS NULL OR u.lock_until < ?)")
                .setParameter(1, now.toEpochMilli()).setParameter(2, now.toEpochMilli()).setMaxResults(limit).getResultList()) {
            rows.add(toRow((Object[]) row));
        }
        return rows;
    }

    /** The storage keys of every upload still in the database, complete or not: reconciliation must keep their bytes. */
    List<String> storageKeys() {
        List<String> keys = new ArrayList<>();
        for (Object key : em.createNativeQuery("SELECT storage_key FROM resumable_uploads").getResultList()) {
            keys.add((String) key);
        }
        return keys;
    }

    private static UploadRow toRow(Object[] r) {
        return new UploadRow((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).intValue(), (String) r[4],
                r[5] == null ? null : ((Number) r[5]).longValue(), ((Number) r[6]).longValue(), (String) r[7],
                new Staging((String) r[8], ((Number) r[6]).longValue(), (String) r[9]), (String) r[10],
                Instant.ofEpochMilli(((Number) r[11]).longValue()), Instant.ofEpochMilli(((Number) r[12]).longValue()),
                (String) r[13], r[14] == null ? null : ((Number) r[14]).longValue(), (String) r[15], (String) r[16],
                r[17] == null ? null : new Presigned((String) r[17], (String) r[18]));
    }

    /**
     * Creates a drop whose first file is the upload's, its place (one file, the known length, position 0)
     * reserved on the drop's row from the start.
     */
    @Transactional
    void insertWithNewDrop(Drop drop, UploadRow upload, int maxPerClient, int maxTotal) {
        takeQuota(upload.client(), maxPerClient, maxTotal);
        drop.reserveFile(upload.length() == null ? 0 : upload.length());
        dropWriter.persistNew(drop);
        insertRow(upload, 0);
        outbox.created(drop, List.of());
    }

    /**
     * Adds the upload to an existing drop if it has room for one more file (and the length, when known):
     * the reservation is the same conditional UPDATE that {@link DropWriter#insertFiles} makes.
     *
     * @return the position the file will have
     */
    @Transactional
    int insertIntoDrop(Drop drop, UploadRow upload, int maxFiles, long maxBytes, int maxPerClient, int maxTotal) {
        long bytes = upload.length() == null ? 0 : upload.length();
        int reserved = em.createNativeQuery("UPDATE drops SET file_count = file_count + 1, total_bytes = total_bytes + ?,"
                        + " next_position = next_position + 1 WHERE id = ? AND file_count <= ? AND total_bytes <= ?")
                .setParameter(1, bytes).setParameter(2, drop.getId()).setParameter(3, maxFiles - 1).setParameter(4, maxBytes - bytes)
                .executeUpdate();
        if (reserved == 0) {
            throw DropWriter.noRoom(em, drop, 1, maxFiles, maxBytes);
        }
        takeQuota(upload.client(), maxPerClient, maxTotal);
        int position = ((Number) em.createNativeQuery("SELECT next_position FROM drops WHERE id = ?")
                .setParameter(1, drop.getId()).getSingleResult()).intValue() - 1;
        insertRow(upload, position);
        return position;
    }

    private void insertRow(UploadRow upload, int position) {
        em.createNativeQuery("INSERT INTO resumable_uploads (id, drop_id, position, file_name, upload_length, upload_offset, content_type,"
                        + " storage_key, storage_handle, client, created_at, expires_at, metadata, presigned_owner, expected_sha256)"
                        + " VALUES (?, ?, ?, ?, CAST(? AS BIGINT), 0, NULL, ?, ?, ?, ?, ?, ?, ?, ?)")
                .setParameter(1, upload.id()).setParameter(2, upload.dropId()).setParameter(3, position).setParameter(4, upload.fileName())
                .setParameter(5, upload.length()).setParameter(6, upload.staging().key()).setParameter(7, upload.staging().handle())
                .setParameter(8, upload.client()).setParameter(9, upload.created().toEpochMilli()).setParameter(10, upload.expires().toEpochMilli())
                .setParameter(11, upload.metadata()).setParameter(12, upload.presigned() == null ? null : upload.presigned().owner())
                .setParameter(13, upload.presigned() == null ? null : upload.presigned().sha256()).executeUpdate();
    }

    /** One more incomplete upload for the client and for everyone, or neither. */
    private void takeQuota(String client, int maxPerClient, int maxTotal) {
        if (take(EVERYONE, maxTotal) == 0) {
            throw new TooManyUploadsException("The server holds " + maxTotal + " incomplete uploads, as many as it takes; try again later.");
        }
        if (take(client, maxPerClient) == 0) {
            throw new TooManyUploadsException("You have " + maxPerClient + " incomplete uploads, as many as one client may hold;"
                    + " finish or cancel some first.");
        }
    }

    private int take(String client, int limit) {
        return em.createNativeQuery("INSERT INTO resumable_quota (client, uploads) VALUES (?, 1) ON CONFLICT (client)"
                        + " DO UPDATE SET uploads = resumable_quota.uploads + 1 WHERE resumable_quota.uploads < ?")
                .setParameter(1, client).setParameter(2, limit).executeUpdate();
    }

    /**
     * One incomplete upload less for the client and for everyone, in the caller's transaction. Static, like
     * {@link DropWriter#noRoom}, so that {@link DropWriter#delete} uses it without the two writers injecting each other.
     */
    static void giveBackQuota(EntityManager em, String client) {
        for (String holder : List.of(EVERYONE, client)) {
            em.createNativeQuery("UPDATE resumable_quota SET uploads = uploads - 1 WHERE client = ? AND uploads > 0")
                    .setParameter(1, holder).executeUpdate();
        }
        // A client's row goes when it holds nothing (a take racing this finds no row and inserts one).
        em.createNativeQuery("DELETE FROM resumable_quota WHERE client = ? AND uploads = 0").setParameter(1, client).executeUpdate();
    }

    /**
     * Claims the upload for one appending request, if it is still at the offset of {@code row}, incomplete, not
     * expired and not claimed by a request that is still alive (whose claim runs until {@code lock_until}).
     * The columns that can change while the offset stays (another request may set the length, or renew the
     * expiry, and keep no byte) come back from the claim's UPDATE itself: no second read is needed.
     *
     * @return the upload as claimed, or empty if this request does not hold the claim
     */
    @Transactional
    Optional<UploadRow> claim(UploadRow row, String owner, Instant now, Instant until) {
        List<?> claimed = em.createNativeQuery("UPDATE resumable_uploads SET lock_owner = ?, lock_until = ? WHERE id = ? AND upload_offset = ?"
                        + " AND file_id IS NULL AND expires_at > ? AND (lock_owner IS NULL OR lock_until < ?)"
                        + " RETURNING upload_length, content_type, storage_handle, expires_at")
                .setParameter(1, owner).setParameter(2, until.toEpochMilli()).setParameter(3, row.id()).setParameter(4, row.offset())
                .setParameter(5, now.toEpochMilli()).setParameter(6, now.toEpochMilli()).getResultList();
        return claimed.stream().findFirst().map(r -> {
            Object[] c = (Object[]) r;
            // The other columns never change after the insert (the slug is the drop's, which keeps it).
            return new UploadRow(row.id(), row.dropId(), row.slug(), row.position(), row.fileName(), c[0] == null ? null : ((Number) c[0]).longValue(),
                    row.offset(), (String) c[1], new Staging(row.staging().key(), row.offset(), (String) c[2]), row.client(), row.created(),
                    Instant.ofEpochMilli(((Number) c[3]).longValue()), owner, until.toEpochMilli(), null, row.metadata(), row.presigned());
        });
    }

    /**
     * Records durable progress of the claimed upload and renews the claim.
     *
     * @return false if the request lost its claim (then nothing was recorded)
     */
    @Transactional
    boolean progress(String id, String owner, Staging staging, Instant until) {
        return em.createNativeQuery("UPDATE resumable_uploads SET upload_offset = ?, storage_handle = ?, lock_until = ? WHERE id = ? AND lock_owner = ?")
                .setParameter(1, staging.size()).setParameter(2, staging.handle()).setParameter(3, until.toEpochMilli())
                .setParameter(4, id).setParameter(5, owner).executeUpdate() == 1;
    }

    /** Extends the claim of a request whose bytes are still flowing; false if it was lost. */
    @Transactional
    boolean renew(String id, String owner, Instant until) {
        return em.createNativeQuery("UPDATE resumable_uploads SET lock_until = ? WHERE id = ? AND lock_owner = ?")
                .setParameter(1, until.toEpochMilli()).setParameter(2, id).setParameter(3, owner).executeUpdate() == 1;
    }

    /** Records where the claimed upload stands after an append, and lets go of it. */
    @Transactional
    boolean release(String id, String owner, Staging staging, String contentType, Instant expires) {
        return em.createNativeQuery("UPDATE resumable_uploads SET upload_offset = ?, storage_handle = ?, content_type = COALESCE(?, content_type),"
                        + " expires_at = ?, lock_owner = NULL, lock_until = NULL WHERE id = ? AND lock_owner = ?")
                .setParameter(1, staging.size()).setParameter(2, staging.handle()).setParameter(3, contentType)
                .setParameter(4, expires.toEpochMilli()).setParameter(5, id).setParameter(6, owner).executeUpdate() == 1;
    }

    /** Lets go of a claim without recording anything (the append failed before it kept a byte). */
    @Transactional
    void unlock(String id, String owner) {
        em.createNativeQuery("UPDATE resumable_uploads SET lock_owner = NULL, lock_until = NULL WHERE id = ? AND lock_owner = ?")
                .setParameter(1, id).setParameter(2, owner).executeUpdate();
    }

    /**
     * Sets the length of a claimed upload whose length was unknown, reserving its bytes in the drop first.
     *
     * @throws DropTooLargeException if the drop has no room for them
     */
    @Transactional
    void setLength(UploadRow upload, String owner, long length, long maxBytes) {
        int reserved = em.createNativeQuery("UPDATE drops SET total_bytes = total_bytes + ? WHERE id = ? AND total_bytes <= ?")
                .setParameter(1, length).setParameter(2, upload.dropId()).setParameter(3, maxBytes - length).executeUpdate();
        if (reserved == 0) {
            throw new DropTooLargeException(DataSize.format(maxBytes));
        }
        int set = em.createNativeQuery("UPDATE resumable_uploads SET upload_length = ? WHERE id = ? AND lock_owner = ? AND upload_length IS NULL")
                .setParameter(1, length).setParameter(2, upload.id()).setParameter(3, owner).executeUpdate();
        if (set == 0) {
            throw new UploadLockedException("Another request took over this upload, or set its length, meanwhile.");
        }
    }

    /**
     * Records the finished file at the place its upload reserved. Its blob needs no rollback observer: until
     * this commits, the upload's row owns the key (reconciliation keeps it, a later request completes the
     * upload again, a cancellation removes it), and after, the file's row does. The upload's row stays, marked
     * with the file, until it expires: a client that missed the last answer asks again and learns that its
     * upload is complete instead of starting over.
     *
     * @return the file's row
     * @throws DropNotFoundException if the drop was deleted meanwhile
     */
    @Transactional
    StoredFile finish(UploadRow upload, String owner, long size, String contentType, String sha256, Instant now, Instant keepUntil) {
        if (em.createNativeQuery("UPDATE drops SET total_bytes = total_bytes + ? WHERE id = ?")
                .setParameter(1, upload.length() == null ? size : 0).setParameter(2, upload.dropId()).executeUpdate() == 0) {
            throw new DropNotFoundException("The drop '" + upload.slug() + "'");
        }
        Drop drop = em.getReference(Drop.class, upload.dropId());
        StoredFile file = drop.newFileAt(upload.position(), FileNames.sanitize(upload.fileName()), upload.staging().key(), size,
                contentType, sha256, now);
        int marked = em.createNativeQuery("UPDATE resumable_uploads SET file_id = ?, upload_offset = ?, upload_length = ?, content_type = ?,"
                        + " lock_owner = NULL, lock_until = NULL, expires_at = ? WHERE id = ? AND lock_owner = ? AND file_id IS NULL")
                .setParameter(1, file.getId()).setParameter(2, size).setParameter(3, size).setParameter(4, contentType)
                .setParameter(5, keepUntil.toEpochMilli()).setParameter(6, upload.id()).setParameter(7, owner).executeUpdate();
        if (marked == 0) {
            throw new UploadLockedException("Another request took over this upload while this one finished it.");
        }
        em.persist(file);
        em.flush();
        giveBackQuota(em, upload.client());
        outbox.filesAdded(upload.slug(), List.of(file));
        return file;
    }

    /**
     * Removes an incomplete upload that nobody is appending to (or that {@code owner} holds), giving back
     * its place in the drop and its quota; its staged bytes go after the commit. A drop left with no file, no
     * other upload and nothing ever stored goes too: it was made for this upload.
     *
     * @return whether the upload was removed, and whether its drop went with it
     */
    @Transactional
    Removal remove(UploadRow upload, String owner, Instant now, boolean expired) {
        if (em.createNativeQuery("UPDATE drops SET file_count = file_count WHERE id = ?").setParameter(1, upload.dropId()).executeUpdate() == 0) {
            return new Removal(false, false); // the drop's deletion removed the upload and its bytes
        }
        // Read under the drop's lock: a length set since the caller read the row is given back too.
        List<?> lengths = em.createNativeQuery("SELECT upload_length FROM resumable_uploads WHERE id = ? AND file_id IS NULL")
                .setParameter(1, upload.id()).getResultList();
        if (lengths.isEmpty()) {
            return new Removal(false, false);
        }
        long reserved = lengths.get(0) == null ? 0 : ((Number) lengths.get(0)).longValue();
        int removed = em.createNativeQuery("DELETE FROM resumable_uploads WHERE id = ? AND file_id IS NULL"
                        + " AND (lock_owner IS NULL OR lock_until < ? OR lock_owner = ?)")
                .setParameter(1, upload.id()).setParameter(2, now.toEpochMilli()).setParameter(3, owner == null ? "" : owner).executeUpdate();
        if (removed == 0) {
            return new Removal(false, false);
        }
        em.createNativeQuery("UPDATE drops SET file_count = file_count - 1, total_bytes = total_bytes - ? WHERE id = ?")
                .setParameter(1, reserved).setParameter(2, upload.dropId()).executeUpdate();
        giveBackQuota(em, upload.client());
        stagingsReleased.fire(new StagingsReleased(List.of(upload.staging())));
        int dropRemoved = em.createNativeQuery("DELETE FROM drops WHERE id = ? AND file_count = 0"
                        + " AND NOT EXISTS (SELECT 1 FROM stored_files f WHERE f.drop_id = drops.id)"
                        + " AND NOT EXISTS (SELECT 1 FROM resumable_uploads u WHERE u.drop_id = drops.id)")
                .setParameter(1, upload.dropId()).executeUpdate();
        if (dropRemoved == 1) {
            outbox.ended(upload.slug(), expired, expired ? "upload expired" : "upload cancelled");
        }
        return new Removal(true, dropRemoved == 1);
    }

    record Removal(boolean uploadRemoved, boolean dropRemoved) {
    }

    /** Removes upload rows of finished files once they are past keeping. */
    @Transactional
    int purgeFinished(Instant now) {
        return em.createNativeQuery("DELETE FROM resumable_uploads WHERE file_id IS NOT NULL AND expires_at < ?")
                .setParameter(1, now.toEpochMilli()).executeUpdate();
    }
}

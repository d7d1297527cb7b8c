package io.teledrop.drop.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Download slots and grants of drops with a download limit, in the database (STYLE §3a): each method is one
 * short transaction whose first statement writes (SQLite's write lock; on PostgreSQL the row it updates,
 * the drop's row before a grant's when it takes both), and every limit is the WHERE clause of the statement
 * that takes it, so parallel requests on any node can never overshoot it.
 */
// Unannotated methods read in a transaction, the caller's or their own (why: ReadTransaction); one they join is not doomed by an exception they let pass.
@Transactional(dontRollbackOn = RuntimeException.class)
@ApplicationScoped
class DownloadGrants {

    @PersistenceContext(unitName = "teledrop")
    EntityManager em;

    /** Open grants of {@code client} for a file with room for {@code bytes} more, oldest first. */
    @SuppressWarnings("unchecked")
    List<String> candidates(String fileId, String client, long bytes, Instant now) {
        return em.createNativeQuery("SELECT id FROM download_grants WHERE file_id = ? AND client = ? AND expires_at > ?"
                        + " AND budget - bytes_sent >= ? ORDER BY created_at")
                .setParameter(1, fileId).setParameter(2, client).setParameter(3, now.toEpochMilli()).setParameter(4, bytes)
                .getResultList().stream().map(String::valueOf).toList();
    }

    /** Draws {@code bytes} from a grant if it is still open and has room; whether it did. */
    @Transactional
    boolean draw(String grantId, long bytes, Instant now) {
        return em.createNativeQuery("UPDATE download_grants SET bytes_sent = bytes_sent + ?"
                        + " WHERE id = ? AND expires_at > ? AND bytes_sent + ? <= budget")
                .setParameter(1, bytes).setParameter(2, grantId).setParameter(3, now.toEpochMilli()).setParameter(4, bytes)
                .executeUpdate() == 1;
    }

    /**
     * Takes one of the drop's download slots and, for a file ({@code grantId} not null), opens that grant
     * holding {@code bytes} of its {@code budget}. Returns false, writing nothing, if every slot is taken or
     * the drop expired (no exception: that would roll back, and be logged as an incident, under load).
     */
    @Transactional
    boolean takeSlot(String dropId, String grantId, String fileId, String client, long budget, long bytes, Instant now, Instant grantExpires) {
        int taken = em.createNativeQuery("UPDATE drops SET download_count = download_count + 1 WHERE id = ?"
                        + " AND max_downloads IS NOT NULL AND download_count < max_downloads AND (expires_at IS NULL OR expires_at > ?)")
                .setParameter(1, dropId).setParameter(2, now.toEpochMilli()).executeUpdate();
        if (taken == 0) {
            return false;
        }
        if (grantId != null) {
            em.createNativeQuery("INSERT INTO download_grants (id, drop_id, file_id, client, budget, bytes_sent, created_at, expires_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .setParameter(1, grantId).setParameter(2, dropId).setParameter(3, fileId).setParameter(4, client)
                    .setParameter(5, budget).setParameter(6, bytes).setParameter(7, now.toEpochMilli()).setParameter(8, grantExpires.toEpochMilli())
                    .executeUpdate();
        }
        return true;
    }

    /** Gives back what a transfer reserved but did not send. */
    @Transactional
    void refund(String grantId, long bytes) {
        em.createNativeQuery("UPDATE download_grants SET bytes_sent = bytes_sent - ? WHERE id = ? AND bytes_sent >= ?")
                .setParameter(1, bytes).setParameter(2, grantId).setParameter(3, bytes).executeUpdate();
    }

    /**
     * Shortens the grant of a copy that went out whole to {@code until}: the server wrote every byte, but the
     * last of them may still have been lost with the connection, so a resume stays possible for a short while.
     */
    @Transactional
    void shorten(String grantId, Instant until) {
        em.createNativeQuery("UPDATE download_grants SET expires_at = ? WHERE id = ? AND expires_at > ?")
                .setParameter(1, until.toEpochMilli()).setParameter(2, grantId).setParameter(3, until.toEpochMilli()).executeUpdate();
    }

    /**
     * Gives a slot back (a counted transfer that sent nothing), with its grant if it has one. The drop's row
     * first, as in {@link #takeSlot}: a deletion of the drop holds that row and then cascades to the grant, so
     * taking the grant's row first could deadlock with it on PostgreSQL.
     */
    @Transactional
    void releaseSlot(String dropId, String grantId) {
        if (em.createNativeQuery("UPDATE drops SET download_count = download_count WHERE id = ?").setParameter(1, dropId).executeUpdate() == 0) {
            return; // the drop is gone, and its grants with it
        }
        if (grantId != null && em.createNativeQuery("DELETE FROM download_grants WHERE id = ?").setParameter(1, grantId).executeUpdate() == 0) {
            return; // already gone with its file
        }
        em.createNativeQuery("UPDATE drops SET download_count = download_count - 1 WHERE id = ? AND download_count > 0")
                .setParameter(1, dropId).executeUpdate();
    }

    /** Whether a grant of the drop may still be drawn on (a used-up drop stays until none can). */
    boolean anyOpen(String dropId, Instant now) {
        return !em.createNativeQuery("SELECT id FROM download_grants WHERE drop_id = ? AND expires_at > ? AND bytes_sent < budget")
                .setParameter(1, dropId).setParameter(2, now.toEpochMilli()).setMaxResults(1).getResultList().isEmpty();
    }

    /** Deletes grants that can no longer be drawn on; returns how many. */
    @Transactional
    int purgeClosed(Instant now) {
        return em.createNativeQuery("DELETE FROM download_grants WHERE expires_at <= ?").setParameter(1, now.toEpochMilli()).executeUpdate();
    }
}

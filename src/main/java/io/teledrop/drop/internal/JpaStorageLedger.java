package io.teledrop.drop.internal;

import io.teledrop.drop.StorageLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The ledger read straight from {@code stored_files}: reads outside transactions, presence marks in short ones. */
// Unannotated methods read in a transaction, the caller's or their own (why: ReadTransaction); one they join is not doomed by an exception they let pass.
@Transactional(dontRollbackOn = RuntimeException.class)
@ApplicationScoped
public class JpaStorageLedger implements StorageLedger {

    /** SQLite allows 999 bound parameters in older builds; stay well below. */
    private static final int BATCH = 500;

    @PersistenceContext(unitName = "teledrop")
    EntityManager em;

    @Override
    public Set<String> recorded(Collection<String> keys) {
        Set<String> found = new HashSet<>();
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            found.addAll(em.createQuery("SELECT f.storageKey FROM StoredFile f WHERE f.storageKey IN :keys", String.class)
                    .setParameter("keys", batch).getResultList());
        }
        // A finished upload's blob exists a moment before its file row: its upload's row holds the key meanwhile.
        Set<String> staging = stagingKeys();
        all.stream().filter(staging::contains).forEach(found::add);
        return found;
    }

    @Override
    public Set<String> stagingKeys() {
        Set<String> keys = new HashSet<>();
        for (Object key : em.createNativeQuery("SELECT storage_key FROM resumable_uploads").getResultList()) {
            keys.add((String) key);
        }
        return keys;
    }

    @Override
    @Transactional
    public void recordPresence(Collection<String> newlyMissing, Collection<String> back, Instant now) {
        // Updates only, no read first: SQLite cannot upgrade a read lock under contention (see README, Database).
        // One statement per file: these lists hold only changes, which are rare.
        for (String id : newlyMissing) {
            em.createNativeQuery("UPDATE stored_files SET missing_since = ? WHERE id = ? AND missing_since IS NULL")
                    .setParameter(1, now.toEpochMilli()).setParameter(2, id).executeUpdate();
        }
        for (String id : back) {
            em.createNativeQuery("UPDATE stored_files SET missing_since = NULL WHERE id = ?").setParameter(1, id).executeUpdate();
        }
    }

    @Override
    public Totals totals() {
        long drops = em.createQuery("SELECT COUNT(d) FROM Drop d", Long.class).getSingleResult();
        Object[] files = em.createQuery("SELECT COUNT(f), COALESCE(SUM(f.size), 0) FROM StoredFile f", Object[].class).getSingleResult();
        return new Totals(drops, ((Number) files[0]).longValue(), ((Number) files[1]).longValue());
    }

    @Override
    public long missingCount() {
        return em.createQuery("SELECT COUNT(f) FROM StoredFile f WHERE f.missingSince IS NOT NULL", Long.class).getSingleResult();
    }

    @Override
    public List<FileRef> files(String afterId, int limit) {
        return em.createQuery("SELECT f.id, f.drop.slug, f.storageKey, f.missingSince FROM StoredFile f WHERE f.id > :after ORDER BY f.id", Object[].class)
                .setParameter("after", afterId == null ? "" : afterId).setMaxResults(limit).getResultStream()
                .map(row -> new FileRef((String) row[0], (String) row[1], (String) row[2], row[3] != null)).toList();
    }
}

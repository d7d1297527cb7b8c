package io.teledrop.drop;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/** What the database says about storage keys, for reconciling the blob store with it. */
public interface StorageLedger {

    /** Of {@code keys}, those that a stored file row or a resumable upload (complete or not) refers to. */
    Set<String> recorded(Collection<String> keys);

    /** The storage keys of every resumable upload in the database: their stagings are alive. */
    Set<String> stagingKeys();

    /** A page of file rows by id, after {@code afterId} (null: from the start). */
    List<FileRef> files(String afterId, int limit);

    /**
     * Records what a reconciliation run found: the files {@code newlyMissing} have lost their blob (marked
     * from {@code now}); the files {@code back} have it again (their mark is cleared, e.g. after a restore).
     */
    void recordPresence(Collection<String> newlyMissing, Collection<String> back, java.time.Instant now);

    /** How many files are marked as missing their bytes. */
    long missingCount();

    /** How much is stored: drops, files and the files' bytes. */
    Totals totals();

    /** Counts of what the database holds. */
    record Totals(long drops, long files, long bytes) {
    }

    /** A file row: which drop, which blob, and whether it is marked as missing its blob. */
    record FileRef(String id, String slug, String storageKey, boolean markedMissing) {
    }
}

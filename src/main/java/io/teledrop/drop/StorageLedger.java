package io.teledrop.drop;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/** What the database says about storage keys, for reconciling the blob store with it. */
public interface StorageLedger {

    /** Of {@code keys}, those that a stored file row refers to. */
    Set<String> recorded(Collection<String> keys);

    /** A page of file rows by id, after {@code afterId} (null: from the start). */
    List<FileRef> files(String afterId, int limit);

    /** A file row: which drop, which blob. */
    record FileRef(String id, String slug, String storageKey) {
    }
}

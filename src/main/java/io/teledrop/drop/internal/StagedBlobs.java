package io.teledrop.drop.internal;

import io.teledrop.drop.StagedFile;
import jakarta.enterprise.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The blobs an upload session has stored, and who owns them: the session, until the writer's transaction
 * takes them with {@link #handOverTo}. From then on the rollback observer of {@link BlobsWritten} is the one
 * that removes them, should the transaction fail. Not thread-safe: one request's.
 */
final class StagedBlobs {

    /** A staged file with the key of its blob. */
    record Staged(StagedFile file, String key) {
    }

    private final List<Staged> files = new ArrayList<>();
    private boolean handedOver;

    void add(StagedFile file, String key) {
        if (handedOver) {
            throw new IllegalStateException("the blobs were handed over; no more files may join them");
        }
        files.add(new Staged(file, key));
    }

    List<Staged> files() {
        return List.copyOf(files);
    }

    int count() {
        return files.size();
    }

    long bytes() {
        return files.stream().mapToLong(f -> f.file().size()).sum();
    }

    List<String> keys() {
        return files.stream().map(Staged::key).toList();
    }

    /**
     * Gives the blobs to the transaction this is called in: the {@link BlobsWritten} event registers their
     * removal on rollback, and the session no longer removes them. Called first thing in the transaction.
     */
    void handOverTo(Event<BlobsWritten> blobsWritten) {
        if (handedOver) {
            throw new IllegalStateException("the blobs were handed over already");
        }
        blobsWritten.fire(new BlobsWritten(keys()));
        handedOver = true;
    }

    /** The keys the session still owns, emptied so that no blob is ever removed twice. */
    List<String> takeBack() {
        if (handedOver) {
            return List.of();
        }
        List<String> keys = keys();
        files.clear();
        return keys;
    }
}

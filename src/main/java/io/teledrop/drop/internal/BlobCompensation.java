package io.teledrop.drop.internal;

import io.teledrop.storage.BlobStore;
import io.teledrop.storage.Staging;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps blobs and rows in step across transactions, since the blob store takes no part in them: blobs of a
 * transaction that rolled back are deleted, and so are blobs whose rows a committed transaction removed.
 * A blob that cannot be deleted here is logged and left to orphan reconciliation.
 */
@ApplicationScoped
class BlobCompensation {

    private static final Logger LOG = Logger.getLogger(BlobCompensation.class.getName());

    @Inject
    BlobStore blobStore;

    void onRollback(@Observes(during = TransactionPhase.AFTER_FAILURE) BlobsWritten written) {
        deleteAll(written.storageKeys(), "rolled back");
    }

    void onRowsDeleted(@Observes(during = TransactionPhase.AFTER_SUCCESS) BlobsReleased released) {
        deleteAll(released.storageKeys(), "deleted");
    }

    void onUploadsRemoved(@Observes(during = TransactionPhase.AFTER_SUCCESS) StagingsReleased released) {
        released.stagings().forEach(this::abortQuietly);
    }

    /**
     * Removes the bytes of an upload that will never complete: its staging, and its blob if the upload was
     * completed in the store but never recorded (the upload's row owned the key until now). Reconciliation is
     * the safety net.
     */
    void abortQuietly(Staging staging) {
        try {
            blobStore.abortStaging(staging);
            blobStore.delete(staging.key());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Could not remove the staged bytes of " + staging.key() + "; reconciliation will");
        }
    }

    /** Deletes blobs that a request stored but that no drop will ever record. */
    void discard(List<String> keys) {
        deleteAll(keys, "refused");
    }

    private void deleteAll(List<String> keys, String why) {
        for (String key : keys) {
            try {
                blobStore.delete(key);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, e, () -> "Could not delete blob " + key + " of a " + why + " write; it is now an orphan");
            }
        }
    }
}

package io.teledrop.storage;

import io.teledrop.config.Settings;
import io.teledrop.storage.local.LocalBlobStore;
import io.teledrop.storage.s3.S3BlobStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one producer of {@link BlobStore}: the implementation is chosen by {@code teledrop.storage.type},
 * wrapped so its operations are measured, and closed (with its connection pool) when the application stops.
 */
@ApplicationScoped
public class StorageProducer {

    private static final Logger LOG = Logger.getLogger(StorageProducer.class.getName());

    @Inject
    MeteredBlobStore.StorageObserver observer;

    /** Forces long uploads to disk in the background while they stream (LocalBlobStore); sends S3 parts in parallel. */
    @Resource
    ManagedExecutorService executor;

    @Produces
    @ApplicationScoped
    BlobStore blobStore(Settings settings) {
        BlobStore store = switch (settings.storageType()) {
            case LOCAL -> new LocalBlobStore(settings.localRoot(), settings.fsync(), settings.storageReserve(), executor);
            case S3 -> s3(settings, executor);
        };
        return new MeteredBlobStore(store, observer);
    }

    private static BlobStore s3(Settings settings, ManagedExecutorService executor) {
        try {
            S3BlobStore store = S3BlobStore.create(settings.s3().orElseThrow(), settings.uploadTempDir().resolve("s3-parts"), executor);
            try {
                store.checkBucket();
                LOG.info(() -> "Storing blobs in S3: " + settings.s3().get());
            } catch (IOException e) {
                // Not fatal: the server starts, and readiness stays DOWN until the bucket answers.
                LOG.log(Level.SEVERE, "The S3 bucket cannot be reached (" + settings.s3().get() + "): " + e.getMessage(), e);
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot set up S3 storage", e);
        }
    }

    void close(@Disposes BlobStore store) throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}

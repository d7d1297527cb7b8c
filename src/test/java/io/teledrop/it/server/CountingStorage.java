package io.teledrop.it.server;

import io.teledrop.config.Settings;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.local.LocalBlobStore;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Deployed with a test only: replaces the application's {@link BlobStore} (an alternative with a priority
 * wins over its producer) by the same local store behind a {@link CountingBlobStore}.
 */
@ApplicationScoped
@Alternative
@Priority(1000)
public class CountingStorage {

    @Inject
    Settings settings;

    @Resource
    ManagedExecutorService executor;

    private CountingBlobStore store;

    /** The one counting store, for the test to read. */
    public synchronized CountingBlobStore store() {
        if (store == null) {
            store = new CountingBlobStore(new LocalBlobStore(settings.localRoot(), settings.fsync(), settings.storageReserve(), executor));
        }
        return store;
    }

    @Produces
    BlobStore blobStore() {
        return store();
    }
}

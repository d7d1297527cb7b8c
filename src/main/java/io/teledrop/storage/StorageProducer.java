package io.teledrop.storage;

import io.teledrop.config.Settings;
import io.teledrop.storage.local.LocalBlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The one producer of {@link BlobStore}: the implementation is chosen by {@code teledrop.storage.type}. */
@ApplicationScoped
public class StorageProducer {

    @Produces
    @ApplicationScoped
    BlobStore blobStore(Settings settings) {
        return switch (settings.storageType()) {
            case LOCAL -> new LocalBlobStore(settings.localRoot(), settings.fsync());
            case S3 -> throw new IllegalStateException("S3 storage is not available in this version");
        };
    }
}

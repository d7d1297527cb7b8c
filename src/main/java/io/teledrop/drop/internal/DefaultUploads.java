package io.teledrop.drop.internal;

import io.teledrop.config.Settings;
import io.teledrop.drop.Access;
import io.teledrop.drop.UploadSession;
import io.teledrop.drop.Uploads;
import io.teledrop.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Opens {@link StagingSession}s: the storage bean the upload servlet streams its parts through. */
@ApplicationScoped
public class DefaultUploads implements Uploads {

    @Inject
    DefaultDropService drops;

    @Inject
    BlobStore blobs;

    @Inject
    BlobCompensation compensation;

    @Inject
    Settings settings;

    @Override
    public UploadSession begin(Access access) {
        drops.checkUploader(access);
        return new StagingSession(drops, blobs, compensation, settings);
    }
}

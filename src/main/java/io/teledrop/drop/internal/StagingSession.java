package io.teledrop.drop.internal;

import io.teledrop.config.DataSize;
import io.teledrop.config.Settings;
import io.teledrop.drop.Access;
import io.teledrop.drop.Caller;
import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.DropTooLargeException;
import io.teledrop.drop.DropView;
import io.teledrop.drop.FileNames;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.StagedFile;
import io.teledrop.drop.TooManyFilesException;
import io.teledrop.drop.TypeNotAllowedException;
import io.teledrop.drop.UploadSession;
import io.teledrop.storage.BlobAttributes;
import io.teledrop.storage.BlobKeys;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.BlobTooLargeException;
import io.teledrop.storage.PutResult;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/** {@link UploadSession} over the blob store and {@link DefaultUploads}; see {@link StagedBlobs} for who owns the blobs. */
final class StagingSession implements UploadSession {

    /** Enough for every magic number Tika knows; the rest of the stream is not read twice. */
    private static final int SNIFF_BYTES = 64 * 1024;

    private final DefaultUploads drops;
    private final BlobStore blobs;
    private final BlobCompensation compensation;
    private final Settings settings;
    /** Who began the upload (null when anonymous): a drop it creates records them as its creator. */
    private final Caller uploader;
    private final StagedBlobs staged = new StagedBlobs();
    /** A commit was tried: the files are spoken for, whatever came of it. */
    private boolean committing;

    StagingSession(DefaultUploads drops, BlobStore blobs, BlobCompensation compensation, Settings settings, Caller uploader) {
        this.drops = drops;
        this.uploader = uploader;
        this.blobs = blobs;
        this.compensation = compensation;
        this.settings = settings;
    }

    @Override
    public NewDrop validate(NewDrop wanted) {
        return drops.validate(wanted);
    }

    @Override
    public void requireRoom(long declaredBytes) throws IOException {
        if (declaredBytes > 0) {
            blobs.requireRoom(declaredBytes);
        }
    }

    @Override
    public StagedFile stage(String submittedName, InputStream content) throws IOException {
        if (committing) {
            throw new IllegalStateException("the upload was committed; it takes no more files");
        }
        if (staged.count() >= settings.maxFilesPerDrop()) {
            throw new TooManyFilesException(settings.maxFilesPerDrop());
        }
        String name = FileNames.sanitize(submittedName);
        InputStream body = new BufferedInputStream(content, SNIFF_BYTES);
        String type = ContentSniffer.detect(body, name);
        if (!settings.typeAccepted(type)) {
            throw new TypeNotAllowedException(name, type);
        }
        // Whichever limit is nearer stops the stream: a file that cannot fit the drop is refused as it arrives.
        long roomInDrop = Math.max(0, settings.maxDropSize() - staged.bytes());
        String key = BlobKeys.newKey();
        PutResult stored;
        try {
            stored = blobs.put(key, body, Math.min(settings.maxFileSize(), roomInDrop),
                    BlobAttributes.of(type, name));
        } catch (BlobTooLargeException e) {
            if (roomInDrop < settings.maxFileSize()) {
                throw new DropTooLargeException(DataSize.format(settings.maxDropSize()));
            }
            throw e;
        }
        StagedFile file = new StagedFile(name, type, stored.size(), stored.sha256());
        staged.add(file, stored.key());
        return file;
    }

    @Override
    public int stagedFiles() {
        return staged.count();
    }

    @Override
    public CreatedDrop createDrop(NewDrop wanted) {
        committing = true;
        requireFiles();
        return drops.create(wanted, uploader, staged);
    }

    @Override
    public DropView addToDrop(String slug, Access access) {
        committing = true;
        requireFiles();
        return drops.addFiles(slug, access, staged);
    }

    private void requireFiles() {
        if (staged.count() == 0) {
            throw new InvalidInputException("file", "a drop needs at least one file");
        }
    }

    @Override
    public void close() {
        compensation.discard(staged.takeBack());
    }
}

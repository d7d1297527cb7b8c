package io.teledrop.drop.internal;

import io.teledrop.config.Settings;
import io.teledrop.drop.Access;
import io.teledrop.drop.Caller;
import io.teledrop.drop.ApiKeyRequiredException;
import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.Drop;
import io.teledrop.drop.DropEvent;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropView;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.PasswordHasher;
import io.teledrop.drop.Permission;
import io.teledrop.drop.PermissionDeniedException;
import io.teledrop.drop.SlugTakenException;
import io.teledrop.drop.StoredFile;
import io.teledrop.drop.UploadSession;
import io.teledrop.drop.Uploads;
import io.teledrop.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Opens {@link StagingSession}s (the storage bean the upload servlet streams its parts through) and does what
 * they ask of the database: who may upload, a new drop's fields, and the commit of staged files as a new drop
 * or into an existing one. Refusals come before the writer's transaction, while the session still owns the
 * blobs; the writer takes them first thing in its transaction, whose rollback observer then removes them.
 */
@ApplicationScoped
public class DefaultUploads implements Uploads {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DefaultUploads.class.getName());

    @Inject
    Settings settings;

    @Inject
    BlobStore blobs;

    @Inject
    BlobCompensation compensation;

    @Inject
    DropRules rules;

    @Inject
    DropQueries queries;

    @Inject
    DropViews views;

    @Inject
    DropWriter writer;

    /** The reads before a write run in it, so that no request holds a connection while it waits for another. */
    @Inject
    ReadTransaction reads;

    @Inject
    PasswordHasher passwords;

    @Inject
    CommittedEvents events;

    @Inject
    Outbox outbox;

    /** Refusal events left in this minute's budget, and when it was last refilled (Uploads#refused). */
    private double refusalBudget = REFUSAL_BUDGET;
    private long refusalBudgetAt = System.nanoTime();
    private long refusalsNotRecorded;
    private static final int REFUSAL_BUDGET = 60;

    @Override
    public void refused(String slug, String reason, int status, String detail) {
        if (!outbox.enabled() || !takeRefusalBudget()) {
            return;
        }
        String subject = slug != null && slug.matches("[A-Za-z0-9_-]{1,64}") ? slug : null;
        try {
            outbox.uploadRefused(subject, reason, status, detail);
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.FINE, "Could not record a refused upload as an event", e);
        }
    }

    private synchronized boolean takeRefusalBudget() {
        long now = System.nanoTime();
        refusalBudget = Math.min(REFUSAL_BUDGET, refusalBudget + (now - refusalBudgetAt) / 1e9);
        refusalBudgetAt = now;
        if (refusalBudget >= 1) {
            refusalBudget--;
            return true;
        }
        if (++refusalsNotRecorded % 100 == 1) {
            LOG.info("Refused uploads beyond " + REFUSAL_BUDGET + " a minute are not recorded as events; " + refusalsNotRecorded + " so far");
        }
        return false;
    }

    @Override
    public UploadSession begin(Access access) {
        checkUploader(access);
        return new StagingSession(this, blobs, compensation, settings, access.caller());
    }

    /** Anyone while {@code teledrop.auth.anonymous-upload}, else only a key with {@code create}. */
    void checkUploader(Access access) {
        if (settings.anonymousUpload() || access.may(Permission.CREATE)) {
            return;
        }
        if (access.hasApiKey()) {
            throw new PermissionDeniedException(Permission.CREATE);
        }
        throw new ApiKeyRequiredException("Uploading");
    }

    // A transaction of its own: outside one, Liberty keeps the slug query's connection until the request ends,
    // and uploads validate before they stream their body, so a pool's worth of slow uploads starved the rest.
    @Transactional
    NewDrop validate(NewDrop wanted) {
        NewDrop checked = rules.checkFields(wanted);
        if (checked.slug() != null && queries.slugExists(checked.slug())) {
            throw new SlugTakenException(checked.slug());
        }
        return checked;
    }

    /** Records the staged files as a new drop, created by {@code owner} (null: anonymous). */
    CreatedDrop create(NewDrop wanted, Caller owner, StagedBlobs staged) {
        rules.checkFileCount(staged.count());
        rules.checkDropSize(staged.bytes());
        DraftDrop draft = draft(wanted, owner);
        Instant now = draft.drop().getCreatedAt();
        for (StagedBlobs.Staged file : staged.files()) {
            draft.drop().addFile(file.file().name(), file.key(), file.file().size(), file.file().contentType(), file.file().sha256(), now);
        }
        writer.insert(draft.drop(), staged);
        return new CreatedDrop(views.toView(draft.drop()), draft.deleteToken());
    }

    /** A new drop's entity, its fields checked, before it holds files; and its delete token, which only its creator hears. */
    DraftDrop draft(NewDrop wanted, Caller owner) {
        NewDrop drop = rules.checkFields(wanted);
        String slug = drop.slug() != null ? drop.slug() : Slugs.generate(settings.slugLength());
        String deleteToken = DeleteTokens.newToken();
        String passwordHash = drop.password() == null ? null : passwords.hash(drop.password().toCharArray());
        DraftDrop draft = new DraftDrop(new Drop(slug, drop.title(), drop.description(), DropRules.CLOCK.instant(), DeleteTokens.hash(deleteToken),
                drop.expires(), drop.maxDownloads(), passwordHash), deleteToken);
        draft.drop().setOwner(owner);
        return draft;
    }

    record DraftDrop(Drop drop, String deleteToken) {
    }

    /** The drop an addition goes to, if {@code access} may change it. */
    Drop changeableDrop(String slug, Access access) {
        Drop drop = reads.read(() -> queries.require(slug));
        DropAccessPolicy.authorize(access, drop, settings.requireApiKey(), Permission.UPDATE);
        return drop;
    }

    /** Adds the staged files to an existing drop, if {@code access} may change it. */
    DropView addFiles(String slug, Access access, StagedBlobs staged) {
        Drop drop = changeableDrop(slug, access);
        // No count or size check here: the writer reserves room in one conditional UPDATE, so that of
        // parallel additions racing for the last places the losers get 413, not a lost file or a 500.
        List<StoredFile> added = writer.insertFiles(drop, staged, DropRules.CLOCK.instant(), settings.maxFilesPerDrop(), settings.maxDropSize());
        added.forEach(f -> events.fire(drop.getId(), drop.getSlug(), DropEvent.FILE_ADDED, f.getId(), f.getOriginalName()));
        return queries.find(drop.getSlug()).orElseThrow(() -> new DropNotFoundException("The drop '" + slug + "'"));
    }
}

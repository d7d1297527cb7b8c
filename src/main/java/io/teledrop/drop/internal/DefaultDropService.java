package io.teledrop.drop.internal;

import io.teledrop.config.Settings;
import io.teledrop.drop.Access;
import io.teledrop.drop.ApiKeyRequiredException;
import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.Drop;
import io.teledrop.drop.DownloadPermit;
import io.teledrop.drop.DropChanges;
import io.teledrop.drop.DropEvent;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropPage;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropTooLargeException;
import io.teledrop.drop.DropSort;
import io.teledrop.drop.DropView;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.NewFile;
import io.teledrop.drop.PasswordHasher;
import io.teledrop.drop.TooManyFilesException;
import io.teledrop.drop.Unlocked;
import io.teledrop.drop.Permission;
import io.teledrop.drop.PermissionDeniedException;
import io.teledrop.drop.SlugTakenException;
import io.teledrop.drop.StoredFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link DropService}: each use case in a few lines, over the package's parts. {@link DropRules} says
 * what a drop may be, {@link DropAccessPolicy} who may open, change or list it, {@link DropQueries} reads it,
 * {@link DropDownloads} takes and settles download slots; every write goes through {@link DropWriter}, whose
 * transactions start with their write (see there why SQLite needs that). Reads and checks run before, outside
 * those transactions. Events are fired here, after their change has committed. Thread-safe.
 */
@ApplicationScoped
public class DefaultDropService implements DropService {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DefaultDropService.class.getName());

    /** Fired after each change has committed (the writer's transactions end before these calls return). */
    @Inject
    Event<DropEvent> events;

    @Inject
    Settings settings;

    @Inject
    DropRules rules;

    @Inject
    DropQueries queries;

    @Inject
    DropAccessPolicy policy;

    @Inject
    DropDownloads downloads;

    @Inject
    DropWriter writer;

    /** The reads before a write run in it, so that no request holds a connection while it waits for another. */
    @Inject
    ReadTransaction reads;

    /** The sweep's: closed grants are purged, and a used-up drop with an open one is kept for its resumes. */
    @Inject
    DownloadGrants grants;

    @Inject
    BlobCompensation compensation;

    @Inject
    PasswordHasher passwords;

    /** The sweep's: guessing windows that have passed are purged. */
    @Inject
    PasswordAttempts attempts;

    private final Clock clock = DropRules.CLOCK;

    @Override
    public void checkUploader(Access access) {
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
    @Override
    @Transactional
    public NewDrop validate(NewDrop wanted) {
        NewDrop checked = rules.checkFields(wanted);
        if (checked.slug() != null && queries.slugExists(checked.slug())) {
            throw new SlugTakenException(checked.slug());
        }
        return checked;
    }

    @Override
    public CreatedDrop create(NewDrop wanted, List<NewFile> files) {
        try {
            rules.checkFileCount(files.size());
            rules.checkDropSize(DropRules.totalOf(files));
            NewDrop drop = rules.checkFields(wanted);
            String slug = drop.slug() != null ? drop.slug() : Slugs.generate(settings.slugLength());
            String deleteToken = DeleteTokens.newToken();
            Instant now = clock.instant();
            String passwordHash = drop.password() == null ? null : passwords.hash(drop.password().toCharArray());
            Drop entity = new Drop(slug, drop.title(), drop.description(), now, DeleteTokens.hash(deleteToken),
                    drop.expires(), drop.maxDownloads(), passwordHash);
            for (NewFile file : files) {
                entity.addFile(file.name(), file.blob().key(), file.blob().size(), file.contentType(), file.blob().sha256(), now);
            }
            writer.insert(entity);
            return new CreatedDrop(queries.toView(entity), deleteToken);
        } catch (InvalidInputException | DropTooLargeException | TooManyFilesException e) {
            // Refused before the transaction began: the blobs are ours to remove.
            compensation.discard(files.stream().map(f -> f.blob().key()).toList());
            throw e;
        }
    }

    @Override
    public DropView addFiles(String slug, Access access, List<NewFile> files) {
        // The blobs are ours until the writer's transaction takes them (its rollback observer removes them then).
        boolean handedOver = false;
        try {
            if (files.isEmpty()) {
                throw new InvalidInputException("file", "a drop needs at least one file");
            }
            Drop drop = reads.read(() -> queries.require(slug));
            DropAccessPolicy.authorize(access, drop.getDeleteTokenHash(), settings.requireApiKey(), Permission.UPDATE);
            // No count or size check here: the writer reserves room in one conditional UPDATE, so that of
            // parallel additions racing for the last places the losers get 413, not a lost file or a 500.
            handedOver = true;
            List<StoredFile> added = writer.insertFiles(drop, files, clock.instant(), settings.maxFilesPerDrop(), settings.maxDropSize());
            added.forEach(f -> fire(drop.getId(), drop.getSlug(), DropEvent.FILE_ADDED, f.getId(), f.getOriginalName()));
            return find(drop.getSlug()).orElseThrow(() -> new DropNotFoundException("The drop '" + slug + "'"));
        } finally {
            if (!handedOver) {
                compensation.discard(files.stream().map(f -> f.blob().key()).toList());
            }
        }
    }

    @Override
    public Optional<DropView> find(String slug) {
        return queries.find(slug);
    }

    @Override
    public Optional<DropView> find(String slug, Access access) {
        Optional<Drop> drop = queries.live(slug);
        drop.ifPresent(d -> policy.requireUnlocked(d, access));
        return drop.map(queries::toView);
    }

    @Override
    public Unlocked unlock(String slug, String password, String client) {
        return policy.unlock(slug, password, client);
    }

    @Override
    public DropPage list(Access access, String query, DropSort sort, int page, int size) {
        policy.requireListing(access);
        rules.checkPage(query, page, size);
        return queries.list(query, sort, page, size);
    }

    @Override
    public DropView update(String slug, Access access, DropChanges changes) {
        Drop drop = reads.read(() -> queries.require(slug));
        DropAccessPolicy.authorize(access, drop.getDeleteTokenHash(), settings.requireApiKey(), Permission.UPDATE);
        DropChanges cleaned = rules.checkChanges(changes);
        if (writer.update(drop.getId(), cleaned) == 0) {
            throw new DropNotFoundException("The drop '" + slug + "'");
        }
        return find(drop.getSlug()).orElseThrow(() -> new DropNotFoundException("The drop '" + slug + "'"));
    }

    @Override
    public void delete(String slug, Access access) {
        Drop drop = reads.read(() -> queries.require(slug));
        DropAccessPolicy.authorize(access, drop.getDeleteTokenHash(), settings.requireApiKey(), Permission.DELETE);
        // A conditional delete: if a concurrent delete won, nothing is lost and the client hears 404.
        if (writer.delete(drop.getId()) == 0) {
            throw new DropNotFoundException("The drop '" + slug + "'");
        }
        fire(drop.getId(), drop.getSlug(), DropEvent.DROP_DELETED, null, null);
    }

    @Override
    public void deleteFile(String slug, String fileId, Access access) {
        Drop drop = reads.read(() -> queries.require(slug));
        DropAccessPolicy.authorize(access, drop.getDeleteTokenHash(), settings.requireApiKey(), Permission.DELETE);
        StoredFile file = drop.getFiles().stream().filter(f -> f.getId().equals(fileId)).findFirst()
                .orElseThrow(() -> new DropNotFoundException("The file '" + fileId + "' of drop '" + drop.getSlug() + "'"));
        if (writer.deleteFile(drop.getId(), file.getId(), file.getStorageKey(), file.getSize()) == 0) {
            throw new DropNotFoundException("The file '" + fileId + "' of drop '" + drop.getSlug() + "'");
        }
        fire(drop.getId(), drop.getSlug(), DropEvent.FILE_DELETED, file.getId(), file.getOriginalName());
    }

    @Override
    public Optional<DropView> findForDownload(String slug, Access access) {
        return downloads.find(slug, access);
    }

    @Override
    public DownloadPermit reserveDownload(DropView drop, String fileId, long bytes, boolean wholeFile, String client) {
        return downloads.reserve(drop, fileId, bytes, wholeFile, client);
    }

    @Override
    public void finishDownload(DownloadPermit permit, long bytesSent, boolean complete) {
        downloads.finish(permit, bytesSent, complete);
        if (complete && permit.wholeFile()) {
            fire(permit.dropId(), permit.slug(), DropEvent.DOWNLOAD, null, null);
        }
    }

    @Override
    public List<String> sweep() {
        Instant now = clock.instant();
        try {
            attempts.purge(now);
        } catch (RuntimeException e) {
            // Old guessing windows can wait for the next sweep; expired drops cannot.
            LOG.log(java.util.logging.Level.WARNING, "Could not purge old password attempts", e);
        }
        List<Drop> done = reads.read(() -> queries.finished(now));
        List<String> removed = new ArrayList<>();
        grants.purgeClosed(now);
        for (Drop drop : done) {
            boolean timeExpired = drop.getExpiresAt() != null && !now.isBefore(drop.getExpiresAt());
            if (!timeExpired && grants.anyOpen(drop.getId(), now)) {
                continue; // used up, but a counted copy may still be resumed
            }
            // The writer reads the drop's files under its lock: no fresher copy is needed here.
            if (writer.delete(drop.getId()) == 1) {
                removed.add(drop.getSlug());
                fire(drop.getId(), drop.getSlug(), DropEvent.DROP_EXPIRED, null, null);
            }
        }
        return removed;
    }

    private void fire(String dropId, String slug, String type, String fileId, String fileName) {
        try {
            events.fire(new DropEvent(dropId, slug, type, fileId, fileName, clock.instant()));
        } catch (RuntimeException e) {
            // A listener's trouble must not turn a committed change into an error for its client.
            LOG.log(java.util.logging.Level.WARNING, e, () -> "A listener failed on " + type + " of drop " + slug);
        }
    }
}

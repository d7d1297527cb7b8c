package io.teledrop.drop.internal;

import io.teledrop.config.Settings;
import io.teledrop.drop.Access;
import io.teledrop.drop.Drop;
import io.teledrop.drop.DownloadPermit;
import io.teledrop.drop.DropChanges;
import io.teledrop.drop.DropEvent;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropPage;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropSort;
import io.teledrop.drop.DropView;
import io.teledrop.drop.Unlocked;
import io.teledrop.drop.Permission;
import io.teledrop.drop.SignInRequiredException;
import io.teledrop.drop.StoredFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link DropService}: each use case in a few lines, over the package's parts. {@link DropRules} says
 * what a drop may be, {@link DropAccessPolicy} who may open, change or list it, {@link DropQueries} reads it,
 * {@link DropDownloads} takes and settles download slots; every write goes through {@link DropWriter}, whose
 * transactions start with their write (see there why SQLite needs that). Reads and checks run before, outside
 * those transactions. Events are fired here, after their change has committed. Uploads (new drops and files) are
 * {@link DefaultUploads}. Thread-safe.
 */
@ApplicationScoped
public class DefaultDropService implements DropService {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DefaultDropService.class.getName());

    /** Fired after each change has committed (the writer's transactions end before these calls return). */
    @Inject
    CommittedEvents events;

    @Inject
    Outbox outbox;

    @Inject
    Settings settings;

    @Inject
    DropRules rules;

    @Inject
    DropQueries queries;

    @Inject
    DropViews views;

    @Inject
    DropSnapshots snapshots;

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


    /** The sweep's: guessing windows that have passed are purged. */
    @Inject
    PasswordAttempts attempts;

    private final Clock clock = DropRules.CLOCK;

    @Override
    public Optional<DropView> find(String slug) {
        return snapshots.live(slug).map(views::toView);
    }

    @Override
    public Optional<DropView> find(String slug, Access access) {
        Optional<Drop> drop = snapshots.live(slug);
        drop.ifPresent(d -> policy.requireUnlocked(d, access));
        return drop.map(views::toView);
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
    public DropPage listOwn(Access access, int page, int size) {
        if (access.caller() == null) {
            throw new SignInRequiredException("Listing one's own drops");
        }
        rules.checkPage(null, page, size);
        return queries.listOwned(access.caller().subject(), page, size);
    }

    @Override
    public DropView extend(String slug, Access access, Duration by) {
        Drop drop = reads.read(() -> queries.require(slug));
        if (drop.getExpiresAt() == null) {
            return update(slug, access, new DropChanges(null, null, null));
        }
        Instant now = DropRules.CLOCK.instant();
        Instant wanted = (drop.getExpiresAt().isBefore(now) ? now : drop.getExpiresAt()).plus(by);
        if (settings.maxExpiry().isPresent()) {
            Instant latest = now.plus(settings.maxExpiry().get()).minusSeconds(60);
            wanted = wanted.isAfter(latest) ? latest : wanted;
        }
        return update(slug, access, new DropChanges(null, null, Optional.of(wanted.truncatedTo(ChronoUnit.SECONDS))));
    }

    @Override
    public DropView update(String slug, Access access, DropChanges changes) {
        Drop drop = reads.read(() -> queries.require(slug));
        DropAccessPolicy.authorize(access, drop, settings.requireApiKey(), Permission.UPDATE);
        DropChanges cleaned = rules.checkChanges(changes);
        if (writer.update(drop, cleaned) == 0) {
            throw new DropNotFoundException("The drop '" + slug + "'");
        }
        return find(drop.getSlug()).orElseThrow(() -> new DropNotFoundException("The drop '" + slug + "'"));
    }

    @Override
    public void delete(String slug, Access access) {
        Drop drop = reads.read(() -> queries.require(slug));
        DropAccessPolicy.authorize(access, drop, settings.requireApiKey(), Permission.DELETE);
        // A conditional delete: if a concurrent delete won, nothing is lost and the client hears 404.
        if (writer.delete(drop.getId(), drop.getSlug(), false, "deleted") == 0) {
            throw new DropNotFoundException("The drop '" + slug + "'");
        }
        events.fire(drop.getId(), drop.getSlug(), DropEvent.DROP_DELETED, null, null);
    }

    @Override
    public void deleteFile(String slug, String fileId, Access access) {
        Drop drop = reads.read(() -> queries.require(slug));
        DropAccessPolicy.authorize(access, drop, settings.requireApiKey(), Permission.DELETE);
        StoredFile file = drop.getFiles().stream().filter(f -> f.getId().equals(fileId)).findFirst()
                .orElseThrow(() -> new DropNotFoundException("The file '" + fileId + "' of drop '" + drop.getSlug() + "'"));
        if (writer.deleteFile(drop, file) == 0) {
            throw new DropNotFoundException("The file '" + fileId + "' of drop '" + drop.getSlug() + "'");
        }
        events.fire(drop.getId(), drop.getSlug(), DropEvent.FILE_DELETED, file.getId(), file.getOriginalName());
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
        if (complete && permit.wholeFile() && outbox.enabled()) {
            try {
                outbox.downloadCompleted(permit.slug(), bytesSent);
            } catch (RuntimeException e) {
                // The bytes went out; an event that cannot be written is lost for this download only.
                LOG.log(java.util.logging.Level.WARNING, "Could not record the download of drop " + permit.slug() + " as an event", e);
            }
        }
        if (complete && permit.wholeFile()) {
            events.fire(permit.dropId(), permit.slug(), DropEvent.DOWNLOAD, null, null);
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
            if (writer.delete(drop.getId(), drop.getSlug(), true, timeExpired ? "expired" : "downloads used up") == 1) {
                removed.add(drop.getSlug());
                events.fire(drop.getId(), drop.getSlug(), DropEvent.DROP_EXPIRED, null, null);
            }
        }
        return removed;
    }
}

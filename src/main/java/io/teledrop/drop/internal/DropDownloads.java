package io.teledrop.drop.internal;

import io.teledrop.config.Settings;
import io.teledrop.drop.Access;
import io.teledrop.drop.DownloadPermit;
import io.teledrop.drop.Drop;
import io.teledrop.drop.DropGoneException;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The download side of drops: which drop a download may read, and the slot or grant each transfer takes
 * before its first byte and settles after its last (STYLE §3a: the limit is the WHERE clause of
 * {@link DownloadGrants}' statements, taken before the work and given back if it sent nothing). Downloads
 * of drops without a limit are only counted, through {@link DownloadTally}. The event of a complete download
 * is fired by the caller. Thread-safe.
 */
@ApplicationScoped
class DropDownloads {

    /** How long a copy that went out whole may still be resumed (its last bytes may have died with the connection). */
    static final Duration RESUME_AFTER_COMPLETE = Duration.ofMinutes(10);

    @Inject
    Settings settings;

    /** The reads before a write run in it, so that no request holds a connection while it waits for another. */
    @Inject
    ReadTransaction reads;

    @Inject
    DropViews views;

    @Inject
    DropSnapshots snapshots;

    @Inject
    DropAccessPolicy policy;

    @Inject
    DownloadGrants grants;

    @Inject
    DownloadTally tally;

    /**
     * The drop as a download may see it: gone only once past its expiry, since a used-up drop may still resume
     * the copies it counted (a new copy is refused by {@link #reserve}).
     */
    Optional<DropView> find(String slug, Access access) {
        // No connection held after this: a download holds none while it streams or takes its slot.
        Optional<Drop> drop = Slugs.canonical(slug).flatMap(snapshots::current);
        if (drop.isPresent() && DropRules.pastExpiry(drop.get())) {
            throw DropRules.goneException(drop.get());
        }
        drop.ifPresent(d -> policy.requireUnlocked(d, access));
        return drop.map(views::toView);
    }

    /** See {@link io.teledrop.drop.DropService#reserveDownload}. */
    DownloadPermit reserve(DropView drop, String fileId, long bytes, boolean wholeFile, String client) {
        if (drop.maxDownloads() == null) {
            return new DownloadPermit(drop.slug(), drop.id(), null, bytes, wholeFile, false, false);
        }
        Instant now = DropRules.CLOCK.instant();
        String dropId = drop.id();
        String clientHash = DeleteTokens.hash(client == null ? "" : client);
        if (!wholeFile && fileId != null) {
            for (String grant : reads.read(() -> grants.candidates(fileId, clientHash, bytes, now))) {
                if (grants.draw(grant, bytes, now)) {
                    return new DownloadPermit(drop.slug(), dropId, grant, bytes, false, false, true);
                }
            }
        }
        long size = fileId == null ? 0 : drop.files().stream().filter(f -> f.id().equals(fileId)).mapToLong(DropView.FileView::size).sum();
        Instant grantExpires = now.plus(settings.downloadResumeWindow());
        if (drop.expiresAt() != null && drop.expiresAt().isBefore(grantExpires)) {
            grantExpires = drop.expiresAt();
        }
        String grant = fileId == null ? null : UUID.randomUUID().toString();
        try {
            if (!grants.takeSlot(dropId, grant, fileId, clientHash, grantBudget(size, drop.maxDownloads()), bytes, now, grantExpires)) {
                throw new DropGoneException(drop.slug(), true);
            }
        } catch (PersistenceException e) {
            if (SqlErrors.isForeignKeyViolation(e)) {
                // The file or drop was deleted since it was read.
                throw new DropNotFoundException("The drop '" + drop.slug() + "' or its file");
            }
            throw e;
        }
        return new DownloadPermit(drop.slug(), dropId, grant, bytes, wholeFile, true, true);
    }

    /**
     * The bytes one counted copy of a file may send: the file, plus a resend allowance for bytes a broken
     * transfer wrote but the client never received, kept below {@code size / limit} so that all copies of
     * the limit together stay short of one more whole file (and at most 64 MiB).
     */
    static long grantBudget(long size, int maxDownloads) {
        long allowance = size == 0 ? 0 : Math.min((size - 1) / Math.max(1, maxDownloads), 64L << 20);
        return size + allowance;
    }

    /**
     * Settles a transfer begun with {@link #reserve}: a counted one that sent nothing gives its slot back,
     * bytes reserved but not sent go back to the grant, and a whole copy sent completely may be resumed for
     * {@link #RESUME_AFTER_COMPLETE} only; without a limit, a complete whole copy is counted.
     */
    void finish(DownloadPermit permit, long bytesSent, boolean complete) {
        if (permit.limited()) {
            if (permit.counted() && bytesSent == 0 && !complete) {
                grants.releaseSlot(permit.dropId(), permit.grantId());
            } else if (permit.grantId() != null) {
                if (permit.reservedBytes() > bytesSent) {
                    grants.refund(permit.grantId(), permit.reservedBytes() - bytesSent);
                }
                if (complete && permit.wholeFile()) {
                    grants.shorten(permit.grantId(), DropRules.CLOCK.instant().plus(RESUME_AFTER_COMPLETE));
                }
            }
        } else if (complete && permit.wholeFile()) {
            Slugs.canonical(permit.slug()).ifPresent(tally::add);
        }
    }
}

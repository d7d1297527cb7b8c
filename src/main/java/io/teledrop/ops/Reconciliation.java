package io.teledrop.ops;

import io.teledrop.cluster.Leases;
import io.teledrop.config.Settings;
import io.teledrop.drop.StorageLedger;
import io.teledrop.drop.StorageLedger.FileRef;
import io.teledrop.storage.BlobInfo;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.Folders;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings the blob store and the database back in step after crashes, shortly after start-up and then
 * every {@code teledrop.maintenance.reconcile-interval}, once per interval however many servers share the
 * database (each server clears its own temp files):
 * <ul>
 * <li>blobs no file row refers to, older than {@code teledrop.maintenance.orphan-grace}, are deleted (the
 * grace keeps an upload whose row is about to commit safe);</li>
 * <li>temp files of interrupted writes (the store's staging area, the upload temp folder) older than the
 * grace are deleted;</li>
 * <li>rows whose blob is missing are marked ({@code missing_since}) and reported (log SEVERE, the
 * {@code teledrop_missing_blobs} gauge, readiness data): their bytes are lost, and downloading such a file
 * answers 410 in words; a mark is cleared when the blob is back (a restore).</li>
 * </ul>
 */
@ApplicationScoped
public class Reconciliation {

    private static final Logger LOG = Logger.getLogger(Reconciliation.class.getName());
    private static final int PAGE = 1000;
    static final String LEASE = "reconciliation";

    /** What one run found and did. */
    public record Report(int orphansRemoved, int temporariesRemoved, List<String> missingBlobs) {
    }

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    BlobStore blobs;

    @Inject
    StorageLedger ledger;

    @Inject
    Settings settings;

    @Inject
    TransferMetrics metrics;

    @Inject
    Leases leases;

    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private volatile boolean ranSinceStart;
    private volatile long temporariesPeriod = -1;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        long tick = Math.max(1, settings.reconcileInterval().toMillis() / 4);
        // A short delay lets the schema migration, which also runs at start-up, finish first.
        tasks.add(scheduler.scheduleWithFixedDelay(this::runIfDue, 10_000, tick, TimeUnit.MILLISECONDS));
    }

    @PreDestroy
    void stop() {
        tasks.forEach(t -> t.cancel(false));
    }

    /**
     * The whole run after this server's start (what a crash left behind is cleared at once), then by the one
     * server that takes the interval's lease (the bucket and the rows are shared); every other server only
     * clears its own temp files, once an interval too.
     */
    private void runIfDue() {
        try {
            Instant now = Instant.now();
            Instant cutoff = now.minus(settings.orphanGrace());
            long period = now.toEpochMilli() / settings.reconcileInterval().toMillis();
            if (leases.take(LEASE, settings.reconcileInterval(), now) || !ranSinceStart) {
                reconcile(cutoff);
                ranSinceStart = true;
                temporariesPeriod = period;
            } else if (period != temporariesPeriod) {
                removeTemporaries(cutoff);
                temporariesPeriod = period;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Reconciliation failed; it runs again in " + settings.reconcileInterval(), e);
        }
    }

    /** One run, treating what was last written before {@code cutoff} as settled. */
    public Report reconcile(Instant cutoff) {
        try {
            int temporaries = removeTemporaries(cutoff);
            int orphans = removeOrphans(cutoff);
            List<String> missing = findMissing();
            Report report = new Report(orphans, temporaries, missing);
            metrics.reconciled(orphans, temporaries, missing.size());
            if (!missing.isEmpty()) {
                LOG.severe(() -> missing.size() + " stored files have lost their bytes (drop/file): " + missing);
            }
            if (orphans > 0 || temporaries > 0) {
                LOG.info(() -> "Reconciliation removed " + orphans + " orphan blobs and " + temporaries + " temp files");
            }
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This server's temp files of interrupted writes older than {@code cutoff}. */
    private int removeTemporaries(Instant cutoff) throws IOException {
        // The upload temp folder (the S3 store's part spool): whole files only.
        return blobs.removeStaleTemporaries(cutoff) + Folders.removeFilesOlderThan(settings.uploadTempDir(), cutoff)
                + blobs.removeAbandonedStagings(cutoff, ledger.stagingKeys());
    }

    private int removeOrphans(Instant cutoff) throws IOException {
        int removed = 0;
        String after = null;
        while (true) {
            List<BlobInfo> page = blobs.list("", after, PAGE);
            if (page.isEmpty()) {
                return removed;
            }
            Set<String> recorded = ledger.recorded(page.stream().map(BlobInfo::key).toList());
            for (BlobInfo blob : page) {
                if (!recorded.contains(blob.key()) && blob.lastModified().isBefore(cutoff) && blobs.delete(blob.key())) {
                    removed++;
                }
            }
            after = page.get(page.size() - 1).key();
        }
    }

    private List<String> findMissing() throws IOException {
        List<String> missing = new ArrayList<>();
        String after = null;
        while (true) {
            List<FileRef> page = ledger.files(after, PAGE);
            if (page.isEmpty()) {
                return missing;
            }
            List<String> newlyMissing = new ArrayList<>();
            List<String> back = new ArrayList<>();
            for (FileRef file : page) {
                if (blobs.stat(file.storageKey()).isEmpty()) {
                    missing.add(file.slug() + "/" + file.id());
                    if (!file.markedMissing()) {
                        newlyMissing.add(file.id());
                    }
                } else if (file.markedMissing()) {
                    back.add(file.id());
                }
            }
            if (!newlyMissing.isEmpty() || !back.isEmpty()) {
                ledger.recordPresence(newlyMissing, back, Instant.now());
            }
            after = page.get(page.size() - 1).id();
        }
    }
}

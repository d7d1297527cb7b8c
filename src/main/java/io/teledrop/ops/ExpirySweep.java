package io.teledrop.ops;

import io.teledrop.cluster.Leases;
import io.teledrop.config.Settings;
import io.teledrop.drop.DropService;
import io.teledrop.drop.ResumableUploads;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Removes expired and used-up drops, rows and blobs together, every {@code teledrop.maintenance.sweep-interval}
 * on the server's managed scheduler, once per interval however many servers share the database. Until a drop
 * is swept it already answers 410, so the interval only decides how soon the disk space comes back.
 */
@ApplicationScoped
public class ExpirySweep {

    private static final Logger LOG = Logger.getLogger(ExpirySweep.class.getName());
    static final String LEASE = "expiry-sweep";

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    ResumableUploads resumableUploads;

    @Inject
    DropService drops;

    @Inject
    Settings settings;

    @Inject
    TransferMetrics metrics;

    @Inject
    Leases leases;

    private ScheduledFuture<?> task;

    /**
     * The first look one interval after the start, as before there were leases; then every server looks four
     * times an interval, and the one that takes the interval's lease sweeps (cluster.Leases).
     */
    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        long interval = settings.sweepInterval().toMillis();
        task = scheduler.scheduleWithFixedDelay(this::runIfDue, interval, Math.max(1, interval / 4), TimeUnit.MILLISECONDS);
    }

    private void runIfDue() {
        try {
            if (leases.take(LEASE, settings.sweepInterval(), Instant.now())) {
                runOnce();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not take the expiry sweep's lease; trying again shortly", e);
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Expired resumable uploads go first, on their own: a failure of the drops' sweep must not keep them. */
    private void sweepUploads() {
        try {
            int uploads = resumableUploads.sweep(Instant.now());
            if (uploads > 0) {
                LOG.info(() -> "Removed " + uploads + " expired resumable uploads and finished ones past keeping");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The sweep of expired resumable uploads failed; it runs again in " + settings.sweepInterval(), e);
        }
    }

    /** One sweep now; returns the slugs removed. A failure is logged and the next run tries again. */
    public List<String> runOnce() {
        try {
            sweepUploads();
            List<String> removed = drops.sweep();
            metrics.swept(removed.size());
            if (!removed.isEmpty()) {
                LOG.info(() -> "Removed " + removed.size() + " expired or used-up drops");
            }
            return removed;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The expiry sweep failed; it runs again in " + settings.sweepInterval(), e);
            return List.of();
        }
    }
}

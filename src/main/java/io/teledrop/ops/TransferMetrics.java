package io.teledrop.ops;

import io.teledrop.drop.StorageLedger;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Teledrop's own metrics at {@code /metrics?scope=application} (Prometheus format): uploads and downloads
 * by outcome with bytes and durations, transfers in flight, what is stored, and what the sweep and
 * reconciliation did. Every metric is registered once, so a transfer only touches counters.
 */
@ApplicationScoped
public class TransferMetrics {

    private final AtomicInteger activeTransfers = new AtomicInteger();
    private final AtomicInteger missingBlobs = new AtomicInteger();
    /** One scrape reads three stored-totals gauges: they share one database read a second at most. */
    private static final long TOTALS_MAX_AGE_NANOS = 1_000_000_000L;
    private volatile StorageLedger.Totals totals;
    private volatile long totalsReadAt;

    /** How a download ended: all bytes sent, a range or an aborted transfer, or an error on our side. */
    public enum DownloadOutcome { COMPLETE, PARTIAL, FAILED }

    @Inject
    StorageLedger ledger;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private Counter uploadsOk;
    private Counter uploadsFailed;
    private Counter uploadBytes;
    private Timer uploadDuration;
    private Counter downloadsComplete;
    private Counter downloadsPartial;
    private Counter downloadsFailed;
    private Counter downloadBytes;
    private Timer downloadDuration;
    private Counter sweeps;
    private Counter sweptDrops;
    private Counter reconciliations;
    private Counter removedOrphans;
    private Counter removedTemporaries;

    @PostConstruct
    void register() {
        uploadsOk = registry.counter("teledrop_uploads", new Tag("result", "ok"));
        uploadsFailed = registry.counter("teledrop_uploads", new Tag("result", "failed"));
        uploadBytes = registry.counter(Metadata.builder().withName("teledrop_upload_bytes").withUnit(MetricUnits.BYTES).build());
        uploadDuration = registry.timer("teledrop_upload_duration");
        downloadsComplete = registry.counter("teledrop_downloads", new Tag("result", "complete"));
        downloadsPartial = registry.counter("teledrop_downloads", new Tag("result", "partial"));
        downloadsFailed = registry.counter("teledrop_downloads", new Tag("result", "failed"));
        downloadBytes = registry.counter(Metadata.builder().withName("teledrop_download_bytes").withUnit(MetricUnits.BYTES).build());
        downloadDuration = registry.timer("teledrop_download_duration");
        sweeps = registry.counter("teledrop_sweep_runs");
        sweptDrops = registry.counter("teledrop_sweep_removed_drops");
        reconciliations = registry.counter("teledrop_reconcile_runs");
        removedOrphans = registry.counter("teledrop_reconcile_removed_orphans");
        removedTemporaries = registry.counter("teledrop_reconcile_removed_temporaries");
        registry.gauge("teledrop_active_transfers", activeTransfers::get);
        registry.gauge("teledrop_missing_blobs", missingBlobs::get);
        registry.gauge("teledrop_stored_drops", () -> totals().drops());
        registry.gauge("teledrop_stored_files", () -> totals().files());
        registry.gauge(Metadata.builder().withName("teledrop_stored_bytes").withUnit(MetricUnits.BYTES).build(), () -> totals().bytes(), new Tag[0]);
    }

    /** Marks a transfer as running; pair with one of the finishing calls. */
    public void started() {
        activeTransfers.incrementAndGet();
    }

    public void uploadFinished(boolean ok, long bytes, Duration took) {
        activeTransfers.decrementAndGet();
        if (ok) {
            uploadsOk.inc();
            uploadBytes.inc(bytes);
            uploadDuration.update(took);
        } else {
            uploadsFailed.inc();
        }
    }

    public void downloadFinished(DownloadOutcome outcome, long bytes, Duration took) {
        activeTransfers.decrementAndGet();
        switch (outcome) {
            case COMPLETE -> {
                downloadsComplete.inc();
                downloadDuration.update(took);
            }
            case PARTIAL -> downloadsPartial.inc();
            case FAILED -> downloadsFailed.inc();
        }
        downloadBytes.inc(bytes);
    }

    public void swept(int drops) {
        sweeps.inc();
        sweptDrops.inc(drops);
    }

    private StorageLedger.Totals totals() {
        long now = System.nanoTime();
        StorageLedger.Totals known = totals;
        if (known == null || now - totalsReadAt > TOTALS_MAX_AGE_NANOS) {
            known = ledger.totals();
            totals = known;
            totalsReadAt = now;
        }
        return known;
    }

    public void reconciled(int orphans, int temporaries, int missing) {
        reconciliations.inc();
        removedOrphans.inc(orphans);
        removedTemporaries.inc(temporaries);
        missingBlobs.set(missing);
    }
}

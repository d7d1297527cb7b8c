package io.teledrop.ops;

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
 * by outcome with bytes and durations, transfers in flight, and what the sweep and reconciliation did.
 * Every metric is registered once, so a transfer only touches counters.
 */
@ApplicationScoped
public class TransferMetrics {

    private final AtomicInteger activeTransfers = new AtomicInteger();
    private final AtomicInteger missingBlobs = new AtomicInteger();

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private Counter uploadsOk;
    private Counter uploadsFailed;
    private Counter uploadBytes;
    private Timer uploadDuration;
    private Counter downloadsComplete;
    private Counter downloadsPartial;
    private Counter downloadBytes;
    private Counter sweptDrops;
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
        downloadBytes = registry.counter(Metadata.builder().withName("teledrop_download_bytes").withUnit(MetricUnits.BYTES).build());
        sweptDrops = registry.counter("teledrop_sweep_removed_drops");
        removedOrphans = registry.counter("teledrop_reconcile_removed_orphans");
        removedTemporaries = registry.counter("teledrop_reconcile_removed_temporaries");
        registry.gauge("teledrop_active_transfers", activeTransfers::get);
        registry.gauge("teledrop_missing_blobs", missingBlobs::get);
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

    public void downloadFinished(boolean complete, long bytes) {
        activeTransfers.decrementAndGet();
        (complete ? downloadsComplete : downloadsPartial).inc();
        downloadBytes.inc(bytes);
    }

    public void swept(int drops) {
        sweptDrops.inc(drops);
    }

    public void reconciled(int orphans, int temporaries, int missing) {
        removedOrphans.inc(orphans);
        removedTemporaries.inc(temporaries);
        missingBlobs.set(missing);
    }
}

package io.teledrop.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Teledrop's own metrics at {@code /metrics?scope=application} (Prometheus format): uploads and downloads
 * by outcome with bytes and durations, transfers in flight, and what the sweep and reconciliation did.
 */
@ApplicationScoped
public class TransferMetrics {

    private final AtomicInteger activeTransfers = new AtomicInteger();
    private final AtomicInteger missingBlobs = new AtomicInteger();

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private boolean gaugeRegistered;

    /** Marks a transfer as running; pair with one of the finishing calls. */
    public void started() {
        registerGauge();
        activeTransfers.incrementAndGet();
    }

    public void uploadFinished(boolean ok, long bytes, Duration took) {
        activeTransfers.decrementAndGet();
        registry.counter("teledrop_uploads", new Tag("result", ok ? "ok" : "failed")).inc();
        if (ok) {
            registry.counter(Metadata.builder().withName("teledrop_upload_bytes").withUnit(MetricUnits.BYTES).build()).inc(bytes);
            registry.timer("teledrop_upload_duration").update(took);
        }
    }

    public void downloadFinished(boolean complete, long bytes) {
        activeTransfers.decrementAndGet();
        registry.counter("teledrop_downloads", new Tag("result", complete ? "complete" : "partial")).inc();
        registry.counter(Metadata.builder().withName("teledrop_download_bytes").withUnit(MetricUnits.BYTES).build()).inc(bytes);
    }

    public void swept(int drops) {
        registry.counter("teledrop_sweep_removed_drops").inc(drops);
    }

    public void reconciled(int orphans, int temporaries, int missing) {
        registry.counter("teledrop_reconcile_removed_orphans").inc(orphans);
        registry.counter("teledrop_reconcile_removed_temporaries").inc(temporaries);
        registerGauge();
        missingBlobs.set(missing);
    }

    private synchronized void registerGauge() {
        if (!gaugeRegistered) {
            registry.gauge("teledrop_active_transfers", activeTransfers::get);
            registry.gauge("teledrop_missing_blobs", missingBlobs::get);
            gaugeRegistered = true;
        }
    }
}

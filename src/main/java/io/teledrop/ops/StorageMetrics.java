package io.teledrop.ops;

import io.teledrop.storage.MeteredBlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Storage operations as metrics, per operation ({@code put}, {@code open}, {@code stat}, {@code delete},
 * {@code move}, {@code list}): {@code teledrop_storage_operations_total{op,result}},
 * {@code teledrop_storage_bytes_total{op}} and the latency {@code teledrop_storage_duration_seconds{op}}.
 * Each metric is looked up once and then kept.
 */
@ApplicationScoped
public class StorageMetrics implements MeteredBlobStore.StorageObserver {

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private record OperationMetrics(Counter ok, Counter failed, Counter bytes, Timer duration) {
    }

    private final Map<String, OperationMetrics> byOperation = new ConcurrentHashMap<>();

    @Override
    public void operation(String name, boolean ok, long bytes, Duration took) {
        OperationMetrics metrics = byOperation.computeIfAbsent(name, this::register);
        (ok ? metrics.ok() : metrics.failed()).inc();
        if (bytes > 0) {
            metrics.bytes().inc(bytes);
        }
        metrics.duration().update(took);
    }

    private OperationMetrics register(String operation) {
        Tag op = new Tag("op", operation);
        return new OperationMetrics(
                registry.counter("teledrop_storage_operations", op, new Tag("result", "ok")),
                registry.counter("teledrop_storage_operations", op, new Tag("result", "failed")),
                registry.counter(Metadata.builder().withName("teledrop_storage_bytes").withUnit(MetricUnits.BYTES).build(), op),
                registry.timer("teledrop_storage_duration", op));
    }
}

package io.teledrop.drop.internal;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Download counts of drops without a download limit, written in batches once a second instead of one
 * SQLite commit (and fsync) per download: a limit-less count is a statistic, not a rule, and a commit per
 * download capped small downloads at a few hundred a second. Counts not yet written are added to what this
 * node shows; a crash loses at most a second of them. Drops with a limit are counted at once: each takes its
 * slot before their first byte (DownloadGrants#takeSlot), because the limit depends on it.
 */
@ApplicationScoped
public class DownloadTally {

    private static final Logger LOG = Logger.getLogger(DownloadTally.class.getName());
    static final long FLUSH_MILLIS = 1000;

    private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    DropWriter writer;

    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        task = scheduler.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
        flush();
    }

    /** Counts one download of the drop {@code slug} (canonical). */
    void add(String slug) {
        pending.merge(slug, 1L, Long::sum);
    }

    /** Downloads of {@code slug} counted but not yet written. */
    long pending(String slug) {
        return pending.getOrDefault(slug, 0L);
    }

    /** Writes what has been counted; on failure the counts go back, for the next run. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Long> batch = new HashMap<>();
        for (String slug : pending.keySet()) {
            // remove() and merge() are atomic per key, so no count slips between reading and clearing it.
            Long count = pending.remove(slug);
            if (count != null) {
                batch.put(slug, count);
            }
        }
        try {
            writer.addDownloads(batch);
        } catch (RuntimeException e) {
            batch.forEach((slug, count) -> pending.merge(slug, count, Long::sum));
            LOG.log(Level.WARNING, "Writing " + batch.size() + " drops' download counts failed; trying again in a second", e);
        }
    }
}

package io.teledrop.events;

import io.teledrop.cluster.ClusterNode;
import io.teledrop.config.KafkaSettings;
import io.teledrop.config.Settings;
import io.teledrop.drop.DropEvent;
import io.teledrop.drop.EventOutbox;
import io.teledrop.drop.EventOutbox.PendingEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Publishes the outbox's events to Kafka, keyed by slug, in the order their changes committed, at least once:
 * an event leaves the outbox only after Kafka acknowledged it (acks=all, idempotent producer). One server of a
 * cluster relays at a time (it holds the outbox, {@link EventOutbox#take}), so two never publish the same event
 * at once; after a crash an event may be published again, and consumers de-duplicate by its CloudEvents id.
 * Runs every {@code teledrop.events.kafka.relay-interval} and at once after a change on this server. While Kafka
 * cannot be reached nothing fails for users: events wait in the outbox, and the backlog shows in the metrics.
 * Uses Kafka's own client rather than MicroProfile Reactive Messaging: see docs/events.md.
 */
@ApplicationScoped
public class KafkaRelay {

    private static final Logger LOG = Logger.getLogger(KafkaRelay.class.getName());
    private static final int BATCH = 500;
    /** How long a pass may hold the outbox; longer than a batch can take while Kafka answers slowly. */
    private static final Duration HOLD = Duration.ofSeconds(30);

    @Inject
    Settings settings;

    @Inject
    EventOutbox outbox;

    @Inject
    ClusterNode node;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private final AtomicBoolean relaying = new AtomicBoolean();
    private volatile Producer<String, String> producer;
    private volatile ScheduledFuture<?> schedule;
    private volatile boolean failing;
    private Counter failures;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (settings.kafka().isEmpty()) {
            return;
        }
        KafkaSettings kafka = settings.kafka().get();
        failures = registry.counter("teledrop.events.publish.failures");
        registry.gauge("teledrop.events.backlog", () -> outbox.backlog().events());
        registry.gauge("teledrop.events.oldest.age.seconds", () -> {
            Instant oldest = outbox.backlog().oldest();
            return oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toSeconds());
        });
        producer = new KafkaProducer<>(producerProperties(kafka, node.name()), new StringSerializer(), new StringSerializer());
        long interval = kafka.relayInterval().toMillis();
        schedule = scheduler.scheduleWithFixedDelay(this::relay, interval, interval, TimeUnit.MILLISECONDS);
        LOG.info(() -> "Publishing drop events to Kafka topic " + kafka.topic() + " at " + kafka.bootstrapServers());
    }

    /** A change committed on this server: publish its events now rather than at the next interval. */
    void changed(@Observes DropEvent event) {
        if (producer != null && !relaying.get()) {
            try {
                scheduler.execute(this::relay);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "The relay will publish at its next interval", e);
            }
        }
    }

    @PreDestroy
    void stop() {
        if (schedule != null) {
            schedule.cancel(false);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Publishes batches until the outbox is empty, another server holds it, or Kafka fails (the next pass retries). */
    void relay() {
        if (!relaying.compareAndSet(false, true)) {
            return;
        }
        try {
            while (publishBatch()) {
                // next batch
            }
        } catch (RuntimeException e) {
            failed(e);
        } finally {
            try {
                outbox.release(node.name());
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Could not let go of the outbox; the hold runs out by itself", e);
            }
            relaying.set(false);
        }
    }

    /** @return whether a full batch went out and more may wait */
    private boolean publishBatch() {
        Instant now = Instant.now();
        List<PendingEvent> batch = outbox.take(node.name(), now, now.plus(HOLD), BATCH);
        if (batch.isEmpty()) {
            return false;
        }
        String topic = settings.kafka().orElseThrow().topic();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (PendingEvent event : batch) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, event.subject(), event.payload());
            record.headers().add("content-type", "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_id", event.id().getBytes(StandardCharsets.UTF_8));
            Future<RecordMetadata> future = producer.send(record);
            sent.add(future);
            if (future.isDone() && failedNow(future)) {
                break; // Kafka cannot be reached: the rest would wait as long, each
            }
        }
        producer.flush();
        long published = -1;
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get();
                published = batch.get(i).seq();
            } catch (ExecutionException e) {
                failed(e.getCause());
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (published >= 0) {
            outbox.published(published);
        }
        boolean all = published == batch.get(batch.size() - 1).seq();
        if (all && failing) {
            failing = false;
            LOG.info("Publishing drop events to Kafka again");
        }
        return all && batch.size() == BATCH;
    }

    private static boolean failedNow(Future<RecordMetadata> future) {
        try {
            future.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void failed(Throwable cause) {
        failures.inc();
        if (!failing) {
            failing = true;
            LOG.log(Level.WARNING, "Cannot publish drop events to Kafka now (" + cause + "); they wait in the outbox and go when it answers");
        } else {
            LOG.log(Level.FINE, "Publishing drop events failed again", cause);
        }
    }

    static Properties producerProperties(KafkaSettings kafka, String nodeName) {
        Properties properties = new Properties();
        properties.putAll(kafka.client());
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "teledrop-" + nodeName.replaceAll("[^A-Za-z0-9._-]", "-"));
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // A pass gives up within these bounds while Kafka is away, and the events wait in the outbox.
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        properties.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        return properties;
    }
}

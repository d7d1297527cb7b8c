package io.teledrop.it.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The build's Apache Kafka broker, for the tests of what Teledrop sends to Kafka: a single-node KRaft broker in its
 * own JVM that {@code bin/test-kafka.sh} starts before the integration tests (pom.xml, {@code start-kafka}) on a
 * reserved port and stops after them. A test reaches it at {@link #bootstrap()}, stops it keeping its data
 * ({@link #pause()}) and starts it again as it was ({@link #resume()}) to prove that nothing is lost while Kafka is
 * down, and reads back what a topic holds ({@link #readAll}).
 *
 * <p>Where it is comes from the failsafe system properties {@value #BOOTSTRAP_PROPERTY} and {@value #FOLDER_PROPERTY};
 * without them (a test run from an IDE against a broker started by hand with the script) the folder is
 * {@code target/kafka} and the address is read from the {@code server.properties} the script wrote there.
 *
 * <p>Immutable; {@link #readAll} and {@link #producer} may be called from any thread. There is one broker per build:
 * a test that pauses it must resume it (in a {@code finally}), and tests that pause it must not run in parallel.
 */
public final class KafkaBroker {

    /** {@code host:port} of the broker's PLAINTEXT listener, for {@code bootstrap.servers}. */
    public static final String BOOTSTRAP_PROPERTY = "teledrop.it.kafka.bootstrap";
    /** The folder {@code bin/test-kafka.sh} runs the broker in: data, {@code kafka.log}, {@code kafka.pid}. */
    public static final String FOLDER_PROPERTY = "teledrop.it.kafka.folder";

    /** Failsafe runs the tests in the project folder. */
    private static final Path SCRIPT = Path.of("bin/test-kafka.sh").toAbsolutePath();
    /** Longer than the script's own waits: 120 s to start, 60 s (then SIGKILL) to stop. */
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(200);
    private static final Pattern LISTENER = Pattern.compile("(?m)^listeners=PLAINTEXT://([^,\\s]+)");

    private final String bootstrap;
    private final Path folder;

    /** The broker {@code bin/test-kafka.sh} runs in {@code folder}, reached at {@code bootstrap}. */
    public KafkaBroker(String bootstrap, Path folder) {
        this.bootstrap = bootstrap;
        this.folder = folder.toAbsolutePath();
    }

    /** The build's broker, as the failsafe system properties name it. */
    public static KafkaBroker fromBuild() {
        Path folder = Path.of(System.getProperty(FOLDER_PROPERTY, "target/kafka"));
        String bootstrap = System.getProperty(BOOTSTRAP_PROPERTY);
        return new KafkaBroker(bootstrap != null ? bootstrap : listenerOf(folder), folder);
    }

    private static String listenerOf(Path folder) {
        Path properties = folder.resolve("server.properties");
        try {
            Matcher matcher = LISTENER.matcher(Files.readString(properties));
            if (matcher.find()) {
                return matcher.group(1);
            }
            throw new IllegalStateException("no PLAINTEXT listener in " + properties);
        } catch (IOException e) {
            throw new IllegalStateException("no Kafka broker in " + folder + " (" + BOOTSTRAP_PROPERTY
                    + " unset): run through mvn verify, or bin/test-kafka.sh start", e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrap() {
        return bootstrap;
    }

    /** The broker's own log, to read when a test fails. */
    public Path log() {
        return folder.resolve("kafka.log");
    }

    /**
     * Stops the broker, keeping its log dirs ({@code bin/test-kafka.sh pause}): clients then get connection refused
     * on its port. Returns once the process has exited; fails if it was not running.
     */
    public void pause() throws IOException, InterruptedException {
        script("pause");
    }

    /**
     * Starts the broker again as it was: same ports, same data ({@code bin/test-kafka.sh resume}). Returns once it
     * accepts connections and has logged that it started; does nothing if it is running.
     */
    public void resume() throws IOException, InterruptedException {
        script("resume");
    }

    private void script(String action) throws IOException, InterruptedException {
        Path output = folder.resolve("test-kafka-" + action + ".out");
        Process process = new ProcessBuilder("bash", SCRIPT.toString(), action, folder.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("bin/test-kafka.sh " + action + " did not finish within " + SCRIPT_TIMEOUT);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("bin/test-kafka.sh " + action + " failed (exit " + process.exitValue() + "):\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
    }

    /**
     * A producer of string keys and values to this broker (Kafka's defaults: {@code acks=all}, idempotent), with
     * {@code settings} ({@link ProducerConfig} names) on top. The caller closes it.
     */
    public KafkaProducer<String, String> producer(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.putAll(settings);
        return new KafkaProducer<>(config);
    }

    /**
     * Every record of {@code topic} from its earliest offset, as string keys and values, read until there are
     * {@code expectedCount} or {@code timeout} has passed: then whatever was read, so the test's assertion shows it.
     * A topic that does not exist yet is waited for (this never creates it). Records come in offset order within
     * a partition (records with one key share one); across partitions the order is the order they arrived in.
     *
     * <p>A consumer of a unique group id (never committed to) that assigns itself every partition and seeks to the
     * beginning rather than joining the group: no rebalance to wait for, so any number of reads see everything.
     * Only committed records of transactional producers ({@code isolation.level=read_committed}), as a downstream
     * consumer would see them.
     */
    public List<ConsumerRecord<String, String>> readAll(String topic, Duration timeout, int expectedCount) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "teledrop-it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = partitions(consumer, topic, deadline);
            if (partitions.isEmpty()) {
                return records;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (records.size() < expectedCount && remaining(deadline) > 0) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(Math.min(500, remaining(deadline))))) {
                    records.add(record);
                }
            }
        }
        return records;
    }

    /** The topic's partitions once it exists, or none at the deadline. */
    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic, long deadline) {
        while (true) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofMillis(Math.max(1, Math.min(5_000, remaining(deadline)))));
                if (!infos.isEmpty()) {
                    return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
                }
            } catch (TimeoutException e) {
                // The broker did not answer in time (still starting, or paused): ask again until the deadline.
            }
            long left = remaining(deadline);
            if (left == 0) {
                return List.of();
            }
            sleep(Math.min(200, left));
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a Kafka topic", e);
        }
    }
}

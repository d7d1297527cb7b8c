package io.teledrop.it.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The build's broker is real and can be taken down and brought back without losing what it acknowledged: what the
 * tests of Kafka events rely on ({@link KafkaBroker}). Records of one key keep their order (one partition).
 */
class KafkaBrokerIT {

    private static final KafkaBroker BROKER = KafkaBroker.fromBuild();
    private static final String KEY = "drop-1";

    @Test
    void acknowledgedRecordsSurviveAPauseInOrder() throws Exception {
        String topic = "it-broker-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = BROKER.producer(Map.of())) {
            for (String value : List.of("created", "uploaded", "downloaded")) {
                producer.send(new ProducerRecord<>(topic, KEY, value)).get(60, TimeUnit.SECONDS);
            }
        }

        BROKER.pause();
        try {
            KafkaProducer<String, String> producer = BROKER.producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000));
            try {
                // The metadata wait gives up after max.block.ms: the send fails instead of hanging.
                ExecutionException failure = assertThrows(ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>(topic, KEY, "while-down")).get(30, TimeUnit.SECONDS));
                assertInstanceOf(TimeoutException.class, failure.getCause());
            } finally {
                producer.close(Duration.ofSeconds(5));
            }
        } finally {
            BROKER.resume();
        }

        try (KafkaProducer<String, String> producer = BROKER.producer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, KEY, "expired")).get(60, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<String, String>> records = BROKER.readAll(topic, Duration.ofSeconds(60), 4);
        assertEquals(List.of("created", "uploaded", "downloaded", "expired"),
                records.stream().map(ConsumerRecord::value).toList(), "values read back (broker log: " + BROKER.log() + ")");
        assertEquals(List.of(0L, 1L, 2L, 3L), records.stream().map(ConsumerRecord::offset).toList());
        assertEquals(1, records.stream().map(ConsumerRecord::partition).distinct().count(), "one key, one partition");
        assertEquals(List.of(KEY), records.stream().map(ConsumerRecord::key).distinct().toList());
    }

    @Test
    void readAllWaitsOutAMissingTopicWithoutCreatingIt() throws Exception {
        String topic = "it-broker-missing-" + UUID.randomUUID();
        assertEquals(List.of(), BROKER.readAll(topic, Duration.ofSeconds(2), 1));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrap()))) {
            assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
        }
    }
}

package io.teledrop.config;

import java.time.Duration;
import java.util.Map;

/**
 * Drop events to Kafka (a transactional outbox relayed to a topic); read by {@link Settings} when
 * {@value #BOOTSTRAP_SERVERS} is set. Without it no event is written or published.
 *
 * @param bootstrapServers {@value #BOOTSTRAP_SERVERS}: {@code host:port[,host:port…]}
 * @param topic            {@value #TOPIC}: where events go, keyed by slug
 * @param source           {@value #SOURCE}: the CloudEvents {@code source} of every event
 * @param relayInterval    {@value #RELAY_INTERVAL}: how often the relay looks for committed events (a commit on
 *                         this server also wakes it at once)
 * @param client           the Kafka client properties passed through ({@code security.protocol}, {@code sasl.*},
 *                         {@code ssl.*}) from the keys in {@link #PASSED_THROUGH}
 */
public record KafkaSettings(String bootstrapServers, String topic, String source, Duration relayInterval, Map<String, String> client) {

    public static final String BOOTSTRAP_SERVERS = "teledrop.events.kafka.bootstrap-servers";
    public static final String TOPIC = "teledrop.events.kafka.topic";
    public static final String SOURCE = "teledrop.events.source";
    public static final String RELAY_INTERVAL = "teledrop.events.kafka.relay-interval";

    /** Teledrop keys whose values go to the Kafka client under the name after the prefix, '-' read as '.'. */
    public static final Map<String, String> PASSED_THROUGH = Map.of(
            "teledrop.events.kafka.security-protocol", "security.protocol",
            "teledrop.events.kafka.sasl-mechanism", "sasl.mechanism",
            "teledrop.events.kafka.sasl-jaas-config", "sasl.jaas.config",
            "teledrop.events.kafka.ssl-truststore-location", "ssl.truststore.location",
            "teledrop.events.kafka.ssl-truststore-password", "ssl.truststore.password",
            "teledrop.events.kafka.ssl-keystore-location", "ssl.keystore.location",
            "teledrop.events.kafka.ssl-keystore-password", "ssl.keystore.password",
            "teledrop.events.kafka.ssl-key-password", "ssl.key.password");

    public KafkaSettings {
        client = Map.copyOf(client);
    }

    @Override
    public String toString() {
        // Passwords and JAAS configurations are secrets: their names only.
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", topic=" + topic + ", source=" + source + ", relayInterval="
                + relayInterval + ", client=" + client.keySet() + "]";
    }
}

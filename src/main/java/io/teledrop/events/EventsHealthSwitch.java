package io.teledrop.events;

import io.teledrop.config.KafkaSettings;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Leaves the {@code events} readiness check out when no Kafka broker is configured, so that a server without
 * events answers {@code /health/ready} exactly as before (a CDI extension: a health check bean cannot remove
 * itself once it exists).
 */
public class EventsHealthSwitch implements Extension {

    void withoutKafkaNoCheck(@Observes ProcessAnnotatedType<EventsHealth> check) {
        boolean configured = ConfigProvider.getConfig().getOptionalValue(KafkaSettings.BOOTSTRAP_SERVERS, String.class)
                .filter(servers -> !servers.isBlank()).isPresent();
        if (!configured) {
            check.veto();
        }
    }
}

package io.teledrop.events;

import io.teledrop.config.Settings;
import io.teledrop.drop.EventOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The events' backlog in {@code /health/ready}, always UP: uploads and downloads work while Kafka is away, and
 * taking the server out of a balancer would not bring Kafka back. Present when events go to Kafka.
 */
@Readiness
@ApplicationScoped
public class EventsHealth implements HealthCheck {

    @Inject
    Settings settings;

    @Inject
    EventOutbox outbox;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("events").up();
        if (settings.kafka().isEmpty()) {
            return response.withData("kafka", "not configured").build();
        }
        try {
            EventOutbox.Backlog backlog = outbox.backlog();
            response.withData("backlog", backlog.events());
            if (backlog.oldest() != null) {
                response.withData("oldest", backlog.oldest().toString());
            }
        } catch (RuntimeException e) {
            response.withData("backlog", "unknown (the database did not answer)");
        }
        return response.build();
    }
}

package io.teledrop.events;

import io.teledrop.drop.EventOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The events' backlog in {@code /health/ready}, always UP: uploads and downloads work while Kafka is away, and
 * taking the server out of a balancer would not bring Kafka back. Present only when events go to Kafka
 * ({@link EventsHealthSwitch}).
 */
@Readiness
@ApplicationScoped
public class EventsHealth implements HealthCheck {

    @Inject
    EventOutbox outbox;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("events").up();
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

package io.teledrop.drop.internal;

import io.teledrop.cluster.EventRelay;
import io.teledrop.drop.DropEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires {@link DropEvent}s once their change has committed (callers fire after the writer's transaction returns):
 * here as CDI events, and to the other servers of a cluster through the {@link EventRelay}.
 */
@ApplicationScoped
class CommittedEvents {

    private static final Logger LOG = Logger.getLogger(CommittedEvents.class.getName());

    @Inject
    Event<DropEvent> events;

    @Inject
    EventRelay relay;

    void fire(String dropId, String slug, String type, String fileId, String fileName) {
        DropEvent event = new DropEvent(dropId, slug, type, fileId, fileName, DropRules.CLOCK.instant());
        relay.publish(event);
        try {
            events.fire(event);
        } catch (RuntimeException e) {
            // A listener's trouble must not turn a committed change into an error for its client.
            LOG.log(Level.WARNING, e, () -> "A listener failed on " + type + " of drop " + slug);
        }
    }
}

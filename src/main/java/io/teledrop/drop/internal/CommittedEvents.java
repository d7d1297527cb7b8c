package io.teledrop.drop.internal;

import io.teledrop.drop.DropEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Fires {@link DropEvent}s once their change has committed (callers fire after the writer's transaction returns). */
@ApplicationScoped
class CommittedEvents {

    private static final Logger LOG = Logger.getLogger(CommittedEvents.class.getName());

    @Inject
    Event<DropEvent> events;

    void fire(String dropId, String slug, String type, String fileId, String fileName) {
        try {
            events.fire(new DropEvent(dropId, slug, type, fileId, fileName, DropRules.CLOCK.instant()));
        } catch (RuntimeException e) {
            // A listener's trouble must not turn a committed change into an error for its client.
            LOG.log(Level.WARNING, e, () -> "A listener failed on " + type + " of drop " + slug);
        }
    }
}

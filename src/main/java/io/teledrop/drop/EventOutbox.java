package io.teledrop.drop;

import java.time.Instant;
import java.util.List;

/**
 * The drop events committed and not yet published (the transactional outbox): each was written in the same
 * transaction as its change, as a whole CloudEvent. A relay takes them in order, publishes them, and marks
 * them published. Only one relay at a time may take events: {@link #take} holds the outbox for its caller.
 */
public interface EventOutbox {

    /** An event as it is published: its CloudEvents id, the drop's slug (the message key) and the whole event as JSON. */
    record PendingEvent(long seq, String id, String type, String subject, Instant created, String payload) {
    }

    /** How far behind publishing is. {@code oldest} is null when nothing waits. */
    record Backlog(long events, Instant oldest) {
    }

    /**
     * The oldest events not yet published, up to {@code limit}, in the order their changes committed; empty if
     * another relay holds the outbox. Holding it (until {@code until}) is taken or renewed by this call.
     */
    List<PendingEvent> take(String relay, Instant now, Instant until, int limit);

    /** Lets go of the outbox after a pass, so that any server may take it at once (a crashed holder's hold runs out). */
    void release(String relay);

    /** Forgets the events up to {@code seq}, which have been published. */
    void published(long seq);

    Backlog backlog();
}

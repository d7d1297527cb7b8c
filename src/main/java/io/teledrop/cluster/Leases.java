package io.teledrop.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;

/**
 * Periodic tasks that must run once per interval however many servers share the database: time is cut into
 * periods of the task's interval (counted from the epoch, so every server numbers them alike), and a server
 * runs the task only if it is the first to take the current period ({@code leases}, one conditional upsert:
 * of servers racing for a period exactly one changes the row). A server that dies while running leaves the
 * next period to whoever takes it. Servers whose clocks differ by less than an interval take each period once.
 */
@ApplicationScoped
public class Leases {

    private static final String TAKE = "INSERT INTO leases (name, period, holder, taken_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET period = excluded.period, holder = excluded.holder, taken_at = excluded.taken_at"
            + " WHERE leases.period < excluded.period";

    @PersistenceContext(unitName = "teledrop")
    EntityManager em;

    @Inject
    ClusterNode node;

    /** Whether this server takes the period of {@code interval} that {@code now} falls in for the task {@code name}. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean take(String name, Duration interval, Instant now) {
        return take(name, now.toEpochMilli() / Math.max(1, interval.toMillis()), now);
    }

    /**
     * Whether this server takes {@code period} of the task {@code name}, for tasks that number their periods
     * themselves (scheduled backups at a time of day): true for exactly one caller per period, and never for a
     * period older than one already taken.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean take(String name, long period, Instant now) {
        return em.createNativeQuery(TAKE).setParameter(1, name).setParameter(2, period).setParameter(3, node.name())
                .setParameter(4, now.toEpochMilli()).executeUpdate() == 1;
    }
}

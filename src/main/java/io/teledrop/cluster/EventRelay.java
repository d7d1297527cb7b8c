package io.teledrop.cluster;

import io.teledrop.drop.DropEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Passes drop events between the servers of a cluster, so that a reader watching a drop on one server hears
 * an upload on another: PostgreSQL's NOTIFY on the channel {@value #CHANNEL} after the change committed, and
 * on every server a thread that LISTENs and fires what the other servers sent as local CDI events. On SQLite
 * (one server) it does nothing. Delivery is live only: a server that cannot listen for a while (the database
 * restarting) misses what was sent meanwhile, as a reader whose connection dropped would.
 * <p>
 * Receiving needs the driver's own {@code PGConnection.getNotifications}, which JDBC does not have; the
 * driver is a server library the application cannot link to, so the interface is found through the class
 * loader of an object the driver returns, and called by reflection. Thread-safe.
 */
@ApplicationScoped
public class EventRelay {

    static final String CHANNEL = "teledrop_events";
    private static final Logger LOG = Logger.getLogger(EventRelay.class.getName());
    private static final int WAIT_MILLIS = 500;
    private static final Jsonb JSON = JsonbBuilder.create();

    /** What one notification carries: the event and the server that sent it. */
    public record Relayed(String from, String dropId, String slug, String type, String fileId, String fileName, long at) {
    }

    @Resource(lookup = "jdbc/teledrop")
    DataSource dataSource;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    ClusterNode node;

    @Inject
    Event<DropEvent> localEvents;

    private volatile boolean running;
    private volatile boolean listening;
    private Thread listener;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        if (!node.sharedDatabase()) {
            return;
        }
        running = true;
        listener = threads.newThread(this::listen);
        listener.setName("teledrop-event-relay");
        listener.setDaemon(true);
        listener.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether this server hears the others (always true where there are none). */
    public boolean listening() {
        return !node.sharedDatabase() || listening;
    }

    /**
     * Tells the other servers of {@code event}, which has committed. A failure is logged, never thrown: the
     * change stands, and only live readers on other servers miss it.
     */
    public void publish(DropEvent event) {
        if (!node.sharedDatabase()) {
            return;
        }
        Relayed relayed = new Relayed(node.name(), event.dropId(), event.slug(), event.type(), event.fileId(), event.fileName(),
                event.at().toEpochMilli());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, JSON.toJson(relayed));
            notify.execute();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Could not tell the other servers of " + event.type() + " of drop " + event.slug());
        }
    }

    private void listen() {
        long backoff = 500;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                Notifications notifications = Notifications.of(connection);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                try {
                    listening = true;
                    backoff = 500;
                    LOG.fine("Listening for other servers' drop events");
                    while (running) {
                        for (String payload : notifications.next(WAIT_MILLIS)) {
                            deliver(payload);
                        }
                    }
                } finally {
                    listening = false;
                    // The physical connection goes back to the pool: it must not go on collecting notifications.
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("UNLISTEN *");
                    } catch (SQLException e) {
                        LOG.log(Level.FINE, "UNLISTEN failed (the connection is broken, so the pool drops it)", e);
                    }
                }
            } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.log(Level.WARNING, "Not hearing other servers' drop events (" + e + "); trying again in " + backoff + " ms");
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void deliver(String payload) {
        try {
            Relayed relayed = JSON.fromJson(payload, Relayed.class);
            if (relayed.from().equals(node.name())) {
                return; // fired here already, when it happened
            }
            localEvents.fire(new DropEvent(relayed.dropId(), relayed.slug(), relayed.type(), relayed.fileId(), relayed.fileName(),
                    Instant.ofEpochMilli(relayed.at())));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Could not deliver a relayed drop event: " + payload);
        }
    }

    /** The driver's {@code PGConnection.getNotifications(int)} of one connection, called by reflection. */
    private static final class Notifications {
        private final Object pgConnection;
        private final Method getNotifications;
        private final Method getParameter;

        private Notifications(Object pgConnection, Method getNotifications, Method getParameter) {
            this.pgConnection = pgConnection;
            this.getNotifications = getNotifications;
            this.getParameter = getParameter;
        }

        static Notifications of(Connection connection) throws SQLException, ReflectiveOperationException {
            ClassLoader driverLoader;
            // A json value comes back as the driver's PGobject, whose class loader is the driver's.
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT CAST('{}' AS json)")) {
                result.next();
                driverLoader = result.getObject(1).getClass().getClassLoader();
            }
            Class<?> pgConnectionType = Class.forName("org.postgresql.PGConnection", false, driverLoader);
            Class<?> notificationType = Class.forName("org.postgresql.PGNotification", false, driverLoader);
            return new Notifications(connection.unwrap(pgConnectionType), pgConnectionType.getMethod("getNotifications", int.class),
                    notificationType.getMethod("getParameter"));
        }

        /** The payloads that arrived, waiting up to {@code millis} for the first. */
        java.util.List<String> next(int millis) throws SQLException, ReflectiveOperationException {
            Object[] arrived;
            try {
                arrived = (Object[]) getNotifications.invoke(pgConnection, millis);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw e;
            }
            if (arrived == null || arrived.length == 0) {
                return java.util.List.of();
            }
            java.util.List<String> payloads = new java.util.ArrayList<>(arrived.length);
            for (Object notification : arrived) {
                payloads.add((String) getParameter.invoke(notification));
            }
            return payloads;
        }
    }
}

package io.teledrop.drop.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * When the database cannot be reached, a read fails at once, and its request answers 503 with Retry-After
 * (web.Problems). EclipseLink's default retries a query outside a transaction three times after a lost
 * connection, seconds apart, which held every read for 10 s while PostgreSQL restarted. The pool drops broken
 * connections itself, so the next request after a restart gets a new one.
 * <p>
 * JPA has no property for it, and EclipseLink's API is hidden from applications on Liberty (a session
 * customizer could not be loaded), so the session's login is set by reflection once, at start-up.
 */
@ApplicationScoped
class DatabaseFailFast {

    private static final Logger LOG = Logger.getLogger(DatabaseFailFast.class.getName());

    @PersistenceUnit(unitName = "teledrop")
    EntityManagerFactory factory;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        try {
            Object eclipseLinkFactory = factory.unwrap(Object.class);
            Object session = eclipseLinkFactory.getClass().getMethod("getServerSession").invoke(eclipseLinkFactory);
            Object login = session.getClass().getMethod("getLogin").invoke(session);
            login.getClass().getMethod("setQueryRetryAttemptCount", int.class).invoke(login, 0);
            login.getClass().getMethod("setDelayBetweenConnectionAttempts", int.class).invoke(login, 0);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not turn EclipseLink's query retries off; reads wait about 10 s before"
                    + " answering 503 while the database is away", e);
        }
    }
}

package io.teledrop.cluster;

import io.teledrop.config.ConfigurationException;
import io.teledrop.config.Settings;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * This server as a member of a cluster: a name that is new at every start (so a restarted server is a new
 * member, and its own relayed events are told apart from those of the others), and whether other servers may
 * share its database. PostgreSQL is the database of a cluster; SQLite is one server's. Thread-safe.
 */
@ApplicationScoped
public class ClusterNode {

    private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());

    @Resource(lookup = "jdbc/teledrop")
    DataSource dataSource;

    @Inject
    Settings settings;

    private final String name = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private volatile Boolean shared;

    /**
     * On a shared database every server must sign unlock tokens with one key: a token made by one server must
     * open the drop on the others, and a key made per server would not. So a missing key stops the start.
     */
    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        if (sharedDatabase() && settings.tokenSecret().isEmpty()) {
            throw new ConfigurationException(Settings.AUTH_TOKEN_SECRET, "must be set, the same on every server, when the database is"
                    + " PostgreSQL (servers sharing it must sign unlock tokens with one key; at least 32 characters)");
        }
        LOG.info(() -> "This server is " + name + (sharedDatabase() ? ", on a database other servers may share" : ""));
    }

    /** This server's name in the cluster, {@code host/random}, new at every start. */
    public String name() {
        return name;
    }

    /** Whether the database is one several servers may share (PostgreSQL), asked of the database itself. */
    public boolean sharedDatabase() {
        Boolean known = shared;
        if (known == null) {
            try (Connection connection = dataSource.getConnection()) {
                known = "PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot ask the database what it is", e);
            }
            shared = known;
        }
        return known;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "server";
        }
    }
}

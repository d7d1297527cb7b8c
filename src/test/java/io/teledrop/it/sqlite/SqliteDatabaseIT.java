package io.teledrop.it.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InitialContext;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SQLite data source of server.xml as the application gets it: WAL, foreign keys, a busy timeout, synchronous=FULL. */
@ExtendWith(ArquillianExtension.class)
class SqliteDatabaseIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(SqliteDatabaseIT.class);
    }

    private static Connection connect() throws Exception {
        DataSource dataSource = InitialContext.doLookup("jdbc/teledrop");
        return dataSource.getConnection();
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("PRAGMA " + name)) {
            assertTrue(result.next(), "PRAGMA " + name + " answered nothing");
            return result.getString(1);
        }
    }

    @Test
    void everyPooledConnectionHasWalForeignKeysAndABusyTimeout() throws Exception {
        // Hold several connections at once so that more than one pooled connection is checked.
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(connect());
            }
            for (Connection connection : held) {
                assertEquals("wal", pragma(connection, "journal_mode"));
                assertEquals("1", pragma(connection, "foreign_keys"));
                assertEquals("30000", pragma(connection, "busy_timeout"));
                assertEquals("2", pragma(connection, "synchronous"), "synchronous=FULL");
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }
}

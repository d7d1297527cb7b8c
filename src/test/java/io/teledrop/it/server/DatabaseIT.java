package io.teledrop.it.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.naming.InitialContext;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The data source as the application gets it from the server: WAL, foreign keys on, schema from Flyway. */
@ExtendWith(ArquillianExtension.class)
class DatabaseIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(DatabaseIT.class);
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
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }

    @Test
    void schemaComesFromTheFlywayMigration() throws Exception {
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version = '1'")) {
            assertTrue(result.next(), "migration V1 is not recorded");
            assertEquals(1, result.getInt("success"));
        }
    }

    @Test
    void aFileRowWithoutItsDropIsRefused() throws Exception {
        try (Connection connection = connect();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO stored_files (id, drop_id, position, original_name, storage_key,"
                     + " size_bytes, content_type, sha256, created_at) VALUES (?, ?, 0, 'x', ?, 0, 'text/plain', 'abc', 0)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, "no-such-drop");
            insert.setString(3, "zz/" + UUID.randomUUID().toString().replace("-", ""));

            SQLException refused = assertThrows(SQLException.class, insert::executeUpdate);
            assertTrue(refused.getMessage().contains("FOREIGN KEY"), refused.getMessage());
        }
    }

    @Test
    void aSecondDropWithTheSameSlugIsRefusedByTheDatabase() throws Exception {
        String slug = "uk-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = connect()) {
            insertDrop(connection, slug);
            SQLException refused = assertThrows(SQLException.class, () -> insertDrop(connection, slug));
            assertTrue(refused.getMessage().contains("UNIQUE") && refused.getMessage().contains("drops.slug"), refused.getMessage());
        }
    }

    private static void insertDrop(Connection connection, String slug) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO drops (id, slug, created_at, download_count, delete_token_hash) VALUES (?, ?, 0, 0, 'h')")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, slug);
            insert.executeUpdate();
        }
    }
}

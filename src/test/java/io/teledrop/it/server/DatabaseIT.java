package io.teledrop.it.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.naming.InitialContext;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The data source as the application gets it from the server, on either database: schema from Flyway, foreign
 * keys and unique constraints enforced. What only one database has is checked in {@code it.sqlite} (WAL, busy
 * timeout) and {@code it.postgresql} (isolation, the version).
 */
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

    @Test
    void schemaComesFromTheFlywayMigration() throws Exception {
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version = '1'")) {
            assertTrue(result.next(), "migration V1 is not recorded");
            assertTrue(result.getBoolean("success")); // an integer in SQLite, a boolean in PostgreSQL
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
            // SQLite's words, or PostgreSQL's foreign_key_violation
            assertTrue(refused.getMessage().contains("FOREIGN KEY") || "23503".equals(refused.getSQLState()), refused.getMessage());
        }
    }

    @Test
    void aSecondDropWithTheSameSlugIsRefusedByTheDatabase() throws Exception {
        String slug = "uk-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = connect()) {
            insertDrop(connection, slug);
            SQLException refused = assertThrows(SQLException.class, () -> insertDrop(connection, slug));
            // SQLite's words, or PostgreSQL's unique_violation on the slug's constraint
            assertTrue(refused.getMessage().contains("UNIQUE") && refused.getMessage().contains("drops.slug")
                    || "23505".equals(refused.getSQLState()) && refused.getMessage().contains("uk_drops_slug"), refused.getMessage());
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

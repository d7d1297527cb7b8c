package io.teledrop.it.postgresql;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.RestoredBackup;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An online backup of a server on PostgreSQL: {@code pg_dump} in its custom format beside the blobs' hard links,
 * restored with {@code bin/restore.sh} (which runs {@code pg_restore}) into a new, empty database and a fresh data
 * folder, then checked as a restarted server would see it (every drop uploaded before, every blob by SHA-256).
 */
@ExtendWith(ArquillianExtension.class)
class PostgresqlBackupIT {

    private static final String ADMIN_KEY = System.getProperty("teledrop.it.api-key");
    private static final String PG_URL = System.getProperty("teledrop.it.pg.url");
    private static final String PG_USER = System.getProperty("teledrop.it.pg.user");
    private static final String PG_PASSWORD = System.getProperty("teledrop.it.pg.password");

    private final TeledropClient client = new TeledropClient();

    @TempDir
    Path restoredData;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void aBackupIsAPgDumpThatRestoresIntoANewDatabase() throws Exception {
        Map<String, String> uploaded = RestoredBackup.uploadDrops(client, "pg", 3, 90_000);

        HttpResponse<String> answer = client.send(RestoredBackup.backupRequest(client, "X-API-Key", ADMIN_KEY));
        assertEquals(201, answer.statusCode(), answer.body());
        JsonObject backup = json(answer);
        Path folder = Path.of(backup.getString("location"));
        assertEquals("teledrop.pgdump", backup.getString("databaseFile"));
        assertEquals(folder.getFileName().toString(), backup.getString("name"));
        assertTrue(Files.size(folder.resolve("teledrop.pgdump")) == backup.getJsonNumber("databaseBytes").longValue(), backup.toString());
        assertTrue(backup.getJsonNumber("blobs").longValue() >= 3, backup.toString());
        // pg_dump's custom format starts with its magic "PGDMP".
        assertEquals("PGDMP", new String(Files.readAllBytes(folder.resolve("teledrop.pgdump")), 0, 5, java.nio.charset.StandardCharsets.US_ASCII));

        String database = createDatabase();
        try {
            Process process = restore(folder, database);
            String output = new String(process.getInputStream().readAllBytes());
            assertEquals(0, process.waitFor(), output);

            try (Connection db = DriverManager.getConnection(jdbcUrl(database), PG_USER, PG_PASSWORD)) {
                RestoredBackup.assertHolds(db, restoredData.resolve("blobs"), uploaded);
            }
        } finally {
            dropDatabase(database);
        }
    }

    @Test
    void aPgDumpIsRestoredIntoAnEmptyDatabaseOnly() throws Exception {
        JsonObject backup = json(client.send(RestoredBackup.backupRequest(client, "X-API-Key", ADMIN_KEY)));
        String database = createDatabase();
        try {
            try (Connection db = DriverManager.getConnection(jdbcUrl(database), PG_USER, PG_PASSWORD); Statement statement = db.createStatement()) {
                statement.execute("CREATE TABLE drops (id bigint)");
            }
            Process process = restore(Path.of(backup.getString("location")), database);
            String output = new String(process.getInputStream().readAllBytes());

            assertEquals(2, process.waitFor(), output);
            assertTrue(output.contains("has 1 tables: restore into a new, empty one"), output);
            try (Connection db = DriverManager.getConnection(jdbcUrl(database), PG_USER, PG_PASSWORD); Statement statement = db.createStatement();
                 java.sql.ResultSet tables = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
                tables.next();
                assertEquals(1, tables.getInt(1), "nothing was restored");
            }
        } finally {
            dropDatabase(database);
        }
    }

    private Process restore(Path folder, String database) throws java.io.IOException {
        URI server = URI.create(PG_URL.substring("jdbc:".length()));
        String target = "postgresql://" + PG_USER + "@" + server.getHost() + ":" + server.getPort() + "/" + database;
        ProcessBuilder restore = new ProcessBuilder("bash", "bin/restore.sh", folder.toString(), restoredData.toString(), target).redirectErrorStream(true);
        restore.environment().put("PGPASSWORD", PG_PASSWORD);
        return restore.start();
    }

    private static String jdbcUrl(String database) {
        URI server = URI.create(PG_URL.substring("jdbc:".length()));
        return "jdbc:postgresql://" + server.getHost() + ":" + server.getPort() + "/" + database;
    }

    private static String createDatabase() throws java.sql.SQLException {
        String database = "restored_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        return database;
    }

    private static void dropDatabase(String database) throws java.sql.SQLException {
        try (Connection admin = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void aPgDumpIsNotRestoredWithoutADatabase() throws Exception {
        JsonObject backup = json(client.send(RestoredBackup.backupRequest(client, "X-API-Key", ADMIN_KEY)));

        Process process = new ProcessBuilder("bash", "bin/restore.sh", backup.getString("location"), restoredData.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());

        assertEquals(2, process.waitFor(), output);
        assertTrue(output.contains("name the database to restore into"), output);
    }

    @Test
    void onlyAnAdminKeyMayBackUp() {
        assertProblem(client.send(RestoredBackup.backupRequest(client)), 401, "urn:teledrop:problem:authentication-required");
    }
}

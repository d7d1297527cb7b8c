package io.teledrop.drop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * Servers that start at once on one SQLite file migrate it once: Flyway takes no lock on SQLite, so
 * {@link SchemaMigration} holds one beside the database. (On PostgreSQL Flyway's advisory lock does it;
 * {@code io.teledrop.it.postgresql.MigrationIT} checks that against a real server.) Without the lock, eight
 * threads migrating a new file at once failed with SQLITE_BUSY in 11 of 15 runs.
 */
class SchemaMigrationTest {

    @TempDir
    Path folder;

    /** A data source as server.xml's SQLite one: WAL, a busy timeout, foreign keys. */
    private SQLiteDataSource sqlite(Path file) {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        dataSource.setJournalMode("WAL");
        dataSource.setBusyTimeout(30_000);
        dataSource.setEnforceForeignKeys(true);
        return dataSource;
    }

    @RepeatedTest(5)
    void eightServersStartingAtOnceMigrateOnce() throws Exception {
        Path database = folder.resolve("teledrop.db");
        int servers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<MigrateResult>> runs = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                SQLiteDataSource dataSource = sqlite(database); // one data source per "server"
                runs.add(pool.submit(() -> {
                    start.await();
                    return SchemaMigration.migrate(dataSource, SchemaMigration.lockFileOf(database));
                }));
            }
            start.countDown();
            int applied = 0;
            for (Future<MigrateResult> run : runs) {
                applied += run.get().migrationsExecuted;
            }
            try (Connection connection = sqlite(database).getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT version), MIN(success)"
                         + " FROM flyway_schema_history WHERE version IS NOT NULL")) {
                rows.next();
                int versions = rows.getInt(2);
                assertEquals(versions, rows.getInt(1), "every version recorded once");
                assertEquals(1, rows.getInt(3), "every migration succeeded");
                assertEquals(versions, applied, "each migration ran in exactly one of the servers");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDatabaseHoldingAnotherTableAlreadyGetsEveryMigration() throws Exception {
        Path database = folder.resolve("shared.db");
        try (Connection connection = sqlite(database).getConnection(); Statement statement = connection.createStatement()) {
            // what Liberty's session persistence creates before the application starts
            statement.execute("CREATE TABLE teledrop_http_sessions (id VARCHAR(128) PRIMARY KEY)");
        }

        MigrateResult result = SchemaMigration.migrate(sqlite(database), SchemaMigration.lockFileOf(database));

        try (Connection connection = sqlite(database).getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL AND version <> '0'")) {
            rows.next();
            assertEquals(result.migrationsExecuted, rows.getInt(1));
            assertEquals(rows.getInt(1), Integer.parseInt(result.targetSchemaVersion), "every version from V1 ran");
        }
        try (Connection connection = sqlite(database).getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT drop_id FROM password_attempts"); // made by V4
        }
    }

    @Test
    void everyChangeOfADropOrItsFilesRaisesItsRevision() throws Exception {
        Path database = folder.resolve("revisions.db");
        SchemaMigration.migrate(sqlite(database), SchemaMigration.lockFileOf(database));
        DropRevisionsContract.everyChangeRaisesTheRevision(sqlite(database));
    }

    @Test
    void theLockFileLiesBesideTheDatabase() {
        assertEquals(Path.of("/srv/data/teledrop.db.migration-lock"), SchemaMigration.lockFileOf(Path.of("/srv/data/teledrop.db")));
    }
}

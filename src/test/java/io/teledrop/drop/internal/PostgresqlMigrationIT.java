package io.teledrop.drop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Servers that start at once on one PostgreSQL database migrate it once (Flyway's advisory lock), and the
 * migrations SQLite runs give PostgreSQL the same versions. Runs in the postgresql-integration-tests execution,
 * against the build's PostgreSQL (bin/test-postgresql.sh), in a database of its own made for the test.
 */
class PostgresqlMigrationIT {

    private static final String URL = System.getProperty("teledrop.it.pg.url");
    private static final String USER = System.getProperty("teledrop.it.pg.user");
    private static final String PASSWORD = System.getProperty("teledrop.it.pg.password");

    @TempDir
    Path folder;

    @Test
    void fourServersStartingAtOnceOnANewDatabaseMigrateItOnce() throws Exception {
        String database = "migration_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(URL, USER, PASSWORD); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String url = URL.substring(0, URL.lastIndexOf('/') + 1) + database;
        int servers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<MigrateResult>> runs = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                PGSimpleDataSource dataSource = new PGSimpleDataSource();
                dataSource.setURL(url);
                dataSource.setUser(USER);
                dataSource.setPassword(PASSWORD);
                runs.add(pool.submit(() -> {
                    start.await();
                    // The lock file is SQLite's and unused here.
                    return SchemaMigration.migrate(dataSource, folder.resolve("unused.migration-lock"));
                }));
            }
            start.countDown();
            int applied = 0;
            for (Future<MigrateResult> run : runs) {
                applied += run.get().migrationsExecuted;
            }
            try (Connection connection = DriverManager.getConnection(url, USER, PASSWORD);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT version), BOOL_AND(success)"
                         + " FROM flyway_schema_history WHERE version IS NOT NULL")) {
                assertTrue(rows.next());
                int versions = rows.getInt(2);
                assertTrue(versions >= 5, "V1..V5 at least");
                assertEquals(versions, rows.getInt(1), "every version recorded once");
                assertTrue(rows.getBoolean(3), "every migration succeeded");
                assertEquals(versions, applied, "each migration ran in exactly one of the servers");
            }
        } finally {
            pool.shutdownNow();
            try (Connection admin = DriverManager.getConnection(URL, USER, PASSWORD); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void everyChangeOfADropOrItsFilesRaisesItsRevision() throws Exception {
        String database = "revisions_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(URL, USER, PASSWORD); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        try {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(URL.substring(0, URL.lastIndexOf('/') + 1) + database);
            dataSource.setUser(USER);
            dataSource.setPassword(PASSWORD);
            SchemaMigration.migrate(dataSource, folder.resolve("unused.migration-lock"));
            DropRevisionsContract.everyChangeRaisesTheRevision(dataSource);
        } finally {
            try (Connection admin = DriverManager.getConnection(URL, USER, PASSWORD); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }
}

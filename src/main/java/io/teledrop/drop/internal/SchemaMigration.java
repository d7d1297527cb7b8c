package io.teledrop.drop.internal;

import io.teledrop.config.Settings;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database schema up to date before the application takes its first request. Start-up fails
 * (and the application does not start) if the configuration is invalid or a migration fails.
 * <p>
 * One set of migrations ({@code db/migration}) serves SQLite and PostgreSQL: each file is written in the SQL
 * both accept, so a version means the same schema on either. Servers that start at once migrate once: on
 * PostgreSQL Flyway holds an advisory lock while it migrates, and the others wait for it and then find the
 * schema current. Flyway takes no lock on SQLite, so here the migration holds an exclusive lock on a file
 * beside the database ({@code <database>.migration-lock}, taken whatever the database): servers can share a
 * SQLite file only on one machine, and there that lock orders them the same way.
 */
@ApplicationScoped
class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = "jdbc/teledrop")
    DataSource dataSource;

    @Inject
    Settings settings;

    /** First of the start-up observers: the others may use the database, whose folder and tables this makes. */
    void migrate(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) @Initialized(ApplicationScoped.class) Object ignored) {
        createFolder(settings.dataDir());
        createFolder(settings.databaseFile().getParent()); // the lock file's folder, whatever the database
        MigrateResult result = migrate(dataSource, lockFileOf(settings.databaseFile()));
        LOG.info(() -> "Database schema at version " + (result.targetSchemaVersion != null ? result.targetSchemaVersion
                : result.initialSchemaVersion) + " on " + result.database + " (" + result.migrationsExecuted + " migrations applied now)");
    }

    /** The file whose lock orders the migrations of servers sharing the SQLite database {@code database}. */
    static Path lockFileOf(Path database) {
        return database.resolveSibling(database.getFileName() + ".migration-lock");
    }

    /**
     * Migrates the database behind {@code dataSource} to the newest version while holding the lock on
     * {@code sqliteLock} (and this JVM's, since a file lock is held per process, not per thread).
     */
    static MigrateResult migrate(DataSource dataSource, Path sqliteLock) {
        Flyway flyway = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                // Liberty's class loader finds a classpath folder only through a file in it, hence the empty
                // flyway.location files in db/migration and db/callback (Flyway's default callback folder).
                .locations("classpath:db/migration")
                .javaMigrations(new V10__DropRevisions())
                .failOnMissingLocations(true)
                // A database that already holds other tables (Liberty's session table, created in a cluster before
                // the application starts) gets its history at version 0, so every migration still runs from V1.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
        // Taken on PostgreSQL too, where it is redundant but harmless: asking the database what it is would need a
        // connection before the lock, and opening a SQLite connection while another server migrates can fail at
        // once with SQLITE_BUSY (setting its journal mode needs the lock the migration holds).
        synchronized (SchemaMigration.class) {
            try (FileChannel channel = FileChannel.open(sqliteLock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                return flyway.migrate();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot lock " + sqliteLock + " to migrate the database", e);
            }
        }
    }

    private static void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + folder + ": check " + Settings.DATA_DIR, e);
        }
    }
}

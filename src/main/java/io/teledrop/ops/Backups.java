package io.teledrop.ops;

import io.teledrop.config.Settings;
import io.teledrop.config.StorageType;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Online backups: a consistent copy of the SQLite database (SQLite's online backup API, which copies a
 * consistent state while uploads go on), then the local blob tree as hard links (blobs are never changed once written, so a
 * link is as good as a copy and costs no space). The database comes first: a blob written later has no row
 * in the backup (reconciliation removes it after a restore), a blob deleted in between leaves a row that
 * reconciliation marks as missing. With S3 storage only the database is copied; the bucket's own
 * versioning or replication keeps the objects. Only for SQLite: PostgreSQL has its own tools.
 */
@ApplicationScoped
public class Backups {

    private static final Logger LOG = Logger.getLogger(Backups.class.getName());
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Resource(lookup = "jdbc/teledrop")
    DataSource dataSource;

    @Inject
    Settings settings;

    /** What one backup wrote: its folder, the database copy's size, and the blobs linked or copied. */
    public record Backup(Path folder, long databaseBytes, long blobs, long blobBytes) {
    }

    /**
     * Writes a backup into the data folder.
     *
     * @throws BackupNotSupportedException if the database is not SQLite (nothing is written)
     */
    public synchronized Backup create() {
        Path folder = settings.dataDir().resolve("backups").resolve(NAME.format(Instant.now()));
        try {
            Path database = folder.resolve("teledrop.db");
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                String product = connection.getMetaData().getDatabaseProductName();
                if (!product.toLowerCase(Locale.ROOT).contains("sqlite")) {
                    throw new BackupNotSupportedException(product);
                }
                Files.createDirectories(folder);
                // sqlite-jdbc's "backup to" runs SQLite's online backup API: a consistent copy while others write.
                // (VACUUM INTO refuses to run on a pooled connection whose cached statements are still open.)
                statement.executeUpdate("backup to " + database);
            }
            long blobs = 0;
            long blobBytes = 0;
            if (settings.storageType() == StorageType.LOCAL) {
                Path root = settings.localRoot();
                Path target = folder.resolve("blobs");
                List<Path> files;
                try (Stream<Path> walk = Files.walk(root)) {
                    // The staging folder holds unfinished writes, never blobs.
                    files = walk.filter(Files::isRegularFile).filter(p -> !root.relativize(p).startsWith(".tmp")).toList();
                }
                for (Path file : files) {
                    Path copy = target.resolve(root.relativize(file).toString());
                    Files.createDirectories(copy.getParent());
                    try {
                        Files.createLink(copy, file);
                    } catch (java.nio.file.NoSuchFileException e) {
                        continue; // deleted since the listing: its row, if any, is in the backup and will be marked missing
                    } catch (FileSystemException | UnsupportedOperationException e) {
                        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                    blobs++;
                    blobBytes += Files.size(copy);
                }
            }
            Backup backup = new Backup(folder, Files.size(database), blobs, blobBytes);
            LOG.info(() -> "Backup written: " + backup);
            return backup;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("The database could not be copied: " + e.getMessage(), e);
        }
    }
}

package io.teledrop.ops;

import io.teledrop.config.BackupSettings;
import io.teledrop.config.Settings;
import io.teledrop.config.StorageType;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Online backups: a consistent copy of the SQLite database (SQLite's online backup API, which copies a
 * consistent state while uploads go on), then the local blob tree as hard links (blobs are never changed once written, so a
 * link is as good as a copy and costs no space). The database comes first: a blob written later has no row
 * in the backup (reconciliation removes it after a restore), a blob deleted in between leaves a row that
 * reconciliation marks as missing. With S3 storage only the database is copied; the bucket's own
 * versioning or replication keeps the objects. Only for SQLite: PostgreSQL has its own tools.
 * <p>
 * A backup is written into {@code backups/.partial-<timestamp>/} and renamed to {@code backups/<timestamp>/}
 * once complete, so a half-written backup is never counted, pruned as a backup or restored ({@code bin/restore.sh}
 * refuses it). After each backup that succeeded, the newest {@code teledrop.backup.keep} backups are kept and
 * older ones removed; only folders named like a backup and holding {@code teledrop.db} are backups: whatever
 * else an operator put into the folder stays. One backup at a time per server ({@code synchronized}); the data
 * folder is the server's own.
 */
@ApplicationScoped
public class Backups {

    private static final Logger LOG = Logger.getLogger(Backups.class.getName());
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** A finished backup's folder name: its UTC time, so names sort as times do. */
    static final Pattern BACKUP_NAME = Pattern.compile("\\d{8}-\\d{6}-\\d{3}");
    /** Where a backup is written before it is renamed to its name. */
    static final String PARTIAL = ".partial-";

    @Resource(lookup = "jdbc/teledrop")
    DataSource dataSource;

    @Inject
    Settings settings;

    /** What one backup wrote: its folder, the database copy's size, the blobs linked or copied, and the older backups removed. */
    public record Backup(Path folder, long databaseBytes, long blobs, long blobBytes, List<Path> pruned) {
    }

    private volatile Boolean supported;

    /** Whether this database can be backed up here (SQLite); false while the database cannot be asked. */
    public boolean supported() {
        Boolean known = supported;
        if (known == null) {
            try (Connection connection = dataSource.getConnection()) {
                known = isSqlite(connection.getMetaData().getDatabaseProductName());
                supported = known;
            } catch (SQLException e) {
                return false;
            }
        }
        return known;
    }

    private static boolean isSqlite(String product) {
        return product.toLowerCase(Locale.ROOT).contains("sqlite");
    }

    /** The folder backups go to. */
    public Path folder() {
        return settings.dataDir().resolve("backups");
    }

    /**
     * Writes a backup into the data folder.
     *
     * @throws BackupNotSupportedException if the database is not SQLite (nothing is written)
     */
    public synchronized Backup create() {
        String name = NAME.format(Instant.now());
        Path backups = folder();
        Path partial = backups.resolve(PARTIAL + name);
        Path folder = backups.resolve(name);
        try {
            Backup written = write(partial, folder);
            List<Path> pruned = prune(backups, name, settings.backup().keep());
            Backup backup = new Backup(written.folder(), written.databaseBytes(), written.blobs(), written.blobBytes(), pruned);
            LOG.info(() -> "Backup written: " + backup);
            return backup;
        } catch (IOException e) {
            removeQuietly(partial);
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            removeQuietly(partial);
            throw new IllegalStateException("The database could not be copied: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            removeQuietly(partial);
            throw e;
        }
    }

    /** Writes the backup into {@code partial}, then renames it to {@code folder}. */
    private Backup write(Path partial, Path folder) throws IOException, SQLException {
        Path database = partial.resolve("teledrop.db");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            String product = connection.getMetaData().getDatabaseProductName();
            if (!isSqlite(product)) {
                throw new BackupNotSupportedException(product);
            }
            Files.createDirectories(partial);
            // sqlite-jdbc's "backup to" runs SQLite's online backup API: a consistent copy while others write.
            // (VACUUM INTO refuses to run on a pooled connection whose cached statements are still open.)
            statement.executeUpdate("backup to " + database);
        }
        long blobs = 0;
        long blobBytes = 0;
        // A server that never stored a file has no blob folder yet: the backup is the database alone.
        if (settings.storageType() == StorageType.LOCAL && Files.isDirectory(settings.localRoot())) {
            Path root = settings.localRoot();
            Path target = partial.resolve("blobs");
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
        long databaseBytes = Files.size(database);
        // Complete: only now does it carry a backup's name (the rename is atomic within the folder).
        Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
        return new Backup(folder, databaseBytes, blobs, blobBytes, List.of());
    }

    /**
     * Removes the backups in {@code backups} beyond the newest {@code keep}, never {@code written} (the one just
     * made, kept even if the clock went back), never anything that is not a finished backup.
     */
    private static List<Path> prune(Path backups, String written, int keep) throws IOException {
        List<String> names;
        try (Stream<Path> entries = Files.list(backups)) {
            names = entries.filter(p -> Files.isRegularFile(p.resolve("teledrop.db"), LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString()).toList();
        }
        List<Path> pruned = new ArrayList<>();
        for (String name : toPrune(names, written, keep)) {
            Path old = backups.resolve(name);
            try {
                deleteTree(old);
            } catch (IOException e) {
                throw new IOException("The backup " + written + " was written, but the older " + old + " could not be removed: " + e, e);
            }
            pruned.add(old);
        }
        if (!pruned.isEmpty()) {
            LOG.info(() -> "Removed " + pruned.size() + " old backups (" + BackupSettings.KEEP + " " + keep + "): " + pruned);
        }
        return pruned;
    }

    /**
     * Which of the folder names {@code names} to remove so that {@code keep} backups remain: the names that are
     * backups' (others are not Teledrop's to remove), oldest first beyond the newest {@code keep}, always keeping
     * {@code written}.
     */
    static List<String> toPrune(List<String> names, String written, int keep) {
        List<String> others = names.stream().filter(n -> BACKUP_NAME.matcher(n).matches()).filter(n -> !n.equals(written))
                .sorted(Comparator.reverseOrder()).toList();
        int keepOthers = Math.max(0, keep - 1);
        List<String> older = new ArrayList<>(others.subList(Math.min(keepOthers, others.size()), others.size()));
        Collections.reverse(older);
        return older;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            // Deepest first; links are removed, never followed.
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** After a failure: what was written of the backup goes; a failure to remove it is logged, not thrown over the first. */
    private static void removeQuietly(Path partial) {
        if (Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
            try {
                deleteTree(partial);
            } catch (IOException | UncheckedIOException e) {
                LOG.log(Level.WARNING, "Could not remove the incomplete backup " + partial + "; it is never restored or counted, delete it by hand", e);
            }
        }
    }
}

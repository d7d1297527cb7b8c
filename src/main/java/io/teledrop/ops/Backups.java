package io.teledrop.ops;

import io.teledrop.config.BackupSettings;
import io.teledrop.config.Settings;
import io.teledrop.config.StorageType;
import io.teledrop.storage.BackupShelf;
import io.teledrop.storage.BlobStore;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Online backups: a consistent copy of the database, then (with local storage) the blob tree as hard links
 * (blobs are never changed once written, so a link is as good as a copy and costs no space). SQLite is copied
 * with its online backup API ({@code teledrop.db}), PostgreSQL with {@code pg_dump} ({@code teledrop.pgdump},
 * {@link PgDump}); both copy one consistent state while uploads go on. The database comes first: a blob
 * written later has no row in the backup (reconciliation removes it after a restore), a blob deleted in
 * between leaves a row that reconciliation marks as missing.
 * <p>
 * Where backups are kept: with S3 storage in the bucket ({@link BlobStore#backupShelf()}), which every server of
 * a cluster reaches, so retention sees every backup whichever server wrote it; the bucket's own versioning or
 * replication keeps the objects. Otherwise in the data folder's {@code backups/}. Either way a backup is first
 * written into {@code backups/.partial-<timestamp>/} and put on the shelf only once complete, so a half-written
 * backup is never counted, pruned as a backup or restored ({@code bin/restore.sh} refuses it). After each
 * backup that succeeded, the newest {@code teledrop.backup.keep} are kept and older ones removed; only
 * backups are ever removed, never what else an operator keeps there. One backup at a time per server (a second
 * is refused while one runs); several servers are kept apart by the schedule's lease ({@link ScheduledBackups}).
 */
@ApplicationScoped
public class Backups {

    private static final Logger LOG = Logger.getLogger(Backups.class.getName());
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** Where a backup is written before it goes onto the shelf. */
    static final String PARTIAL = ".partial-";

    @Resource(lookup = "jdbc/teledrop")
    DataSource dataSource;

    @Inject
    Settings settings;

    @Inject
    BlobStore blobStore;

    /**
     * What one backup wrote: its name, where it is now (a folder or an {@code s3://} URL), its database file and
     * that file's size, the blobs linked or copied, and the older backups removed.
     */
    public record Backup(String name, String location, String databaseFile, long databaseBytes, long blobs, long blobBytes, List<String> pruned) {
    }

    private volatile Boolean supported;
    /** One backup at a time on this server; a second one asked for meanwhile is refused, not queued. */
    final ReentrantLock writing = new ReentrantLock();
    /** The pg_dump running now, if any: a stopping application ends it. */
    private final Set<Process> dumps = ConcurrentHashMap.newKeySet();

    /** Whether this database can be backed up (SQLite, PostgreSQL); false while the database cannot be asked. */
    public boolean supported() {
        Boolean known = supported;
        if (known == null) {
            try (Connection connection = dataSource.getConnection()) {
                String product = connection.getMetaData().getDatabaseProductName();
                known = isSqlite(product) || PgDump.isPostgresql(product);
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

    /** The local folder backups are written in (and kept in, unless the storage has a shelf of its own). */
    public Path folder() {
        return settings.dataDir().resolve("backups");
    }

    /** Where finished backups are kept: a folder, or {@code s3://bucket/prefix.backups/}. */
    public String location() {
        return shelf().location();
    }

    private BackupShelf shelf() {
        return blobStore.backupShelf().orElseGet(() -> new FolderShelf(folder()));
    }

    @PreDestroy
    void endDumps() {
        dumps.forEach(Process::destroyForcibly);
    }

    /**
     * Writes a backup and removes the ones beyond {@code teledrop.backup.keep}.
     *
     * @throws BackupNotSupportedException if the database is neither SQLite nor PostgreSQL (nothing is written)
     * @throws BackupInProgressException   if this server is writing one already (nothing is written)
     */
    public Backup create() {
        if (!writing.tryLock()) {
            throw new BackupInProgressException();
        }
        try {
            return createLocked();
        } finally {
            writing.unlock();
        }
    }

    private Backup createLocked() {
        String name = NAME.format(Instant.now());
        Path partial = folder().resolve(PARTIAL + name);
        BackupShelf shelf = shelf();
        try {
            Backup written = write(partial, name, shelf);
            List<String> pruned = prune(shelf, name, settings.backup().keep());
            Backup backup = new Backup(name, written.location(), written.databaseFile(), written.databaseBytes(), written.blobs(), written.blobBytes(), pruned);
            LOG.info(() -> "Backup written: " + backup);
            return backup;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("The database could not be copied: " + e.getMessage(), e);
        } finally {
            // Gone once it is on a folder shelf; uploaded (or failed) otherwise.
            removeQuietly(partial);
        }
    }

    /** Writes the backup into {@code partial}, then puts it on the shelf. */
    private Backup write(Path partial, String name, BackupShelf shelf) throws IOException, SQLException {
        String databaseFile = copyDatabase(partial);
        long databaseBytes = Files.size(partial.resolve(databaseFile));
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
                } catch (NoSuchFileException e) {
                    continue; // deleted since the listing: its row, if any, is in the backup and will be marked missing
                } catch (FileSystemException | UnsupportedOperationException e) {
                    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
                }
                blobs++;
                blobBytes += Files.size(copy);
            }
        }
        // Complete: only now does it go onto the shelf under its name, the database file last.
        String location = shelf.put(name, partial);
        return new Backup(name, location, databaseFile, databaseBytes, blobs, blobBytes, List.of());
    }

    /** Copies the database into {@code partial} (created here) and returns the copy's file name. */
    private String copyDatabase(Path partial) throws IOException, SQLException {
        String jdbcUrl;
        String user;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            DatabaseMetaData metadata = connection.getMetaData();
            String product = metadata.getDatabaseProductName();
            if (isSqlite(product)) {
                Files.createDirectories(partial);
                // sqlite-jdbc's "backup to" runs SQLite's online backup API: a consistent copy while others write.
                // (VACUUM INTO refuses to run on a pooled connection whose cached statements are still open.)
                statement.executeUpdate("backup to " + partial.resolve(BackupShelf.SQLITE_FILE));
                return BackupShelf.SQLITE_FILE;
            }
            if (!PgDump.isPostgresql(product)) {
                throw new BackupNotSupportedException(product);
            }
            jdbcUrl = metadata.getURL();
            user = metadata.getUserName();
        }
        // pg_dump takes its own connection: none of the pool's is held while it runs.
        Files.createDirectories(partial);
        BackupSettings backup = settings.backup();
        PgDump.run(PgDump.invocation(backup.pgDump(), jdbcUrl, user, backup.databasePassword(), partial.resolve(BackupShelf.PG_DUMP_FILE)),
                partial.resolveSibling(partial.getFileName() + ".pg_dump-errors"), dumps);
        return BackupShelf.PG_DUMP_FILE;
    }

    /**
     * Removes the backups on {@code shelf} beyond the newest {@code keep}, never {@code written} (the one just
     * made, kept even if the clock went back).
     */
    private static List<String> prune(BackupShelf shelf, String written, int keep) throws IOException {
        List<String> pruned = new ArrayList<>();
        for (String name : toPrune(shelf.names(), written, keep)) {
            try {
                shelf.remove(name);
            } catch (IOException e) {
                throw new IOException("The backup " + written + " was written, but the older " + name + " in " + shelf.location()
                        + " could not be removed: " + e, e);
            }
            pruned.add(name);
        }
        if (!pruned.isEmpty()) {
            LOG.info(() -> "Removed " + pruned.size() + " old backups from " + shelf.location() + " (" + BackupSettings.KEEP + " " + keep + "): " + pruned);
        }
        return pruned;
    }

    /**
     * Which of the backup names {@code names} to remove so that the newest {@code keep} remain, oldest first; never
     * {@code written} (the one just made, even if a newer one finished before it: a slow backup, another server's,
     * a clock set back), and never a name not shaped like a backup's.
     */
    static List<String> toPrune(List<String> names, String written, int keep) {
        List<String> newestFirst = names.stream().filter(n -> BackupShelf.NAME.matcher(n).matches()).distinct()
                .sorted(Comparator.reverseOrder()).toList();
        List<String> older = new ArrayList<>(newestFirst.subList(Math.min(keep, newestFirst.size()), newestFirst.size()));
        older.remove(written);
        Collections.reverse(older);
        return older;
    }

    /** After a failure (or an upload): what is left of the local copy goes; a failure to remove it is logged, not thrown. */
    private static void removeQuietly(Path partial) {
        if (Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
            try {
                FolderShelf.deleteTree(partial);
            } catch (IOException | UncheckedIOException e) {
                LOG.log(Level.WARNING, "Could not remove the incomplete backup " + partial + "; it is never restored or counted, delete it by hand", e);
            }
        }
    }
}

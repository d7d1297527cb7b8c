package io.teledrop.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where finished backups are kept: each one a few files under a name that is its UTC time, so names sort as times
 * do. A backup counts as finished only once its database file ({@link #DATABASE_FILES}) is on the shelf, and
 * that file goes last, so an interrupted backup is never listed, pruned as one or restored. Whatever else the
 * shelf holds (an operator's own files) is never listed or removed. Implementations are thread-safe.
 */
public interface BackupShelf {

    /** A backup's name: {@code yyyyMMdd-HHmmss-SSS}, UTC. */
    Pattern NAME = Pattern.compile("\\d{8}-\\d{6}-\\d{3}");

    /** A SQLite database's copy in a backup. */
    String SQLITE_FILE = "teledrop.db";

    /** A PostgreSQL database's copy in a backup: {@code pg_dump} in its custom format. */
    String PG_DUMP_FILE = "teledrop.pgdump";

    /** The database copy in a backup, one of these. */
    Set<String> DATABASE_FILES = Set.of(SQLITE_FILE, PG_DUMP_FILE);

    /**
     * Puts the backup written into the local folder {@code written} on the shelf as {@code name}, its database
     * file last; the folder may be gone afterwards. Returns where the backup now is (a folder or a URL).
     */
    String put(String name, Path written) throws IOException;

    /** The names of the finished backups on the shelf, in no particular order. */
    List<String> names() throws IOException;

    /** Removes the backup {@code name} (a finished one, named like {@link #NAME}). */
    void remove(String name) throws IOException;

    /** Where the shelf is, for logs and answers: a folder, or {@code s3://bucket/prefix}. */
    String location();
}

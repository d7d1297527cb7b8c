package io.teledrop.ops;

import io.teledrop.drop.TeledropException;

/**
 * Online backups copy a SQLite database; a PostgreSQL database is backed up with its own tools
 * ({@code pg_dump}, base backups), which know its consistency and its clients better than Teledrop could.
 */
public class BackupNotSupportedException extends TeledropException {

    public BackupNotSupportedException(String database) {
        super("Teledrop backs up SQLite databases only; this server uses " + database
                + ": back it up with pg_dump (README, \"Backup and restore\"), and the blobs beside it.");
    }
}

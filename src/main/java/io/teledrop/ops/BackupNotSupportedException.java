package io.teledrop.ops;

import io.teledrop.drop.TeledropException;

/** Teledrop backs up the databases it runs on, SQLite and PostgreSQL; a data source on another one gets this. */
public class BackupNotSupportedException extends TeledropException {

    public BackupNotSupportedException(String database) {
        super("Teledrop backs up SQLite and PostgreSQL databases only; this server uses " + database
                + ": back it up with its own tools (README, \"Backup and restore\").");
    }
}

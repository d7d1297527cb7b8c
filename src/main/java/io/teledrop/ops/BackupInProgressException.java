package io.teledrop.ops;

import io.teledrop.drop.TeledropException;

/** A backup was asked for while this server writes one: refused at once rather than queued behind a long dump. */
public class BackupInProgressException extends TeledropException {

    public BackupInProgressException() {
        super("This server is writing a backup now; ask again when it has finished (GET /health/live shows the last one).");
    }
}

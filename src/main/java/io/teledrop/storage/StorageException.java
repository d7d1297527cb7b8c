package io.teledrop.storage;

import java.io.IOException;

/**
 * A request to the blob store's server (S3) that failed, with its HTTP status: 0 when no answer came (the
 * server is down or unreachable, a timeout). 0 and 5xx mean the store is unavailable for now, which clients
 * hear as 503, not as a fault of the server.
 */
public class StorageException extends IOException {

    private final int status;

    public StorageException(int status, Exception cause) {
        super(cause.getMessage(), cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Whether the store could not be reached or answered with a server error (try again later). */
    public boolean unavailable() {
        return status == 0 || status >= 500;
    }
}

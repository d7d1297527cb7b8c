package io.teledrop.storage.s3;

import java.io.IOException;

/** An S3 request that failed, with its HTTP status (0 when no answer came: network, timeout, client error). */
final class S3StorageException extends IOException {

    private final int status;

    S3StorageException(int status, Exception cause) {
        super(cause.getMessage(), cause);
        this.status = status;
    }

    int status() {
        return status;
    }
}

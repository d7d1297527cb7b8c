package io.teledrop.storage.s3;

import io.teledrop.storage.StorageException;

/** An S3 request that failed, with its HTTP status (0 when no answer came: network, timeout, client error). */
final class S3StorageException extends StorageException {

    S3StorageException(int status, Exception cause) {
        super(status, cause);
    }
}

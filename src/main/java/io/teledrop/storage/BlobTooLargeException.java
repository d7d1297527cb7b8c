package io.teledrop.storage;

import java.io.IOException;

/** A stream held more bytes than the caller allowed; nothing was stored. */
public class BlobTooLargeException extends IOException {

    private final long limit;

    public BlobTooLargeException(long limit) {
        super("more than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}

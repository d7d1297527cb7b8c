package io.teledrop.storage;

import java.io.IOException;

/** A blob already exists under the given key; blobs are never overwritten. */
public class BlobExistsException extends IOException {

    public BlobExistsException(String key) {
        super("blob exists: " + key);
    }
}

package io.teledrop.storage;

import java.io.IOException;

/** No blob exists under the given key. */
public class NoSuchBlobException extends IOException {

    public NoSuchBlobException(String key) {
        super("no blob " + key);
    }
}

package io.teledrop.storage;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * The storage has no room for a write: the file system is full (or over quota), or the write would eat
 * into the space kept free for the database and logs. Nothing of the write remains.
 */
public class StorageFullException extends IOException {

    private static final long serialVersionUID = 1L;

    public StorageFullException(String message) {
        super(message);
    }

    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code error}, or what caused it, is the operating system saying ENOSPC or EDQUOT. */
    public static boolean isOutOfSpace(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StorageFullException) {
                return true;
            }
            // The JDK has no errno for I/O errors, only strerror(3)'s text (in English on Linux, whatever the locale).
            String text = t instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : t.getMessage();
            if (text != null && (text.contains("No space left on device") || text.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}

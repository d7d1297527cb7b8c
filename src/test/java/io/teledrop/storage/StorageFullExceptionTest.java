package io.teledrop.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/** The operating system's "no space" is recognised however deep it is wrapped; other I/O errors are not. */
class StorageFullExceptionTest {

    @Test
    void recognisesEnospcAndEdquotFromTheirTexts() {
        assertTrue(StorageFullException.isOutOfSpace(new IOException("No space left on device")));
        assertTrue(StorageFullException.isOutOfSpace(new FileSystemException("/data/blobs/ab", null, "Disk quota exceeded")));
        assertTrue(StorageFullException.isOutOfSpace(new UncheckedIOException(new IOException("write failed",
                new IOException("No space left on device")))));
        assertTrue(StorageFullException.isOutOfSpace(new StorageFullException("kept free")));
    }

    @Test
    void otherErrorsAreNotSpace() {
        assertFalse(StorageFullException.isOutOfSpace(new IOException("Broken pipe")));
        assertFalse(StorageFullException.isOutOfSpace(new FileSystemException("/data", null, "Permission denied")));
        assertFalse(StorageFullException.isOutOfSpace(new IOException((String) null)));
        assertFalse(StorageFullException.isOutOfSpace(null));
    }
}

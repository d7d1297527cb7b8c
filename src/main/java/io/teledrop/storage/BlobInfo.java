package io.teledrop.storage;

import java.time.Instant;

/** A blob's key, size in bytes and last modification time. */
public record BlobInfo(String key, long size, Instant lastModified) {
}

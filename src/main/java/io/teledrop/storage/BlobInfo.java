package io.teledrop.storage;

import java.time.Instant;
import java.util.Map;

/**
 * A blob's key, size in bytes, last modification time and, where the store keeps them, its ETag and user
 * metadata (S3 keeps both; local disk neither).
 */
public record BlobInfo(String key, long size, Instant lastModified, String etag, Map<String, String> metadata) {

    public BlobInfo {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** For stores that keep no ETag or metadata. */
    public BlobInfo(String key, long size, Instant lastModified) {
        this(key, size, lastModified, null, Map.of());
    }
}

package io.teledrop.storage;

import java.util.Map;
import java.util.Objects;

/**
 * What a store may keep beside a blob's bytes where it can (an object store's {@code Content-Type} and user
 * metadata), so that the bucket alone still says what a file is. Nothing reads them back: the database is the
 * record of a file's type and name.
 *
 * @param contentType the type detected from the file's bytes
 * @param metadata    short ASCII names and values (S3 user metadata travels in HTTP headers)
 */
public record BlobAttributes(String contentType, Map<String, String> metadata) {

    /** For blobs nobody has typed: {@code application/octet-stream}, no metadata. */
    public static final BlobAttributes NONE = new BlobAttributes("application/octet-stream", Map.of());

    public BlobAttributes {
        Objects.requireNonNull(contentType, "contentType");
        metadata = Map.copyOf(metadata);
    }
}

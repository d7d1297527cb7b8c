package io.teledrop.storage;

/** What a completed {@link BlobStore#put} stored: the key, the byte count and the SHA-256 (lower-case hex). */
public record PutResult(String key, long size, String sha256) {
}

package io.teledrop.drop;

/** A file an {@link UploadSession} has stored, as the drop will record it: sanitized name, detected type, size, SHA-256. */
public record StagedFile(String name, String contentType, long size, String sha256) {
}

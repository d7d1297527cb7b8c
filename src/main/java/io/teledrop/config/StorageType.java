package io.teledrop.config;

/** Where blobs are kept. */
public enum StorageType {
    /** Files under a directory on this machine. */
    LOCAL,
    /** An S3-compatible object store. */
    S3
}

package io.teledrop.drop.internal;

import java.util.List;

/** Fired inside a transaction that removes the rows of blobs: once it commits, the blobs can go. */
record BlobsReleased(List<String> storageKeys) {
}

package io.teledrop.drop.internal;

import java.util.List;

/** Fired inside a transaction that records blobs already stored: if it rolls back, they must go. */
record BlobsWritten(List<String> storageKeys) {
}

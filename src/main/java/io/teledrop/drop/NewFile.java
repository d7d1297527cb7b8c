package io.teledrop.drop;

import io.teledrop.storage.PutResult;

/** A file whose bytes are already in the blob store, about to be recorded in a drop. */
public record NewFile(String name, String contentType, PutResult blob) {
}

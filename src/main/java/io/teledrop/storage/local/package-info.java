/**
 * The local-disk {@code BlobStore}: staged writes in {@code .tmp/}, fsync, atomic links into place; nothing escapes
 * its root. Start with {@code LocalBlobStore}.
 */
package io.teledrop.storage.local;

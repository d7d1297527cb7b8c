/**
 * Where the bytes live: the {@link io.teledrop.storage.BlobStore} contract (streaming put, open, ranges, stat,
 * delete, move, list), {@code StoredBlob} (a stream with its metadata, closed by whoever opened it) and
 * {@code StorageProducer}, the one producer of the store picked by configuration. Imports no JPA type. Start
 * with {@code BlobStore}.
 */
package io.teledrop.storage;

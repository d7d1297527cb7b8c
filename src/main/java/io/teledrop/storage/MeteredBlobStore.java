package io.teledrop.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;

/**
 * Wraps a {@link BlobStore} so every operation is counted and timed by a {@link StorageObserver}, whatever
 * the backend: the latency of S3 or of a slow disk shows up in the metrics. Reads are timed to the opening
 * of the stream (the bytes that follow are counted by the download metrics).
 */
public final class MeteredBlobStore implements BlobStore, AutoCloseable {

    /** Told about each operation: its name, outcome, bytes moved and duration. */
    public interface StorageObserver {
        void operation(String name, boolean ok, long bytes, Duration took);
    }

    private final BlobStore store;
    private final StorageObserver observer;

    public MeteredBlobStore(BlobStore store, StorageObserver observer) {
        this.store = store;
        this.observer = observer;
    }

    @FunctionalInterface
    private interface Operation<T> {
        T run() throws IOException;
    }

    private <T> T measure(String name, Operation<T> operation, java.util.function.ToLongFunction<T> bytes) throws IOException {
        long start = System.nanoTime();
        boolean ok = false;
        T result = null;
        try {
            result = operation.run();
            ok = true;
            return result;
        } finally {
            observer.operation(name, ok, ok && result != null ? bytes.applyAsLong(result) : 0, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    @Override
    public PutResult put(String key, InputStream in, long maxBytes) throws IOException {
        return measure("put", () -> store.put(key, in, maxBytes), PutResult::size);
    }

    @Override
    public PutResult put(String key, InputStream in, long maxBytes, BlobAttributes attributes) throws IOException {
        return measure("put", () -> store.put(key, in, maxBytes, attributes), PutResult::size);
    }

    @Override
    public Optional<BackupShelf> backupShelf() {
        return store.backupShelf();
    }

    @Override
    public boolean presignedUploads() {
        return store.presignedUploads();
    }

    @Override
    public PresignedParts presignParts(Staging staging, long size, Instant expires) throws IOException {
        return measure("presign", () -> store.presignParts(staging, size, expires), parts -> 0);
    }

    @Override
    public void completePresigned(Staging staging, long size) throws IOException {
        measure("complete", () -> {
            store.completePresigned(staging, size);
            return size;
        }, bytes -> 0);
    }

    @Override
    public StoredBlob open(String key) throws IOException {
        return measure("open", () -> store.open(key), StoredBlob::length);
    }

    @Override
    public StoredBlob openRange(String key, long offset, long length) throws IOException {
        return measure("open", () -> store.openRange(key, offset, length), StoredBlob::length);
    }

    @Override
    public Optional<BlobInfo> stat(String key) throws IOException {
        return measure("stat", () -> store.stat(key), info -> 0);
    }

    @Override
    public boolean delete(String key) throws IOException {
        return measure("delete", () -> store.delete(key), deleted -> 0);
    }

    @Override
    public void move(String sourceKey, String targetKey) throws IOException {
        measure("move", () -> {
            store.move(sourceKey, targetKey);
            return Boolean.TRUE;
        }, moved -> 0);
    }

    @Override
    public List<BlobInfo> list(String prefix, String startAfter, int limit) throws IOException {
        return measure("list", () -> store.list(prefix, startAfter, limit), page -> 0);
    }

    @Override
    public Staging beginStaging(String key) throws IOException {
        return measure("begin-staging", () -> store.beginStaging(key), staging -> 0);
    }

    @Override
    public Staging.Appended append(Staging staging, InputStream in, long maxBytes, boolean keepPartial, Checkpoints checkpoints) throws IOException {
        return measure("append", () -> store.append(staging, in, maxBytes, keepPartial, checkpoints),
                appended -> appended.staging().size() - staging.size());
    }

    @Override
    public InputStream openStagedPrefix(Staging staging, int length) throws IOException {
        return measure("open", () -> store.openStagedPrefix(staging, length), stream -> 0);
    }

    @Override
    public void releasePieces(Staging replaced, Staging current) throws IOException {
        store.releasePieces(replaced, current);
    }

    @Override
    public void completeStaging(Staging staging) throws IOException {
        measure("complete-staging", () -> {
            store.completeStaging(staging);
            return Boolean.TRUE;
        }, done -> 0);
    }

    @Override
    public void abortStaging(Staging staging) throws IOException {
        measure("delete", () -> {
            store.abortStaging(staging);
            return Boolean.TRUE;
        }, done -> 0);
    }

    @Override
    public int removeAbandonedStagings(Instant cutoff, Set<String> live) throws IOException {
        return store.removeAbandonedStagings(cutoff, live);
    }

    @Override
    public int removeStaleTemporaries(Instant cutoff) throws IOException {
        return store.removeStaleTemporaries(cutoff);
    }

    @Override
    public OptionalLong usableSpace() throws IOException {
        return store.usableSpace();
    }

    @Override
    public void requireRoom(long bytes) throws IOException {
        store.requireRoom(bytes);
    }

    @Override
    public Optional<URI> downloadUrl(String key, String contentType, String contentDisposition) {
        return store.downloadUrl(key, contentType, contentDisposition);
    }

    @Override
    public void close() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}

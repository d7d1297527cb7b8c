package io.teledrop.it.server;

import io.teledrop.storage.BlobInfo;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.PutResult;
import io.teledrop.storage.Staging;
import io.teledrop.storage.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real blob store with a record of every completed put and every delete call, in order, so a test can
 * tell how often each blob was deleted. Thread-safe.
 */
public class CountingBlobStore implements BlobStore {

    /** One call: {@code put} (completed) or {@code delete} (whatever it found). */
    public record Call(String operation, String key) {
    }

    private final BlobStore store;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    public CountingBlobStore(BlobStore store) {
        this.store = store;
    }

    /** Where the record stands now; pass it to {@link #since} later. */
    public int mark() {
        return calls.size();
    }

    public List<Call> since(int mark) {
        return List.copyOf(calls.subList(mark, calls.size()));
    }

    @Override
    public PutResult put(String key, InputStream in, long maxBytes) throws IOException {
        PutResult result = store.put(key, in, maxBytes);
        calls.add(new Call("put", key));
        return result;
    }

    @Override
    public boolean delete(String key) throws IOException {
        calls.add(new Call("delete", key));
        return store.delete(key);
    }

    @Override
    public StoredBlob open(String key) throws IOException {
        return store.open(key);
    }

    @Override
    public StoredBlob openRange(String key, long offset, long length) throws IOException {
        return store.openRange(key, offset, length);
    }

    @Override
    public Optional<BlobInfo> stat(String key) throws IOException {
        return store.stat(key);
    }

    @Override
    public void move(String sourceKey, String targetKey) throws IOException {
        store.move(sourceKey, targetKey);
    }

    @Override
    public List<BlobInfo> list(String prefix, String startAfter, int limit) throws IOException {
        return store.list(prefix, startAfter, limit);
    }

    @Override
    public int removeStaleTemporaries(Instant cutoff) throws IOException {
        return store.removeStaleTemporaries(cutoff);
    }

    @Override
    public Optional<URI> downloadUrl(String key, String contentType, String contentDisposition) {
        return store.downloadUrl(key, contentType, contentDisposition);
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
    public Staging beginStaging(String key) throws IOException {
        return store.beginStaging(key);
    }

    @Override
    public Staging.Appended append(Staging staging, InputStream in, long maxBytes, boolean keepPartial, Checkpoints checkpoints) throws IOException {
        return store.append(staging, in, maxBytes, keepPartial, checkpoints);
    }

    @Override
    public InputStream openStagedPrefix(Staging staging, int length) throws IOException {
        return store.openStagedPrefix(staging, length);
    }

    @Override
    public void releasePieces(Staging replaced, Staging current) throws IOException {
        store.releasePieces(replaced, current);
    }

    /** Recorded as the blob's put: this is where a staged blob appears under its key. */
    @Override
    public void completeStaging(Staging staging) throws IOException {
        store.completeStaging(staging);
        calls.add(new Call("put", staging.key()));
    }

    @Override
    public void abortStaging(Staging staging) throws IOException {
        store.abortStaging(staging);
    }

    @Override
    public int removeAbandonedStagings(Instant cutoff, Set<String> live) throws IOException {
        return store.removeAbandonedStagings(cutoff, live);
    }
}

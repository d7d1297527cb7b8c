package io.teledrop.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * An open blob, or a range of one: its metadata and a stream of exactly {@code length} bytes starting at
 * {@code offset}. Whoever receives it closes it (try-with-resources), which closes the stream.
 */
public final class StoredBlob implements AutoCloseable {

    private final BlobInfo info;
    private final long offset;
    private final long length;
    private final InputStream stream;

    public StoredBlob(BlobInfo info, long offset, long length, InputStream stream) {
        this.info = info;
        this.offset = offset;
        this.length = length;
        this.stream = stream;
    }

    public BlobInfo info() {
        return info;
    }

    public long offset() {
        return offset;
    }

    public long length() {
        return length;
    }

    /** The bytes; owned by this object and closed with it. */
    public InputStream stream() {
        return stream;
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}

package io.teledrop.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Counts the bytes read through it and, if given a digest, feeds them to it: the size and hash of a stream
 * taken in one pass, as the stream is consumed. Skipped bytes are read, so they are counted and hashed too;
 * mark and reset are not supported (a reset would count bytes twice).
 *
 * <p>Closing it closes the wrapped stream. Not thread-safe, like the streams it wraps.
 */
public final class CountingInputStream extends FilterInputStream {

    private final MessageDigest digest;
    private long count;

    /** Counts the bytes of {@code in}. */
    public CountingInputStream(InputStream in) {
        this(in, null);
    }

    /** Counts the bytes of {@code in} and feeds them to {@code digest}, if it is not null. */
    public CountingInputStream(InputStream in, MessageDigest digest) {
        super(in);
        this.digest = digest;
    }

    /** The bytes read (and skipped) so far. */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            count++;
            if (digest != null) {
                digest.update((byte) b);
            }
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count += n;
            if (digest != null) {
                digest.update(b, off, n);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] discard = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        long skipped = 0;
        while (skipped < n) {
            int read = read(discard, 0, (int) Math.min(discard.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readlimit) {
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}

package io.teledrop.web.servlet;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A request body as the client sends it, telling a broken transfer apart from every other failure: a read
 * that fails (the client closed or reset its connection) or an end before the announced
 * {@code Content-Length} throws {@link BrokenTransferException}, so that the upload path can treat it as
 * the client's error (logged at FINE, nothing stored) rather than as the server's. Not thread-safe, like
 * any stream. {@link #close()} does not close the container's stream: the container owns it.
 */
final class ClientBody extends FilterInputStream {

    /** The client's transfer broke off; the message says how far it got. */
    static final class BrokenTransferException extends IOException {
        BrokenTransferException(String message, Throwable cause) {
            super(message, cause);
        }

        /** The broken transfer that is {@code error} or one of its causes, if there is one. */
        static Optional<BrokenTransferException> in(Throwable error) {
            for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof BrokenTransferException broken) {
                    return Optional.of(broken);
                }
            }
            return Optional.empty();
        }
    }

    private final long declared;
    private long received;

    /** @param declared the request's {@code Content-Length}, or -1 for a body without one (chunked) */
    ClientBody(InputStream in, long declared) {
        super(in);
        this.declared = declared;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (IOException e) {
            throw broken(e);
        }
        if (b < 0) {
            checkComplete();
        } else {
            received++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = in.read(buffer, offset, length);
        } catch (IOException e) {
            throw broken(e);
        }
        if (n < 0) {
            checkComplete();
        } else {
            received += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            long skipped = in.skip(n);
            received += skipped;
            return skipped;
        } catch (IOException e) {
            throw broken(e);
        }
    }

    @Override
    public void close() {
        // The container owns the request stream.
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void checkComplete() throws BrokenTransferException {
        if (declared >= 0 && received < declared) {
            throw new BrokenTransferException("the body ended after " + received + " of the " + declared + " bytes announced", null);
        }
    }

    private BrokenTransferException broken(IOException e) {
        return e instanceof BrokenTransferException already ? already
                : new BrokenTransferException("the connection broke after " + received + " bytes of the body", e);
    }
}

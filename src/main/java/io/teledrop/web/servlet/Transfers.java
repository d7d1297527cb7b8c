package io.teledrop.web.servlet;

import io.teledrop.web.Problem.Kind;
import io.teledrop.web.Problems;
import io.teledrop.web.RequestIdFilter;
import io.teledrop.storage.StoredBlob;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a download does when its transfer fails. A client that goes away is the client's business (FINE). A
 * failure on our side before the headers went out is a clean 500; after them, the connection is aborted so
 * that every client sees an incomplete transfer (a short body against Content-Length, no final chunk, no
 * end of a ZIP) rather than something that looks complete.
 */
final class Transfers {

    private static final Logger LOG = Logger.getLogger(Transfers.class.getName());

    private Transfers() {
    }

    /** Reading a blob failed (ours to answer for), as opposed to writing to the client (theirs). */
    static final class StorageReadException extends IOException {
        private static final long serialVersionUID = 1L;

        StorageReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Copies all of {@code blob} to {@code out} (neither is closed here) and checks that it held
     * {@code expected} bytes: a blob that cannot be read, or ends early, is a {@link StorageReadException}
     * (ours), a failed write an ordinary {@link IOException} (the client's).
     */
    static void copyExactly(StoredBlob blob, OutputStream out, byte[] buffer, long expected, String fileId) throws IOException {
        long copied = 0;
        while (true) {
            int read;
            try {
                read = blob.stream().read(buffer);
            } catch (IOException e) {
                throw new StorageReadException(e);
            }
            if (read < 0) {
                break;
            }
            out.write(buffer, 0, read);
            copied += read;
        }
        if (copied != expected) {
            throw new StorageReadException(new IOException("the blob of file " + fileId + " ended after " + copied + " of " + expected + " bytes"));
        }
    }

    /**
     * Handles a failed transfer after {@code sent} bytes of body.
     *
     * @throws AbortedTransferException when the response is committed and the failure is ours: the
     *                                  container must drop the connection instead of ending the body cleanly
     */
    static void failed(HttpServletRequest request, HttpServletResponse response, Exception error, long sent) throws IOException {
        String requestId = RequestIdFilter.instance(request);
        if (!(error instanceof StorageReadException) && !(error instanceof RuntimeException)) {
            LOG.log(Level.FINE, () -> "Request " + requestId + ": the client went away after " + sent + " bytes (" + error + ")");
            return;
        }
        if (!response.isCommitted()) {
            response.reset();
            Problems.send(request, response, Kind.INTERNAL_ERROR.problem("The server could not read the file. Quote request id " + requestId
                    + " when reporting it.", requestId), error);
            return;
        }
        LOG.log(Level.SEVERE, error, () -> "Request " + requestId + ": reading the file failed after " + sent
                + " bytes had gone out; aborting the connection so the client sees an incomplete transfer");
        ConnectionAbort.abort(response);
    }
}

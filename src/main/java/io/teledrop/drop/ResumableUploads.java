package io.teledrop.drop;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/**
 * Uploads whose bytes arrive in pieces, over any number of requests, servers and restarts (tus 1.0, IETF
 * Resumable Uploads for HTTP). An upload takes its file's place in a drop when it is created, so the drop's
 * limits count it at once; the file appears in the drop only when its last byte is in. Its state is in the
 * database and its bytes in the blob store: any server may continue it. Thread-safe.
 */
public interface ResumableUploads {

    /**
     * Creates an upload, refusing at once what can be known before any byte: the uploader, the drop's
     * fields and slug, the file's name and length against the limits, room in the drop, and too many
     * incomplete uploads from this client or in all.
     *
     * @throws TooManyUploadsException if this client, or everyone, holds too many incomplete uploads
     */
    ResumableUpload create(NewResumableUpload wanted) throws IOException;

    /**
     * The upload now. An upload whose last byte arrived before its server stopped is completed here, so a
     * client that asks after a crash finds its file.
     *
     * @throws UploadNotFoundException if there is no such upload, or it expired
     */
    ResumableUpload find(String id) throws IOException;

    /**
     * Appends a piece at {@code piece.offset()}. Only one request appends to an upload at a time; bytes that
     * arrived before a client went away are kept (unless the piece carries a checksum, which makes it all or
     * nothing), and the upload completes when its length is reached.
     *
     * @throws UploadNotFoundException  if there is no such upload, or it expired
     * @throws UploadOffsetException    if {@code offset} is not the upload's offset, or the upload is complete
     * @throws UploadLockedException    if another request is appending to it
     * @throws UploadLengthException    if the piece passes the upload's length, or changes a length already set
     * @throws ChecksumMismatchException if the piece does not match its checksum (nothing was kept)
     * @throws TypeNotAllowedException  if its first bytes show a type that is not accepted (the upload is cancelled)
     */
    ResumableUpload append(String id, Piece piece) throws IOException;

    /**
     * Cancels an incomplete upload, giving back its place in the drop and removing its bytes; a drop created
     * for it that holds nothing else goes with it.
     *
     * @throws UploadNotFoundException if there is no such upload, or it expired
     * @throws UploadOffsetException   if it is complete already (its file is in the drop)
     */
    void cancel(String id);

    /**
     * Removes incomplete uploads past their expiry (with their bytes, and a drop made only for them) and the
     * rows of finished uploads past keeping; returns how many went. For the expiry sweep.
     */
    int sweep(Instant now);

    /**
     * One piece of an upload.
     *
     * @param offset         where the client says it starts
     * @param body           its bytes; read to the end or to the first failure, never closed here
     * @param declaredLength its Content-Length, or -1 if none was sent
     * @param uploadLength   the whole upload's length if this request states it, else null
     * @param last           whether the client says this piece ends the upload (its length is then offset +
     *                       the piece's length)
     * @param checksum       a checksum the piece must match, or null
     */
    record Piece(long offset, InputStream body, long declaredLength, Long uploadLength, boolean last, Checksum checksum) {
    }

    /** A piece's checksum: a JCA algorithm name and the expected digest. */
    record Checksum(String algorithm, byte[] expected) {
    }
}

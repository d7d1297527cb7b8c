package io.teledrop.drop;

import java.io.IOException;

/**
 * Uploads whose bytes the client sends straight to the object store (S3) through presigned part URLs, then
 * completes here: the file appears in its drop only after the server has checked the object (its parts' sizes,
 * its SHA-256 read back, its type sniffed from its first bytes). Each is a {@link ResumableUploads resumable
 * upload} underneath: the same place reserved in the drop and quota taken at creation, the same expiry, and the
 * same sweep, which aborts the multipart upload of one never completed.
 *
 * <p>An upload is bound to the identity that created it ({@code uploader}, from its sign-in or API key): another
 * identity is told that there is no such upload.
 */
public interface PresignedUploads {

    /** Whether the storage takes presigned uploads (S3 only). */
    boolean available();

    /**
     * Reserves the file's place and quota, starts the multipart upload and signs a URL for each part.
     *
     * @throws PresignedUploadsUnavailableException unless {@link #available()}
     */
    PresignedUpload createPresigned(NewPresignedUpload wanted) throws IOException;

    /**
     * Completes the upload and checks it; the completed upload names its file. Completing a completed upload
     * answers the same again.
     *
     * @throws UploadNotFoundException   if there is none, it is not {@code uploader}'s, or it expired
     * @throws UploadIncompleteException if parts are missing or of the wrong size (the upload stays, to be fixed)
     * @throws ChecksumMismatchException if the object's SHA-256 is not the declared one (the upload is removed)
     * @throws TypeNotAllowedException   if its type is not accepted (the upload is removed)
     */
    ResumableUpload completePresigned(String id, String uploader) throws IOException;

    /** Removes an incomplete upload, aborting its multipart upload and giving back its place and quota. */
    void cancelPresigned(String id, String uploader);
}

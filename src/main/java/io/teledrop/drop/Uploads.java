package io.teledrop.drop;

/**
 * Where an upload begins: the CDI bean the upload servlet streams its parts through. Thread-safe; each
 * {@link UploadSession} it opens belongs to one request.
 */
public interface Uploads {

    /**
     * Opens an upload for this caller, refusing at once one who may not upload (before a byte is read):
     * anyone while {@code teledrop.auth.anonymous-upload}, else only a key with {@code create}.
     *
     * @throws ApiKeyRequiredException   if a key is needed and none came
     * @throws PermissionDeniedException if the key lacks {@code create}
     */
    UploadSession begin(Access access);

    /**
     * Records, for auditing, that an upload was refused: an {@code io.teledrop.upload.refused} event with the
     * reason (a problem type), status and detail, when events go to Kafka. At most a minute's budget per server
     * (60, refilled one a second), so that a flood of refused requests cannot flood the outbox; beyond it they
     * are counted in the log only. Never fails its caller.
     *
     * @param slug the drop the upload named, if any (as the client sent it: checked for shape only)
     */
    void refused(String slug, String reason, int status, String detail);
}

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
}

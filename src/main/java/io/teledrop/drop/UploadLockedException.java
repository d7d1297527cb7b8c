package io.teledrop.drop;

/** Another request is appending to the upload (423); the client tries again shortly. */
public class UploadLockedException extends TeledropException {

    public UploadLockedException(String message) {
        super(message);
    }
}

package io.teledrop.drop;

/** A presigned upload cannot be completed yet: parts are missing or have the wrong size (409); it stays, to be fixed. */
public class UploadIncompleteException extends TeledropException {

    public UploadIncompleteException(String message) {
        super(message);
    }
}

package io.teledrop.drop;

/** A piece passes the upload's length, or a request changes a length already set (400). */
public class UploadLengthException extends TeledropException {

    public UploadLengthException(String message) {
        super(message);
    }
}

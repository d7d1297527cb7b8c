package io.teledrop.drop;

/** The client's offset is not the upload's, or the upload is complete (409); says where the upload stands. */
public class UploadOffsetException extends TeledropException {

    private final long offset;
    private final boolean complete;

    public UploadOffsetException(String message, long offset, boolean complete) {
        super(message);
        this.offset = offset;
        this.complete = complete;
    }

    /** The upload's offset now: where the client should go on. */
    public long offset() {
        return offset;
    }

    public boolean complete() {
        return complete;
    }
}

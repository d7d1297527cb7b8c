package io.teledrop.drop;

/** There is no such upload (404), or it expired and is about to be removed (410). */
public class UploadNotFoundException extends TeledropException {

    private final boolean expired;

    public UploadNotFoundException(String message, boolean expired) {
        super(message);
        this.expired = expired;
    }

    public boolean expired() {
        return expired;
    }
}

package io.teledrop.drop;

/** Too many incomplete uploads from one client, or in all (429). */
public class TooManyUploadsException extends TeledropException {

    public TooManyUploadsException(String message) {
        super(message);
    }
}

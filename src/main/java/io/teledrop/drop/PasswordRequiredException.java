package io.teledrop.drop;

/** The drop is password-protected and the request brought no valid unlock token. */
public class PasswordRequiredException extends TeledropException {

    public PasswordRequiredException(String slug) {
        super("The drop '" + slug + "' is protected by a password: unlock it with POST /api/drops/" + slug + "/unlock.");
    }
}

package io.teledrop.drop;

/** The request's API key lacks the permission the operation needs. */
public class PermissionDeniedException extends TeledropException {

    public PermissionDeniedException(Permission needed) {
        super("The API key lacks the '" + needed.role() + "' permission this needs.");
    }
}

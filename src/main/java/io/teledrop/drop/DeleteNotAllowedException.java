package io.teledrop.drop;

/**
 * Changing, adding to or deleting a drop was asked for without its delete token or an API key with the
 * permission (401), or with a token that is not the drop's (403).
 */
public class DeleteNotAllowedException extends TeledropException {

    private final boolean credentialsGiven;

    public DeleteNotAllowedException(boolean credentialsGiven) {
        super(credentialsGiven ? "The delete token does not match this drop."
                : "Changing or deleting a drop needs its delete token (header Teledrop-Delete-Token) or an API key with the permission.");
        this.credentialsGiven = credentialsGiven;
    }

    /** Whether the client sent a token at all (401 when not, 403 when it was wrong). */
    public boolean credentialsGiven() {
        return credentialsGiven;
    }
}

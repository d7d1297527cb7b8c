package io.teledrop.drop;

/** A delete was asked for without a valid delete token (or, later, an API key with the right to delete). */
public class DeleteNotAllowedException extends TeledropException {

    private final boolean credentialsGiven;

    public DeleteNotAllowedException(boolean credentialsGiven) {
        super(credentialsGiven ? "The delete token does not match this drop."
                : "Deleting a drop needs its delete token (header Teledrop-Delete-Token or query parameter token).");
        this.credentialsGiven = credentialsGiven;
    }

    /** Whether the client sent a token at all (401 when not, 403 when it was wrong). */
    public boolean credentialsGiven() {
        return credentialsGiven;
    }
}

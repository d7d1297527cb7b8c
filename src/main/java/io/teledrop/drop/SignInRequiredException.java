package io.teledrop.drop;

/** An operation on one's own drops, by a request that proved no identity (no sign-in, no access token): 401. */
public class SignInRequiredException extends TeledropException {

    public SignInRequiredException(String operation) {
        super(operation + " needs a sign-in (or an access token of the identity provider).");
    }
}

package io.teledrop.security;

/** An access token failed a check; {@code check} names which (signature, type, issuer, audience, expiry…), for the 401's problem. */
public class TokenRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String check;

    public TokenRefusedException(String check, String message) {
        super(message);
        this.check = check;
    }

    public String check() {
        return check;
    }
}

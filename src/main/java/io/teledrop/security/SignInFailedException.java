package io.teledrop.security;

/** A sign-in the provider refused, or whose ID token failed a check: the person sees why and may try again. */
public class SignInFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SignInFailedException(String message) {
        super(message);
    }
}

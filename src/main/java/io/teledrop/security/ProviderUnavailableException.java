package io.teledrop.security;

/** The identity provider could not be reached (discovery, keys, token endpoint): 503, try again later. */
public class ProviderUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.teledrop.security;

import jakarta.security.enterprise.credential.Credential;

/** An API key as a request presented it; validated by {@link ApiKeyIdentityStore}. */
public final class ApiKeyCredential implements Credential {

    private final String key;

    public ApiKeyCredential(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    @Override
    public void clear() {
        // Strings cannot be wiped; the reference goes with the request.
    }

    @Override
    public String toString() {
        return "ApiKeyCredential[redacted]";
    }
}

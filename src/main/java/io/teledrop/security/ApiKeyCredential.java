package io.teledrop.security;

import jakarta.security.enterprise.credential.Credential;

/** An API key as a request presented it; validated by {@link ApiKeyIdentityStore}. */
public final class ApiKeyCredential implements Credential {

    private final String key;
    private final String keyHash;

    public ApiKeyCredential(String key) {
        this.key = key;
        this.keyHash = null;
    }

    private ApiKeyCredential(String key, String keyHash) {
        this.key = key;
        this.keyHash = keyHash;
    }

    /** A key known only by its SHA-256 ({@link io.teledrop.drop.ApiKeyService#hashOf}), as an admin page session keeps it. */
    public static ApiKeyCredential ofHash(String keyHash) {
        return new ApiKeyCredential(null, keyHash);
    }

    /** The key, or null for a credential {@linkplain #ofHash known by its hash}. */
    public String key() {
        return key;
    }

    /** The key's SHA-256. */
    public String keyHash() {
        return keyHash != null ? keyHash : io.teledrop.drop.ApiKeyService.hashOf(key);
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

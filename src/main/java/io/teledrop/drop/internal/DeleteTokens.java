package io.teledrop.drop.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Delete tokens: 256 random bits, given to the uploader once and stored only as a SHA-256 hash. A fast
 * hash is enough because the token is random, not chosen by a person; checks compare in constant time.
 */
final class DeleteTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private DeleteTokens() {
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The hex SHA-256 stored for a delete token or API key (one function for both, as the admin session relies on). */
    static String hash(String token) {
        return io.teledrop.drop.ApiKeyService.hashOf(token);
    }

    static boolean matches(String token, String storedHash) {
        if (token == null || storedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(token).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}

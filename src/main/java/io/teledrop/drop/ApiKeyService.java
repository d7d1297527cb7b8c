package io.teledrop.drop;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * API keys: issued by an admin, stored only as a SHA-256 hash (keys are 256 random bits, so a fast hash
 * suffices), revocable, optionally expiring. Implementations are thread-safe.
 */
public interface ApiKeyService {

    /**
     * Issues a key. Only an admin may.
     *
     * @throws InvalidInputException     if the name or permissions are unusable or the expiry is past
     * @throws ApiKeyRequiredException    if {@code access} has no key
     * @throws PermissionDeniedException if its key is not an admin
     */
    IssuedApiKey issue(Access access, String name, Set<Permission> permissions, Instant expiresAt);

    /** Every key, newest first, without secrets. Only an admin may. */
    List<ApiKeyView> list(Access access);

    /** Revokes a key at once. Only an admin may. */
    void revoke(Access access, String id);

    /** The permissions of a presented key that is known, not revoked and not expired; notes its use. */
    Optional<Set<Permission>> authenticate(String key);

    /**
     * As {@link #authenticate}, for a key known only by its SHA-256 ({@link #hashOf}): what an admin page session
     * keeps, so that no key is ever stored, in a session persisted to the database or elsewhere.
     */
    Optional<Set<Permission>> authenticateHash(String keyHash);

    /** The id of the issued key with this SHA-256 ({@link #hashOf}), revoked or not: names a key in the audit log. */
    Optional<String> idOfHash(String keyHash);

    /** The hex SHA-256 of {@code key}, as issued keys are stored. */
    static String hashOf(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}

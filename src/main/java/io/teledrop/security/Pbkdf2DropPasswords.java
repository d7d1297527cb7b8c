package io.teledrop.security;

import io.teledrop.drop.PasswordHasher;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.util.Map;

/**
 * Drop passwords hashed with the platform's PBKDF2 (Jakarta Security): HMAC-SHA-256, 600 000 iterations
 * (OWASP's figure for that hash), a 32-byte random salt per password, a 32-byte key. The stored form is
 * {@code PBKDF2WithHmacSHA256:<iterations>:<salt>:<hash>} (salt and hash in Base64), which is what
 * {@link Pbkdf2PasswordHash} writes and reads: a hash is verified with the algorithm and iterations stored
 * in it, so hashes made with earlier parameters (210 000 iterations before issue 14) keep working, and
 * {@link #needsRehash} says when one should be replaced, which the drop service does at the next right
 * password.
 */
@ApplicationScoped
public class Pbkdf2DropPasswords implements PasswordHasher {

    static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    static final int ITERATIONS = 600_000;
    static final int SALT_BYTES = 32;
    static final int KEY_BYTES = 32;

    @Inject
    Pbkdf2PasswordHash pbkdf2;

    @PostConstruct
    void configure() {
        pbkdf2.initialize(Map.of(
                "Pbkdf2PasswordHash.Algorithm", ALGORITHM,
                "Pbkdf2PasswordHash.Iterations", Integer.toString(ITERATIONS),
                "Pbkdf2PasswordHash.SaltSizeBytes", Integer.toString(SALT_BYTES),
                "Pbkdf2PasswordHash.KeySizeBytes", Integer.toString(KEY_BYTES)));
    }

    @Override
    public String hash(char[] password) {
        return pbkdf2.generate(password);
    }

    @Override
    public boolean verify(char[] password, String hash) {
        return pbkdf2.verify(password, hash);
    }

    @Override
    public boolean needsRehash(String hash) {
        return isWeaker(hash);
    }

    /**
     * Whether a stored hash uses another algorithm or fewer iterations than today's, or a shorter salt or key.
     * A hash that cannot be read is not "weaker" (it would not verify in the first place).
     */
    static boolean isWeaker(String hash) {
        String[] parts = hash == null ? new String[0] : hash.split(":");
        if (parts.length != 4) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            java.util.Base64.Decoder base64 = java.util.Base64.getDecoder();
            return !ALGORITHM.equals(parts[0]) || iterations < ITERATIONS
                    || base64.decode(parts[2]).length < SALT_BYTES || base64.decode(parts[3]).length < KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

package io.teledrop.security;

import io.teledrop.drop.PasswordHasher;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.util.Map;

/**
 * Drop passwords hashed with the platform's PBKDF2 (Jakarta Security): HMAC-SHA-256, 210 000 iterations
 * (OWASP's 2023 figure), a 32-byte random salt per password. The stored form names algorithm, iterations
 * and salt, so the parameters can be raised later without breaking old hashes.
 */
@ApplicationScoped
public class Pbkdf2DropPasswords implements PasswordHasher {

    @Inject
    Pbkdf2PasswordHash pbkdf2;

    @PostConstruct
    void configure() {
        pbkdf2.initialize(Map.of(
                "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA256",
                "Pbkdf2PasswordHash.Iterations", "210000",
                "Pbkdf2PasswordHash.SaltSizeBytes", "32",
                "Pbkdf2PasswordHash.KeySizeBytes", "32"));
    }

    @Override
    public String hash(char[] password) {
        return pbkdf2.generate(password);
    }

    @Override
    public boolean verify(char[] password, String hash) {
        return pbkdf2.verify(password, hash);
    }
}

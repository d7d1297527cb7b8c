package io.teledrop.security;

import io.teledrop.config.Settings;
import io.teledrop.drop.UnlockTokens;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Unlock tokens {@code <expiry-seconds>.<HMAC-SHA-256(slug|expiry)>}: stateless, scoped to one drop,
 * compared in constant time. The key is {@code teledrop.auth.token-secret}, or random per start (then
 * tokens die with a restart and do not cross servers of a cluster).
 */
@ApplicationScoped
public class HmacUnlockTokens implements UnlockTokens {

    @Inject
    Settings settings;

    private SecretKeySpec key;

    @PostConstruct
    void init() {
        byte[] secret = settings.tokenSecret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        });
        key = new SecretKeySpec(secret, "HmacSHA256");
    }

    @Override
    public String issue(String slug, Instant until) {
        long expiry = until.getEpochSecond();
        return expiry + "." + mac(slug, expiry);
    }

    @Override
    public boolean valid(String token, String slug, Instant now) {
        int dot = token.indexOf('.');
        if (dot < 1 || dot > 20) {
            return false;
        }
        long expiry;
        try {
            expiry = Long.parseLong(token.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = mac(slug, expiry).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, expected) && now.getEpochSecond() < expiry;
    }

    private String mac(String slug, long expiry) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            byte[] digest = hmac.doFinal((slug + "|" + expiry).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }
}

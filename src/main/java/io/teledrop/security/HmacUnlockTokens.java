package io.teledrop.security;

import io.teledrop.config.Settings;
import io.teledrop.drop.UnlockTokens;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Unlock tokens {@code <expiry-seconds>.<HMAC-SHA-256(drop id|drop created|expiry)>}: stateless, bound to
 * one drop's identity (a new drop under the same slug has another id and creation instant, so an old token
 * does not open it), compared in constant time. The key is {@code teledrop.auth.token-secret}, or else the
 * one kept in the data folder ({@link TokenSecretFile}, made on the first start), so tokens survive restarts;
 * servers of a cluster share it only when it is configured or the data folder is shared.
 */
@ApplicationScoped
public class HmacUnlockTokens implements UnlockTokens {

    @Inject
    Settings settings;

    private SecretKeySpec key;

    HmacUnlockTokens() {
        // for CDI; the key is set in init()
    }

    /** With a given key, for tests. */
    HmacUnlockTokens(byte[] secret) {
        key = new SecretKeySpec(secret, "HmacSHA256");
    }

    @PostConstruct
    void init() {
        byte[] secret = settings.tokenSecret().map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> TokenSecretFile.loadOrCreate(settings.dataDir().resolve(TokenSecretFile.NAME)));
        key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** Made at start-up, so an unusable secret file stops the application instead of failing the first unlock. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // creating the bean to deliver this event ran init()
    }

    @Override
    public String issue(String dropId, Instant dropCreated, Instant until) {
        long expiry = until.getEpochSecond();
        return expiry + "." + mac(dropId, dropCreated, expiry);
    }

    @Override
    public boolean valid(String token, String dropId, Instant dropCreated, Instant now) {
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
        byte[] expected = mac(dropId, dropCreated, expiry).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, expected) && now.getEpochSecond() < expiry;
    }

    private String mac(String dropId, Instant dropCreated, long expiry) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            byte[] digest = hmac.doFinal(("unlock|" + dropId + "|" + dropCreated.toEpochMilli() + "|" + expiry).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }
}

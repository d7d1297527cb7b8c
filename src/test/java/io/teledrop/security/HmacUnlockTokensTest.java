package io.teledrop.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Unlock tokens open the one drop they were issued for: its id and creation, not a name that can be reused. */
class HmacUnlockTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00.123Z");
    private final HmacUnlockTokens tokens = new HmacUnlockTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private final String dropId = UUID.randomUUID().toString();
    private final Instant created = NOW.minusSeconds(60);
    private final String token = tokens.issue(dropId, created, NOW.plus(Duration.ofHours(1)));

    @Test
    void opensItsDropUntilItExpires() {
        assertTrue(tokens.valid(token, dropId, created, NOW));
        assertTrue(tokens.valid(token, dropId, created, NOW.plus(Duration.ofMinutes(59))));
        assertFalse(tokens.valid(token, dropId, created, NOW.plus(Duration.ofHours(1))));
    }

    @Test
    void aDropWithAnotherIdOrCreationIsNotOpened() {
        assertFalse(tokens.valid(token, UUID.randomUUID().toString(), created, NOW), "another drop (new id) under the same slug");
        assertFalse(tokens.valid(token, dropId, created.plusMillis(1), NOW), "the same id created at another instant");
    }

    @Test
    void forgedOrMangledTokensAreRefused() {
        String[] forged = {
                "", ".", "x", token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A"),
                (NOW.getEpochSecond() + 999_999) + token.substring(token.indexOf('.')),
                "99999999999999999999999." + token.substring(token.indexOf('.') + 1),
                new HmacUnlockTokens("another secret of at least 32 characters".getBytes(StandardCharsets.UTF_8))
                        .issue(dropId, created, NOW.plus(Duration.ofHours(1))),
        };
        for (String candidate : forged) {
            assertFalse(tokens.valid(candidate, dropId, created, NOW), candidate);
        }
    }
}

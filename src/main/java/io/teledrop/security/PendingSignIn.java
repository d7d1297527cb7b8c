package io.teledrop.security;

import java.io.Serializable;
import java.time.Instant;

/**
 * A sign-in sent to the provider and not yet back: kept in the browser's session (which may live in the
 * database, so it is serializable), found again by its {@code state}, and used once.
 *
 * @param state        binds the callback to this session (CSRF on the callback, RFC 6749 §10.12)
 * @param nonce        binds the ID token to this sign-in (replay, OIDC Core §3.1.2.1)
 * @param codeVerifier PKCE (RFC 7636): a code stolen on its way back is worthless without it
 * @param returnTo     the local path to show afterwards, checked before it was kept
 * @param startedAt    sign-ins older than {@link #LIFETIME} are refused
 */
public record PendingSignIn(String state, String nonce, String codeVerifier, String returnTo, Instant startedAt) implements Serializable {

    public static final java.time.Duration LIFETIME = java.time.Duration.ofMinutes(10);

    public boolean expired(Instant now) {
        return startedAt.plus(LIFETIME).isBefore(now);
    }
}

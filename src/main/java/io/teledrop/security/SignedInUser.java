package io.teledrop.security;

import io.teledrop.drop.Caller;
import io.teledrop.drop.Permission;
import java.io.Serializable;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A person signed in through the identity provider, as their session keeps them (serializable: sessions may
 * live in the database). The refresh token is a credential: the session keeps it only while it is needed and
 * it is never logged or shown.
 *
 * @param subject      the provider's stable identifier of the person
 * @param name         a display name
 * @param permissions  what their groups and claims grant
 * @param idToken      the ID token, sent back as {@code id_token_hint} at logout
 * @param refreshToken renews the tokens; null when the provider gave none (the person signs in again at {@code refreshAt})
 * @param refreshAt    when the tokens expire and must be renewed
 * @param bindingHash  SHA-256 of the sign-in cookie's value, which only the browser that signed in holds: a session
 *                     id planted in that browser before (session fixation) or read elsewhere is worth nothing without it
 */
public record SignedInUser(String subject, String name, Set<Permission> permissions, String idToken, String refreshToken, Instant refreshAt,
                           String bindingHash) implements Serializable {

    public SignedInUser {
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    }

    public Caller caller() {
        return new Caller(subject, name);
    }

    public boolean due(Instant now) {
        return !now.isBefore(refreshAt);
    }

    /** The same identity with renewed tokens (a refresh that brought no new ID token). */
    SignedInUser renewed(Instant nextRefreshAt, String nextRefreshToken) {
        return new SignedInUser(subject, name, permissions, idToken, nextRefreshToken, nextRefreshAt, bindingHash);
    }

    /** This sign-in, bound to the browser that holds the cookie whose value hashes to {@code hash}. */
    public SignedInUser boundTo(String hash) {
        return new SignedInUser(subject, name, permissions, idToken, refreshToken, refreshAt, hash);
    }

    @Override
    public String toString() {
        return "SignedInUser[subject=" + subject + ", permissions=" + permissions + ", refreshAt=" + refreshAt + "]";
    }
}

package io.teledrop.drop.internal;

import io.teledrop.config.Settings;
import io.teledrop.drop.Access;
import io.teledrop.drop.ApiKeyRequiredException;
import io.teledrop.drop.DeleteNotAllowedException;
import io.teledrop.drop.Drop;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.PasswordHasher;
import io.teledrop.drop.PasswordRequiredException;
import io.teledrop.drop.Permission;
import io.teledrop.drop.PermissionDeniedException;
import io.teledrop.drop.TooManyAttemptsException;
import io.teledrop.drop.UnlockTokens;
import io.teledrop.drop.Unlocked;
import io.teledrop.drop.WrongPasswordException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Who may do what with a drop: change or delete it (an API key with the permission, or its delete token),
 * open a protected one (unlock token, delete token or a key that may read), trade its password for an unlock
 * token under the guessing limit ({@link PasswordAttempts}, in the database), and list drops. Each check
 * passes quietly or throws the exception the client should hear. Who may upload at all is
 * {@code DefaultDropService.checkUploader}. Thread-safe.
 */
@ApplicationScoped
class DropAccessPolicy {

    private static final Logger LOG = Logger.getLogger(DropAccessPolicy.class.getName());

    static final Duration UNLOCK_LIFETIME = Duration.ofHours(1);

    @Inject
    Settings settings;

    @Inject
    DropQueries queries;

    @Inject
    DropWriter writer;

    @Inject
    PasswordHasher passwords;

    @Inject
    UnlockTokens unlockTokens;

    /** Wrong passwords: 5 per client and drop, 20 per drop from everyone, in 15 minutes; in the database. */
    @Inject
    PasswordAttempts attempts;

    @Inject
    ReadTransaction reads;

    /**
     * Who may change or delete a drop: an API key with the {@code needed} permission, the drop's delete
     * token, or its creator (by the subject a sign-in or access token proved). Without either it is a sensitive operation: refused while {@code teledrop.auth.require-api-key}
     * is on, allowed when an operator has turned it off. A wrong token, or a key without the permission,
     * is refused either way.
     *
     * @throws DeleteNotAllowedException  if no credential came (401) or the token is wrong (403)
     * @throws PermissionDeniedException if the API key lacks {@code needed} (403)
     */
    static void authorize(Access access, Drop drop, boolean requireApiKey, Permission needed) {
        if (access.may(needed) || access.isCreatorOf(drop.getOwnerSubject())) {
            return;
        }
        String deleteTokenHash = drop.getDeleteTokenHash();
        String token = access.deleteToken();
        if (token != null && !token.isBlank()) {
            if (!DeleteTokens.matches(token, deleteTokenHash)) {
                throw new DeleteNotAllowedException(true);
            }
            return;
        }
        if (access.hasApiKey()) {
            throw new PermissionDeniedException(needed);
        }
        if (requireApiKey) {
            throw new DeleteNotAllowedException(false);
        }
    }

    /**
     * Listing drops is a sensitive operation: while {@code teledrop.auth.require-api-key} it needs a key
     * that may read.
     *
     * @throws ApiKeyRequiredException   if no API key came and one is required
     * @throws PermissionDeniedException if the key lacks {@code read}
     */
    void requireListing(Access access) {
        if (settings.requireApiKey() && !access.may(Permission.READ)) {
            if (access.hasApiKey()) {
                throw new PermissionDeniedException(Permission.READ);
            }
            throw new ApiKeyRequiredException("Listing drops");
        }
    }

    /**
     * A protected drop opens to its unlock token, its delete token, or an API key that may read.
     *
     * @throws PasswordRequiredException if {@code access} opens it by none of them
     */
    void requireUnlocked(Drop drop, Access access) {
        if (drop.getPasswordHash() == null || access.may(Permission.READ)) {
            return;
        }
        if (access.unlockToken() != null && unlockTokens.valid(access.unlockToken(), drop.getId(), drop.getCreatedAt(), DropRules.CLOCK.instant())) {
            return;
        }
        if (access.deleteToken() != null && DeleteTokens.matches(access.deleteToken(), drop.getDeleteTokenHash())) {
            return;
        }
        throw new PasswordRequiredException(drop.getSlug());
    }

    /**
     * Trades a drop's password for an unlock token bound to the drop's id and creation. A drop without a
     * password gets one at once; otherwise the attempt is reserved first, and given back if the password is
     * right or could not be checked, so only wrong guesses use the limit up.
     *
     * @throws WrongPasswordException   if the password is wrong
     * @throws TooManyAttemptsException if this client or everyone tried too many wrong passwords lately
     */
    Unlocked unlock(String slug, String password, String client) {
        // In a transaction of its own: a bare read would keep its connection until the request ends, and the
        // reservation would wait for a second one; 40 parallel guesses with a pool of 8 then waited for each
        // other until the pool's timeout (CI, PostgreSQL).
        Drop drop = reads.read(() -> queries.require(slug));
        Instant now = DropRules.CLOCK.instant();
        Instant until = now.plus(UNLOCK_LIFETIME);
        if (drop.getPasswordHash() == null) {
            return new Unlocked(unlockTokens.issue(drop.getId(), drop.getCreatedAt(), until), until);
        }
        // The attempt is reserved before the password is checked, so parallel guesses never get past the limit.
        PasswordAttempts.Reservation reservation = reserveAttempt(drop, PasswordAttempts.clientKey(client), now);
        boolean right;
        try {
            right = password != null && password.length() <= DropRules.MAX_PASSWORD_LENGTH
                    && passwords.verify(password.toCharArray(), drop.getPasswordHash());
        } catch (RuntimeException e) {
            // Not the client's guess that failed: the attempt is not counted.
            attempts.release(reservation);
            throw e;
        }
        if (!right) {
            throw new WrongPasswordException();
        }
        attempts.release(reservation);
        if (passwords.needsRehash(drop.getPasswordHash())) {
            rehash(drop, password);
        }
        return new Unlocked(unlockTokens.issue(drop.getId(), drop.getCreatedAt(), until), until);
    }

    private PasswordAttempts.Reservation reserveAttempt(Drop drop, String client, Instant now) {
        try {
            return attempts.reserve(drop.getId(), client, now);
        } catch (PasswordAttempts.LimitReached e) {
            // Read the clock again: a parallel request that started later may have opened the window.
            throw new TooManyAttemptsException(attempts.waitFor(drop.getId(), client, DropRules.CLOCK.instant()));
        } catch (PersistenceException e) {
            // The attempts row refers to the drop: deleted meanwhile, the drop is simply not there any more.
            if (queries.findEntity(drop.getSlug()).filter(d -> d.getId().equals(drop.getId())).isEmpty()) {
                throw new DropNotFoundException("The drop '" + drop.getSlug() + "'");
            }
            throw e;
        }
    }

    /**
     * Stores the password hashed with today's parameters in place of an older hash, now that the password is
     * known to be right; only if the hash is still the one checked. A failure costs the client nothing.
     */
    private void rehash(Drop drop, String password) {
        try {
            writer.replacePasswordHash(drop.getId(), drop.getPasswordHash(), passwords.hash(password.toCharArray()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Could not rehash the password of drop " + drop.getSlug() + "; trying again at its next unlock");
        }
    }
}

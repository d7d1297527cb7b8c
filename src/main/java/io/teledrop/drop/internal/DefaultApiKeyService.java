package io.teledrop.drop.internal;

import io.teledrop.drop.Access;
import io.teledrop.drop.ApiKey;
import io.teledrop.drop.ApiKeyRequiredException;
import io.teledrop.drop.ApiKeyService;
import io.teledrop.drop.ApiKeyView;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.drop.IssuedApiKey;
import io.teledrop.drop.Permission;
import io.teledrop.drop.PermissionDeniedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * API keys in the {@code api_keys} table. Like drops, reads happen outside transactions and each write
 * transaction starts with its write (see {@link DropWriter} for why SQLite needs that).
 */
// Unannotated methods read in a transaction, the caller's or their own (why: ReadTransaction); one they join is not doomed by an exception they let pass.
@Transactional(dontRollbackOn = RuntimeException.class)
@ApplicationScoped
public class DefaultApiKeyService implements ApiKeyService {

    static final String PREFIX = "td_";
    static final int MAX_NAME_LENGTH = 200;
    /** Last-used times are kept to the minute, so a busy key does not write on every request. */
    static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    @PersistenceContext(unitName = "teledrop")
    EntityManager em;

    @Inject
    ApiKeyWriter writer;

    private final Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));

    @Override
    public IssuedApiKey issue(Access access, String name, Set<Permission> permissions, Instant expiresAt) {
        requireAdmin(access);
        List<FieldError> errors = new ArrayList<>();
        String cleanName = name == null ? "" : name.strip();
        if (cleanName.isEmpty() || cleanName.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError("name", "must be 1 to " + MAX_NAME_LENGTH + " characters"));
        }
        if (permissions == null || permissions.isEmpty()) {
            errors.add(new FieldError("permissions", "name at least one of " + Arrays.stream(Permission.values()).map(Permission::role).toList()));
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            errors.add(new FieldError("expires", "must lie in the future"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        // 256 random bits, like delete tokens; the prefix makes leaked keys easy to recognise in scans.
        String key = PREFIX + DeleteTokens.newToken();
        ApiKey entity = new ApiKey(DeleteTokens.hash(key), cleanName, encode(permissions), now, expiresAt);
        writer.insert(entity);
        return new IssuedApiKey(key, view(entity));
    }

    @Override
    public List<ApiKeyView> list(Access access) {
        requireAdmin(access);
        return em.createQuery("SELECT k FROM ApiKey k ORDER BY k.createdAt DESC", ApiKey.class)
                .setHint("eclipselink.refresh", "true")
                .getResultStream().map(DefaultApiKeyService::view).toList();
    }

    @Override
    public void revoke(Access access, String id) {
        requireAdmin(access);
        if (writer.revoke(id, clock.instant()) == 0) {
            throw new DropNotFoundException("The API key '" + id + "'");
        }
    }

    @Override
    public Optional<Set<Permission>> authenticate(String key) {
        if (key == null || !key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return authenticateHash(DeleteTokens.hash(key));
    }

    @Override
    public Optional<Set<Permission>> authenticateHash(String keyHash) {
        Instant now = clock.instant();
        // The lookup is by hash, an indexed equality: no timing difference between near and far misses.
        Optional<ApiKey> found = em.createQuery("SELECT k FROM ApiKey k WHERE k.keyHash = :hash", ApiKey.class)
                .setParameter("hash", keyHash)
                .setHint("eclipselink.refresh", "true")
                .getResultStream().findFirst()
                .filter(k -> k.getRevokedAt() == null)
                .filter(k -> k.getExpiresAt() == null || now.isBefore(k.getExpiresAt()));
        found.filter(k -> k.getLastUsedAt() == null || k.getLastUsedAt().plus(LAST_USED_RESOLUTION).isBefore(now))
                .ifPresent(k -> writer.touch(k.getId(), now));
        return found.map(k -> decode(k.getPermissions()));
    }

    @Override
    public Optional<String> idOfHash(String keyHash) {
        return em.createQuery("SELECT k.id FROM ApiKey k WHERE k.keyHash = :hash", String.class)
                .setParameter("hash", keyHash).getResultStream().findFirst();
    }

    private static void requireAdmin(Access access) {
        if (!access.hasApiKey()) {
            throw new ApiKeyRequiredException("Managing API keys");
        }
        if (!access.may(Permission.ADMIN)) {
            throw new PermissionDeniedException(Permission.ADMIN);
        }
    }

    static String encode(Set<Permission> permissions) {
        return EnumSet.copyOf(permissions).stream().map(Permission::role).collect(Collectors.joining(","));
    }

    static Set<Permission> decode(String permissions) {
        return Arrays.stream(permissions.split(",")).map(String::strip).map(Permission::fromRole)
                .flatMap(Optional::stream).collect(Collectors.toCollection(() -> EnumSet.noneOf(Permission.class)));
    }

    private static ApiKeyView view(ApiKey key) {
        return new ApiKeyView(key.getId(), key.getName(), decode(key.getPermissions()), key.getCreatedAt(), key.getExpiresAt(),
                key.getLastUsedAt(), key.getRevokedAt());
    }

    /** The write transactions of API keys, each starting with its write. */
    @ApplicationScoped
    static class ApiKeyWriter {

        @PersistenceContext(unitName = "teledrop")
        EntityManager em;

        @Transactional
        void insert(ApiKey key) {
            em.persist(key);
            em.flush();
        }

        @Transactional
        int revoke(String id, Instant now) {
            // Revoking twice keeps the first time; the count says only whether the key exists.
            return em.createNativeQuery("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")
                    .setParameter(1, now.toEpochMilli()).setParameter(2, id).executeUpdate();
        }

        @Transactional
        void touch(String id, Instant now) {
            em.createNativeQuery("UPDATE api_keys SET last_used_at = ? WHERE id = ?")
                    .setParameter(1, now.toEpochMilli()).setParameter(2, id).executeUpdate();
        }
    }
}

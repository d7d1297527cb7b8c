package io.teledrop.drop;

import java.time.Instant;
import java.util.Set;

/** An API key as it may be shown: everything but the key itself, which only its creator ever sees. */
public record ApiKeyView(String id, String name, Set<Permission> permissions, Instant createdAt, Instant expiresAt,
                         Instant lastUsedAt, Instant revokedAt) {
}

package io.teledrop.drop;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A key that API clients present for operations anonymous users may not perform. Only a hash of the key
 * is stored; the key itself is shown once, when it is created.
 */
@Entity
@Table(name = "api_keys")
public class ApiKey {

    @Id
    @Column(length = 36)
    private String id;

    @Column(name = "key_hash", nullable = false, unique = true, length = 64)
    private String keyHash;

    @Column(nullable = false, length = 200)
    private String name;

    /** Comma-separated permissions: read, create, update, delete, admin. */
    @Column(nullable = false, length = 200)
    private String permissions;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ApiKey() {
        // for JPA
    }

    public ApiKey(String keyHash, String name, String permissions, Instant createdAt, Instant expiresAt) {
        this.id = UUID.randomUUID().toString();
        this.keyHash = keyHash;
        this.name = name;
        this.permissions = permissions;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getPermissions() {
        return permissions;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Instant getLastUsedAt() {
        return lastUsedAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }
}

package io.teledrop.drop;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One file of a drop. The bytes live in the blob store under {@code storageKey}, which is generated and
 * never derived from {@code originalName}.
 */
@Entity
@Table(name = "stored_files")
public class StoredFile {

    @Id
    @Column(length = 36)
    private String id;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    @JoinColumn(name = "drop_id", nullable = false)
    private Drop drop;

    /** Order of the file within its drop, from 0. */
    @Column(nullable = false)
    private int position;

    @Column(name = "original_name", nullable = false, length = 1024)
    private String originalName;

    @Column(name = "storage_key", nullable = false, unique = true, length = 512)
    private String storageKey;

    @Column(name = "size_bytes", nullable = false)
    private long size;

    @Column(name = "content_type", nullable = false, length = 255)
    private String contentType;

    @Column(nullable = false, length = 64)
    private String sha256;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** Set by reconciliation when the blob is gone: the bytes are lost, the row stays to say so. */
    @Column(name = "missing_since")
    private Instant missingSince;

    protected StoredFile() {
        // for JPA
    }

    StoredFile(Drop drop, int position, String originalName, String storageKey, long size, String contentType, String sha256, Instant createdAt) {
        this.id = UUID.randomUUID().toString();
        this.drop = drop;
        this.position = position;
        this.originalName = originalName;
        this.storageKey = storageKey;
        this.size = size;
        this.contentType = contentType;
        this.sha256 = sha256;
        this.createdAt = createdAt;
    }

    public String getId() {
        return id;
    }

    public Drop getDrop() {
        return drop;
    }

    public int getPosition() {
        return position;
    }

    public String getOriginalName() {
        return originalName;
    }

    public String getStorageKey() {
        return storageKey;
    }

    public long getSize() {
        return size;
    }

    public String getContentType() {
        return contentType;
    }

    public String getSha256() {
        return sha256;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getMissingSince() {
        return missingSince;
    }
}

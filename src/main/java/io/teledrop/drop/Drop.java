package io.teledrop.drop;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A set of uploaded files shared under one short link, {@code /d/{slug}}. */
@Entity
@Table(name = "drops")
public class Drop {

    @Id
    @Column(length = 36)
    private String id;

    @Column(nullable = false, unique = true, length = 64)
    private String slug;

    @Column(length = 200)
    private String title;

    @Column(length = 2000)
    private String description;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "max_downloads")
    private Integer maxDownloads;

    @Column(name = "download_count", nullable = false)
    private int downloadCount;

    @Column(name = "password_hash", length = 255)
    private String passwordHash;

    @Column(name = "delete_token_hash", nullable = false, length = 64)
    private String deleteTokenHash;

    /**
     * Capacity bookkeeping (V5): the drop's file rows and bytes, and the position its next file gets. Set here
     * for a new drop; afterwards only changed by the conditional UPDATEs that add and delete files, so that
     * the files-per-drop and drop-size limits hold under concurrent additions.
     */
    @Column(name = "file_count", nullable = false)
    private int fileCount;

    @Column(name = "total_bytes", nullable = false)
    private long totalBytes;

    @Column(name = "next_position", nullable = false)
    private int nextPosition;

    /** Who created the drop, when a sign-in or access token said (V8): the provider's subject and a display name. */
    @Column(name = "owner_subject", length = 255)
    private String ownerSubject;

    @Column(name = "owner_name", length = 200)
    private String ownerName;

    /** Raised by the database on every change of this row or its files (schema V10); never written here. */
    @Column(insertable = false, updatable = false)
    private long revision;

    @OneToMany(mappedBy = "drop", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    private List<StoredFile> files = new ArrayList<>();

    protected Drop() {
        // for JPA
    }

    public Drop(String slug, String title, String description, Instant createdAt, String deleteTokenHash) {
        this(slug, title, description, createdAt, deleteTokenHash, null, null);
    }

    public Drop(String slug, String title, String description, Instant createdAt, String deleteTokenHash,
                Instant expiresAt, Integer maxDownloads) {
        this(slug, title, description, createdAt, deleteTokenHash, expiresAt, maxDownloads, null);
    }

    public Drop(String slug, String title, String description, Instant createdAt, String deleteTokenHash,
                Instant expiresAt, Integer maxDownloads, String passwordHash) {
        this.id = UUID.randomUUID().toString();
        this.slug = slug;
        this.title = title;
        this.description = description;
        this.createdAt = createdAt;
        this.deleteTokenHash = deleteTokenHash;
        this.expiresAt = expiresAt;
        this.maxDownloads = maxDownloads;
        this.passwordHash = passwordHash;
    }

    /** Records who creates this new drop; null for an anonymous one. */
    public void setOwner(Caller owner) {
        this.ownerSubject = owner == null ? null : owner.subject();
        this.ownerName = owner == null ? null : owner.name().length() > 200 ? owner.name().substring(0, 200) : owner.name();
    }

    public String getOwnerSubject() {
        return ownerSubject;
    }

    public String getOwnerName() {
        return ownerName;
    }

    /** Adds a file as the last one of this drop. */
    public StoredFile addFile(String originalName, String storageKey, long size, String contentType, String sha256, Instant createdAt) {
        StoredFile file = new StoredFile(this, nextPosition++, originalName, storageKey, size, contentType, sha256, createdAt);
        files.add(file);
        fileCount++;
        totalBytes += size;
        return file;
    }

    /**
     * Takes the place of a file still arriving (a resumable upload), before this drop is first persisted: one
     * of its files, {@code bytes} of its size, and the next position, which the file gets once complete.
     */
    public int reserveFile(long bytes) {
        fileCount++;
        totalBytes += bytes;
        return nextPosition++;
    }

    /**
     * A new file of this drop at {@code position}, not added to {@link #getFiles()}: for appending to a drop
     * read earlier, whose file list may be stale. The position comes from the reservation that made room for
     * the file (the drop's {@code next_position}); the UNIQUE (drop, position) constraint is the safety net.
     */
    public StoredFile newFileAt(int position, String originalName, String storageKey, long size, String contentType, String sha256, Instant createdAt) {
        return new StoredFile(this, position, originalName, storageKey, size, contentType, sha256, createdAt);
    }

    public String getId() {
        return id;
    }

    public String getSlug() {
        return slug;
    }

    public String getTitle() {
        return title;
    }

    public String getDescription() {
        return description;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Integer getMaxDownloads() {
        return maxDownloads;
    }

    public long getRevision() {
        return revision;
    }

    public int getDownloadCount() {
        return downloadCount;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public String getDeleteTokenHash() {
        return deleteTokenHash;
    }

    public int getFileCount() {
        return fileCount;
    }

    public long getTotalBytes() {
        return totalBytes;
    }

    public List<StoredFile> getFiles() {
        return files;
    }
}

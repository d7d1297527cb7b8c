package io.teledrop.drop;

import java.time.Instant;

/**
 * What a client asks for when it creates a drop; every field may be null.
 *
 * @param slug         the wanted slug, or null for a generated one
 * @param expires      when the drop should expire, or null for the configured default
 * @param maxDownloads how many complete downloads the drop allows, or null for no limit
 * @param password     the password protecting the drop, or null; only its hash is kept
 */
public record NewDrop(String slug, String title, String description, Instant expires, Integer maxDownloads, String password) {

    public NewDrop(String slug, String title, String description) {
        this(slug, title, description, null, null, null);
    }

    public NewDrop(String slug, String title, String description, Instant expires, Integer maxDownloads) {
        this(slug, title, description, expires, maxDownloads, null);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "NewDrop[slug=" + slug + ", title=" + title + ", expires=" + expires + ", maxDownloads=" + maxDownloads
                + ", password=" + (password == null ? "none" : "(set)") + "]";
    }
}

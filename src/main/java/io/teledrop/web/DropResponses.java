package io.teledrop.web;

import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.DropView;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of drops in answers, shared by the upload servlet and the REST resources. */
public final class DropResponses {

    private DropResponses() {
    }

    /**
     * A file as clients see it.
     *
     * @param missingSince set (and the file answers 410) once its bytes were found lost from storage
     */
    public record FileJson(String id, String name, long size, String sha256, String contentType, String downloadUrl, Instant created,
                           Instant missingSince) {
    }

    /** A drop as clients see it. */
    public record DropJson(String slug, String url, String zipUrl, String title, String description, Instant created, Instant expires,
                           Integer maxDownloads, int downloadCount, boolean passwordProtected, long totalSize, List<FileJson> files) {
    }

    /** A page of drops; {@code next} is the link to the following page, absent on the last. */
    public record DropListJson(List<DropJson> items, int page, int size, long total, String next) {
    }

    /** The answer to an upload: the drop, plus the delete token shown this once (absent when files were added). */
    public record UploadJson(String slug, String url, String zipUrl, String title, String description, Instant created,
                             Instant expires, Integer maxDownloads, long totalSize,
                             List<FileJson> files, String deleteToken, String deleteUrl) {
    }

    public static DropJson drop(Links links, URI base, DropView drop) {
        return new DropJson(drop.slug(), links.drop(base, drop.slug()), links.zip(base, drop.slug()), drop.title(), drop.description(), drop.createdAt(),
                drop.expiresAt(), drop.maxDownloads(), drop.downloadCount(), drop.passwordProtected(), drop.totalSize(),
                files(links, base, drop));
    }

    public static UploadJson upload(Links links, URI base, CreatedDrop created) {
        DropView drop = created.drop();
        return new UploadJson(drop.slug(), links.drop(base, drop.slug()), links.zip(base, drop.slug()), drop.title(), drop.description(), drop.createdAt(),
                drop.expiresAt(), drop.maxDownloads(), drop.totalSize(), files(links, base, drop), created.deleteToken(),
                created.deleteToken() == null ? null : links.delete(base, drop.slug()));
    }

    private static List<FileJson> files(Links links, URI base, DropView drop) {
        return drop.files().stream()
                .map(f -> new FileJson(f.id(), f.name(), f.size(), f.sha256(), f.contentType(), links.file(base, drop.slug(), f), f.createdAt(),
                        f.missingSince()))
                .toList();
    }
}

package io.teledrop.web.rest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.teledrop.drop.DropView;
import io.teledrop.web.DropResponses;
import io.teledrop.web.DropResponses.DropJson;
import io.teledrop.web.Links;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Providers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

/**
 * A drop's metadata as last written, kept so that repeated reads of an unchanged drop do not write the same
 * JSON again. Reused only for an equal {@link DropView} (which the caller has just read, checked and unlocked)
 * and the same base URL, so an answer is always what writing it now would give; the entity tag is a digest
 * of those bytes. Bounded by bytes ({@value #MAX_BYTES}) and kept {@link #TIME_TO_LIVE} after the last use.
 */
@ApplicationScoped
class RenderedDrops {

    static final long MAX_BYTES = 16L * 1024 * 1024;
    static final Duration TIME_TO_LIVE = Duration.ofSeconds(60);
    private static final Annotation[] NO_ANNOTATIONS = {};

    /** The answer for one drop: the view it was written from, its JSON and the entity-tag of those bytes (quoted). */
    record Rendered(DropView view, byte[] json, String etag) {
    }

    private record Key(String dropId, URI base) {
    }

    @Inject
    Links links;

    private final Cache<Key, Rendered> kept = Caffeine.newBuilder()
            .maximumWeight(MAX_BYTES)
            .weigher((Key key, Rendered rendered) -> rendered.json().length)
            .expireAfterAccess(TIME_TO_LIVE)
            .build();

    /** The JSON of {@code drop} for clients at {@code base}, written by the application's own JSON writer. */
    Rendered of(URI base, DropView drop, Providers providers) {
        Key key = new Key(drop.id(), base);
        Rendered kept = this.kept.getIfPresent(key);
        if (kept != null && kept.view().equals(drop)) {
            return kept;
        }
        byte[] json = write(DropResponses.drop(links, base, drop), providers);
        Rendered rendered = new Rendered(drop, json, tagOf(json));
        this.kept.put(key, rendered);
        return rendered;
    }

    /** How many answers are kept now (for tests). */
    long size() {
        kept.cleanUp();
        return kept.estimatedSize();
    }

    private static byte[] write(DropJson drop, Providers providers) {
        MessageBodyWriter<DropJson> writer = providers.getMessageBodyWriter(DropJson.class, DropJson.class, NO_ANNOTATIONS,
                MediaType.APPLICATION_JSON_TYPE);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            writer.writeTo(drop, DropJson.class, DropJson.class, NO_ANNOTATIONS, MediaType.APPLICATION_JSON_TYPE,
                    new MultivaluedHashMap<>(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // memory only: cannot happen
        }
        return out.toByteArray();
    }

    /** A strong entity-tag: 128 bits of the bytes' SHA-256, so equal bytes, equal tag. */
    static String tagOf(byte[] json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}

package io.teledrop.drop.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.teledrop.drop.Drop;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Drops as the read paths (metadata, listings, downloads) see them, kept between requests. A kept drop is
 * served only while the database still has a drop of that slug with the same id and the same revision, which
 * the database raises on every change of the drop or its files, whoever made it (schema V10): one indexed
 * lookup of two columns instead of loading the drop and its files through JPA. So a deleted, changed,
 * expired or used-up drop is seen at once on every server; what is kept only saves the loading. Reads of one
 * drop at the same time share a lookup that began after all of them arrived.
 * <p>
 * Bounded ({@value #MAX_WEIGHT} drops and files together) and each kept for {@link #TIME_TO_LIVE} at most.
 * Kept drops are detached entities shared between requests: read them, never change them.
 */
@ApplicationScoped
class DropSnapshots {

    static final long MAX_WEIGHT = 20_000;
    static final Duration TIME_TO_LIVE = Duration.ofSeconds(60);

    /** Unshareable: the lookup's connection goes back to the pool when it closes, not when the request ends. */
    @Resource(lookup = "jdbc/teledrop", shareable = false)
    DataSource dataSource;

    @Inject
    DropQueries queries;

    @Inject
    ReadTransaction reads;

    private final Cache<String, Drop> kept = Caffeine.newBuilder()
            .maximumWeight(MAX_WEIGHT)
            .weigher((String slug, Drop drop) -> 1 + drop.getFiles().size())
            .expireAfterWrite(TIME_TO_LIVE)
            .build();

    /** Concurrent reads of one drop share a lookup that began after they arrived (CoalescedLookups). */
    private final CoalescedLookups<String, Revision> revisions = new CoalescedLookups<>(this::revision,
            failure -> new PersistenceException(failure.getMessage(), failure));

    /** The drop with this canonical slug as the database has it now (expired and used-up ones too), or empty. */
    Optional<Drop> current(String slug) {
        Revision now = revisions.get(slug);
        if (now == null) {
            kept.invalidate(slug);
            return Optional.empty();
        }
        Drop drop = kept.getIfPresent(slug);
        if (drop != null && drop.getId().equals(now.id()) && drop.getRevision() == now.revision()) {
            return Optional.of(drop);
        }
        // Loaded after the lookup, so it is at least as new; a later change raises the revision again.
        Optional<Drop> loaded = reads.read(() -> queries.findEntity(slug));
        loaded.ifPresentOrElse(d -> kept.put(slug, d), () -> kept.invalidate(slug));
        return loaded;
    }

    /** Like {@link DropQueries#live}: the drop for a slug as a client wrote it, not expired or used up, or empty. */
    Optional<Drop> live(String slug) {
        Optional<Drop> drop = Slugs.canonical(slug).flatMap(this::current);
        if (drop.isPresent() && DropRules.isGone(drop.get())) {
            throw DropRules.goneException(drop.get());
        }
        return drop;
    }

    /** How many drops are kept now (for tests and metrics). */
    long size() {
        kept.cleanUp();
        return kept.estimatedSize();
    }

    private record Revision(String id, long revision) {
    }

    private Revision revision(String slug) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement lookup = connection.prepareStatement("SELECT id, revision FROM drops WHERE slug = ?")) {
            lookup.setString(1, slug);
            try (ResultSet row = lookup.executeQuery()) {
                return row.next() ? new Revision(row.getString(1), row.getLong(2)) : null;
            }
        } catch (SQLException e) {
            // As a JPA read would fail: a database that cannot be reached is a 503 (web.Problems), whoever asked.
            throw new PersistenceException("Cannot read the drop '" + slug + "' from the database", e);
        }
    }
}

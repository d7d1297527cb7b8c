package io.teledrop.drop.internal;

import io.teledrop.drop.Drop;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropPage;
import io.teledrop.drop.DropSort;
import io.teledrop.drop.DropView;
import io.teledrop.drop.StoredFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The reads of drops: by slug (refreshed, and gone once past its expiry or limit), the page of the list, the
 * drops the sweep may remove, No checks of credentials or input
 * (the caller makes those, see {@link DropAccessPolicy} and {@link DropRules}). Each read runs in the caller's
 * transaction, or in a short one of its own so that its connection goes back at once ({@link ReadTransaction}).
 * Thread-safe.
 */
// Unannotated methods read in a transaction, the caller's or their own (why: ReadTransaction); one they join is not doomed by an exception they let pass.
@Transactional(dontRollbackOn = RuntimeException.class)
@ApplicationScoped
class DropQueries {

    @PersistenceContext(unitName = "teledrop")
    EntityManager em;

    @Inject
    DropViews views;

    /** The drop for a slug, as callers see it, or empty if there is none; one past its expiry or limit is gone (410). */
    Optional<DropView> find(String slug) {
        return live(slug).map(views::toView);
    }

    /** The drop for a slug, not expired, or the exception the client should hear. */
    Drop require(String slug) {
        return live(slug).orElseThrow(() -> new DropNotFoundException("The drop '" + slug + "'"));
    }

    /** The drop for a slug, or empty if there is none; one past its expiry or limit is gone (410). */
    Optional<Drop> live(String slug) {
        Optional<Drop> drop = Slugs.canonical(slug).flatMap(this::findEntity);
        if (drop.isPresent() && DropRules.isGone(drop.get())) {
            throw DropRules.goneException(drop.get());
        }
        return drop;
    }

    /**
     * The drop and its files as the database has them now: refreshed, because outside a transaction the
     * persistence context may still hold the drop as it was read before a write of this same request.
     * Expired and used-up drops too.
     */
    Optional<Drop> findEntity(String slug) {
        return em.createQuery("SELECT DISTINCT d FROM Drop d LEFT JOIN FETCH d.files WHERE d.slug = :slug", Drop.class)
                .setParameter("slug", slug)
                .setHint("eclipselink.refresh", "true")
                .setHint("eclipselink.refresh.cascade", "CascadeAllParts")
                .getResultStream().findFirst();
    }

    /** Whether a drop (live or gone) has this slug, which must be canonical. */
    boolean slugExists(String slug) {
        return !em.createQuery("SELECT d.id FROM Drop d WHERE d.slug = :slug", String.class)
                .setParameter("slug", slug).setMaxResults(1).getResultList().isEmpty();
    }

    /**
     * A page of drops whose slug starts with {@code query} or whose title contains it, ignoring case (null or
     * empty: all); the arguments checked already ({@link DropRules#checkPage}).
     */
    DropPage list(String query, DropSort sort, int page, int size) {
        String text = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
        String prefix = likePrefix(text);
        String anywhere = text.isEmpty() ? "%" : "%" + prefix;
        String where = " WHERE d.slug LIKE :prefix ESCAPE '\\' OR LOWER(d.title) LIKE :anywhere ESCAPE '\\'";
        long total = em.createQuery("SELECT COUNT(d) FROM Drop d" + where, Long.class)
                .setParameter("prefix", prefix).setParameter("anywhere", anywhere).getSingleResult();
        List<DropView> items = em.createQuery("SELECT d FROM Drop d" + where + " ORDER BY " + sort.orderBy(), Drop.class)
                .setParameter("prefix", prefix).setParameter("anywhere", anywhere)
                .setFirstResult((int) Math.min(Integer.MAX_VALUE, (long) page * size))
                .setMaxResults(size)
                .getResultStream().map(views::toView).toList();
        return new DropPage(items, total, page, size);
    }

    /** A page of the drops {@code ownerSubject} created, newest first, the arguments checked already. */
    DropPage listOwned(String ownerSubject, int page, int size) {
        long total = em.createQuery("SELECT COUNT(d) FROM Drop d WHERE d.ownerSubject = :owner", Long.class)
                .setParameter("owner", ownerSubject).getSingleResult();
        List<DropView> items = em.createQuery("SELECT d FROM Drop d WHERE d.ownerSubject = :owner ORDER BY d.createdAt DESC, d.id", Drop.class)
                .setParameter("owner", ownerSubject)
                .setFirstResult((int) Math.min(Integer.MAX_VALUE, (long) page * size))
                .setMaxResults(size)
                .getResultStream().map(views::toView).toList();
        return new DropPage(items, total, page, size);
    }

    /** Up to 500 drops past their expiry or with every allowed download used at {@code now}: the sweep's candidates. */
    List<Drop> finished(Instant now) {
        return em.createQuery("SELECT d FROM Drop d WHERE d.expiresAt <= :now"
                        + " OR (d.maxDownloads IS NOT NULL AND d.downloadCount >= d.maxDownloads)", Drop.class)
                .setParameter("now", now).setMaxResults(500).getResultList();
    }

    /** One file by its id, or empty if it was deleted. */
    Optional<StoredFile> fileById(String fileId) {
        return Optional.ofNullable(em.find(StoredFile.class, fileId));
    }

    /** A LIKE pattern matching everything that starts with {@code prefix}, its wildcards escaped. */
    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}

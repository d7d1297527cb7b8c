package io.teledrop.drop.internal;

import io.teledrop.config.KafkaSettings;
import io.teledrop.config.Settings;
import io.teledrop.drop.Drop;
import io.teledrop.drop.EventOutbox;
import io.teledrop.drop.StoredFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Writes drop events into the outbox within the transaction of their change (so an event exists if and only
 * if its change committed), as CloudEvents 1.0 in JSON; and is the {@link EventOutbox} the relay reads. Events
 * carry what consumers need about drops and files, never a secret (no delete token, password, unlock token or
 * key). Without Kafka configured nothing is written.
 */
@ApplicationScoped
class Outbox implements EventOutbox {

    static final String TYPE_PREFIX = "io.teledrop.";
    private static final Jsonb JSON = JsonbBuilder.create();

    @PersistenceContext(unitName = "teledrop")
    EntityManager em;

    @Inject
    Settings settings;

    /** A CloudEvent in structured mode (CloudEvents 1.0, JSON format). */
    public record CloudEvent(String specversion, String id, String source, String type, String subject, Instant time,
                             String datacontenttype, Object data) {
    }

    /** A file as events describe it. */
    public record FileData(String id, String name, long size, String contentType, String sha256) {

        static FileData of(StoredFile file) {
            return new FileData(file.getId(), file.getOriginalName(), file.getSize(), file.getContentType(), file.getSha256());
        }
    }

    /** Who created a drop, when a sign-in or token said so. */
    public record CreatorData(String subject, String name) {
    }

    public record DropData(String slug, String title, String description, Instant created, Instant expires, Integer maxDownloads,
                           boolean passwordProtected, CreatorData createdBy, List<FileData> files) {
    }

    public record FileEventData(String slug, FileData file) {
    }

    public record UpdateData(String slug, String title, String description, Instant expires) {
    }

    public record EndData(String slug, String reason) {
    }

    public record DownloadData(String slug, long bytes) {
    }

    public record RefusalData(String slug, String reason, int status, String detail) {
    }

    boolean enabled() {
        return settings.kafka().isPresent();
    }

    /** {@code drop.created} for a new drop (with the files it holds), and {@code file.added} for each of them. */
    void created(Drop drop, Collection<StoredFile> files) {
        if (!enabled()) {
            return;
        }
        List<FileData> data = files.stream().map(FileData::of).toList();
        CreatorData creator = drop.getOwnerSubject() == null ? null : new CreatorData(drop.getOwnerSubject(), drop.getOwnerName());
        record("drop.created", drop.getSlug(), new DropData(drop.getSlug(), drop.getTitle(), drop.getDescription(), drop.getCreatedAt(),
                drop.getExpiresAt(), drop.getMaxDownloads(), drop.getPasswordHash() != null, creator, data));
        filesAdded(drop.getSlug(), files);
    }

    void filesAdded(String slug, Collection<StoredFile> files) {
        for (StoredFile file : files) {
            record("file.added", slug, new FileEventData(slug, FileData.of(file)));
        }
    }

    void fileDeleted(String slug, StoredFile file) {
        record("file.deleted", slug, new FileEventData(slug, FileData.of(file)));
    }

    /** {@code drop.updated}, with the drop's fields as they are now. */
    void updated(String slug, String title, String description, Instant expires) {
        record("drop.updated", slug, new UpdateData(slug, title, description, expires));
    }

    /** {@code drop.deleted} or {@code drop.expired}. */
    void ended(String slug, boolean expired, String reason) {
        record(expired ? "drop.expired" : "drop.deleted", slug, new EndData(slug, reason));
    }

    /** A whole file or the drop's ZIP sent to its end; a transaction of its own (nothing else changed). */
    @Transactional
    void downloadCompleted(String slug, long bytes) {
        record("download.completed", slug, new DownloadData(slug, bytes));
    }

    /** An upload refused, with the reason (the problem type) and status; a transaction of its own. */
    @Transactional
    void uploadRefused(String slug, String reason, int status, String detail) {
        record("upload.refused", slug, new RefusalData(slug, reason, status, detail));
    }

    private void record(String type, String slug, Object data) {
        if (!enabled()) {
            return;
        }
        KafkaSettings kafka = settings.kafka().get();
        // The sequence row stays locked until this transaction ends, so seq order is commit order.
        List<?> next = em.createNativeQuery("UPDATE event_sequence SET next_seq = next_seq + 1 WHERE name = 'outbox' RETURNING next_seq")
                .getResultList();
        long seq = ((Number) next.get(0)).longValue() - 1;
        String id = UUID.randomUUID().toString();
        Instant now = DropRules.CLOCK.instant();
        String payload = JSON.toJson(new CloudEvent("1.0", id, kafka.source(), TYPE_PREFIX + type, slug, now, "application/json", data));
        em.createNativeQuery("INSERT INTO event_outbox (seq, event_id, event_type, subject, created_at, payload) VALUES (?, ?, ?, ?, ?, ?)")
                .setParameter(1, seq).setParameter(2, id).setParameter(3, TYPE_PREFIX + type).setParameter(4, slug == null ? "" : slug)
                .setParameter(5, now.toEpochMilli()).setParameter(6, payload).executeUpdate();
    }

    @Override
    @Transactional
    public List<PendingEvent> take(String relay, Instant now, Instant until, int limit) {
        int held = em.createNativeQuery("UPDATE event_relay SET holder = ?, held_until = ? WHERE name = 'kafka' AND (holder = ? OR holder IS NULL OR held_until < ?)")
                .setParameter(1, relay).setParameter(2, until.toEpochMilli()).setParameter(3, relay).setParameter(4, now.toEpochMilli())
                .executeUpdate();
        if (held == 0) {
            return List.of();
        }
        List<PendingEvent> events = new ArrayList<>();
        for (Object row : em.createNativeQuery("SELECT seq, event_id, event_type, subject, created_at, payload FROM event_outbox ORDER BY seq")
                .setMaxResults(limit).getResultList()) {
            Object[] r = (Object[]) row;
            events.add(new PendingEvent(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3],
                    Instant.ofEpochMilli(((Number) r[4]).longValue()), (String) r[5]));
        }
        return events;
    }

    @Override
    @Transactional
    public void release(String relay) {
        em.createNativeQuery("UPDATE event_relay SET held_until = 0 WHERE name = 'kafka' AND holder = ?").setParameter(1, relay).executeUpdate();
    }

    @Override
    @Transactional
    public void published(long seq) {
        em.createNativeQuery("DELETE FROM event_outbox WHERE seq <= ?").setParameter(1, seq).executeUpdate();
    }

    @Override
    @Transactional
    public Backlog backlog() {
        Object[] row = (Object[]) em.createNativeQuery("SELECT COUNT(*), MIN(created_at) FROM event_outbox").getSingleResult();
        long count = ((Number) row[0]).longValue();
        return new Backlog(count, row[1] == null ? null : Instant.ofEpochMilli(((Number) row[1]).longValue()));
    }
}

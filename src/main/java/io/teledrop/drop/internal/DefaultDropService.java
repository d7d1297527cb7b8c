package io.teledrop.drop.internal;

import io.teledrop.config.Settings;
import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.DeleteNotAllowedException;
import io.teledrop.drop.Drop;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropView;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.NewFile;
import io.teledrop.drop.SlugTakenException;
import io.teledrop.drop.StoredFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Drops in the database. Write transactions insert or delete first and read nothing before they write:
 * SQLite cannot upgrade a read lock to a write lock under contention, so a read-then-write transaction
 * would fail with SQLITE_BUSY instead of waiting its turn.
 */
@ApplicationScoped
public class DefaultDropService implements DropService {

    static final int MAX_TITLE_LENGTH = 200;
    static final int MAX_DESCRIPTION_LENGTH = 2000;

    @PersistenceContext(unitName = "teledrop")
    EntityManager em;

    @Inject
    Settings settings;

    @Inject
    Event<BlobsWritten> blobsWritten;

    @Inject
    Event<BlobsReleased> blobsReleased;

    // Milliseconds: what the database keeps, so an answer never shows more precision than a later read.
    private final Clock clock = Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1));

    @Override
    public NewDrop validate(NewDrop wanted) {
        NewDrop checked = checkFields(wanted);
        if (checked.slug() != null && slugExists(checked.slug())) {
            throw new SlugTakenException(checked.slug());
        }
        return checked;
    }

    @Override
    @Transactional
    public CreatedDrop create(NewDrop wanted, List<NewFile> files) {
        // First, so that any failure below - ours or the commit's - removes the blobs.
        blobsWritten.fire(new BlobsWritten(files.stream().map(f -> f.blob().key()).toList()));
        if (files.isEmpty()) {
            throw new InvalidInputException("file", "a drop needs at least one file");
        }
        if (files.size() > settings.maxFilesPerDrop()) {
            throw new InvalidInputException("file", "a drop holds at most " + settings.maxFilesPerDrop() + " files");
        }
        NewDrop drop = checkFields(wanted);
        String slug = drop.slug() != null ? drop.slug() : Slugs.generate(settings.slugLength());
        String deleteToken = DeleteTokens.newToken();
        Instant now = clock.instant();
        Drop entity = new Drop(slug, drop.title(), drop.description(), now, DeleteTokens.hash(deleteToken));
        for (NewFile file : files) {
            entity.addFile(file.name(), file.blob().key(), file.blob().size(), file.contentType(), file.blob().sha256(), now);
        }
        try {
            em.persist(entity);
            em.flush();
        } catch (PersistenceException e) {
            if (isUniqueViolationOn(e, "slug")) {
                throw new SlugTakenException(slug);
            }
            throw e;
        }
        return new CreatedDrop(toView(entity), deleteToken);
    }

    @Override
    public Optional<DropView> find(String slug) {
        return Slugs.canonical(slug).flatMap(this::findEntity).map(DefaultDropService::toView);
    }

    @Override
    @Transactional
    public void delete(String slug, String deleteToken) {
        Drop drop = Slugs.canonical(slug).flatMap(this::findEntity)
                .orElseThrow(() -> new DropNotFoundException("The drop '" + slug + "'"));
        authorizeDelete(deleteToken, drop.getDeleteTokenHash(), settings.requireApiKey());
        // A conditional delete: it takes the write lock first and loses nothing if a concurrent delete won.
        int deleted = em.createQuery("DELETE FROM Drop d WHERE d.id = :id").setParameter("id", drop.getId()).executeUpdate();
        if (deleted == 0) {
            throw new DropNotFoundException("The drop '" + slug + "'");
        }
        blobsReleased.fire(new BlobsReleased(drop.getFiles().stream().map(StoredFile::getStorageKey).toList()));
    }

    /**
     * A delete needs the drop's token. Without one it is a sensitive operation: refused while
     * {@code teledrop.auth.require-api-key} is on (API keys are the only other credential), allowed when an
     * operator has turned it off. A wrong token is refused either way.
     *
     * @throws DeleteNotAllowedException if the delete may not go ahead
     */
    static void authorizeDelete(String deleteToken, String deleteTokenHash, boolean requireApiKey) {
        if (deleteToken == null || deleteToken.isBlank()) {
            if (requireApiKey) {
                throw new DeleteNotAllowedException(false);
            }
            return;
        }
        if (!DeleteTokens.matches(deleteToken, deleteTokenHash)) {
            throw new DeleteNotAllowedException(true);
        }
    }

    /** The request with blank fields as null and the slug in canonical form; every broken rule at once. */
    private static NewDrop checkFields(NewDrop wanted) {
        List<FieldError> errors = new ArrayList<>();
        String slug = blankToNull(wanted.slug());
        if (slug != null) {
            Slugs.problemWithChosen(slug).ifPresent(p -> errors.add(new FieldError("slug", p)));
        }
        String title = blankToNull(wanted.title());
        if (title != null && title.length() > MAX_TITLE_LENGTH) {
            errors.add(new FieldError("title", "must be at most " + MAX_TITLE_LENGTH + " characters"));
        }
        String description = blankToNull(wanted.description());
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new NewDrop(slug == null ? null : slug.toLowerCase(Locale.ROOT), title, description);
    }

    private boolean slugExists(String slug) {
        return !em.createQuery("SELECT d.id FROM Drop d WHERE d.slug = :slug", String.class)
                .setParameter("slug", slug).setMaxResults(1).getResultList().isEmpty();
    }

    /**
     * The drop and its files in two plain queries: EclipseLink's generic platform, which serves SQLite, writes
     * outer joins in ODBC escape syntax that SQLite does not parse, so no JOIN FETCH here.
     */
    private Optional<Drop> findEntity(String slug) {
        Optional<Drop> drop = em.createQuery("SELECT d FROM Drop d WHERE d.slug = :slug", Drop.class)
                .setParameter("slug", slug).getResultStream().findFirst();
        drop.ifPresent(d -> d.getFiles().size());
        return drop;
    }

    private static DropView toView(Drop drop) {
        return new DropView(drop.getSlug(), drop.getTitle(), drop.getDescription(), drop.getCreatedAt(), drop.getExpiresAt(),
                drop.getMaxDownloads(), drop.getDownloadCount(), drop.getPasswordHash() != null,
                drop.getFiles().stream()
                        .map(f -> new DropView.FileView(f.getId(), f.getOriginalName(), f.getSize(), f.getContentType(),
                                f.getSha256(), f.getCreatedAt(), f.getStorageKey()))
                        .toList());
    }

    /** Whether a unique constraint on {@code column} failed, in SQLite's or PostgreSQL's words. */
    static boolean isUniqueViolationOn(Throwable error, String column) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String message = String.valueOf(sql.getMessage());
                boolean unique = "23505".equals(sql.getSQLState()) || message.contains("UNIQUE constraint failed");
                if (unique && (message.contains("." + column) || message.contains("_" + column))) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

package io.teledrop.drop.internal;

import io.teledrop.config.Settings;
import io.teledrop.drop.Access;
import io.teledrop.drop.ApiKeyRequiredException;
import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.DeleteNotAllowedException;
import io.teledrop.drop.Drop;
import io.teledrop.drop.DownloadPermit;
import io.teledrop.drop.DropChanges;
import io.teledrop.drop.DropEvent;
import io.teledrop.drop.DropGoneException;
import io.teledrop.drop.DropNotFoundException;
import io.teledrop.drop.DropPage;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropTooLargeException;
import io.teledrop.drop.DropSort;
import io.teledrop.drop.DropView;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.PasswordHasher;
import io.teledrop.drop.PasswordRequiredException;
import io.teledrop.drop.TooManyAttemptsException;
import io.teledrop.drop.TooManyFilesException;
import io.teledrop.drop.UnlockTokens;
import io.teledrop.drop.Unlocked;
import io.teledrop.drop.WrongPasswordException;
import io.teledrop.drop.Permission;
import io.teledrop.drop.PermissionDeniedException;
import io.teledrop.drop.SlugTakenException;
import io.teledrop.drop.StoredFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Drops in the database. Reads and checks run here, outside transactions; every write goes through
 * {@link DropWriter}, whose transactions start with their write (see there why SQLite needs that).
 */
@ApplicationScoped
public class DefaultDropService implements DropService {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DefaultDropService.class.getName());

    /** Fired after each change has committed (the writer's transactions end before these calls return). */
    @Inject
    Event<DropEvent> events;

    static final int MAX_TITLE_LENGTH = 200;
    static final int MAX_DESCRIPTION_LENGTH = 2000;
    static final int MAX_PAGE_SIZE = 100;
    static final int MAX_DOWNLOADS = 1_000_000;

    @PersistenceContext(unitName = "teledrop")
    EntityManager em;

    @Inject
    Settings settings;

    @Inject
    DropWriter writer;

    /** The reads before a write run in it, so that no request holds a connection while it waits for another. */
    @Inject
    ReadTransaction reads;

    @Inject
    DownloadTally tally;

    @Inject
    DownloadGrants grants;

    @Inject
    PasswordHasher passwords;

    @Inject
    UnlockTokens unlockTokens;

    /** Wrong passwords: 5 per client and drop, 20 per drop from everyone, in 15 minutes; in the database. */
    @Inject
    PasswordAttempts attempts;
    static final Duration UNLOCK_LIFETIME = Duration.ofHours(1);
    /** How long a copy that went out whole may still be resumed (its last bytes may have died with the connection). */
    static final Duration RESUME_AFTER_COMPLETE = Duration.ofMinutes(10);
    static final int MAX_PASSWORD_LENGTH = 1024;

    // Milliseconds: what the database keeps, so an answer never shows more precision than a later read.
    private final Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));

    /** See {@link io.teledrop.drop.Uploads#begin}. */
    void checkUploader(Access access) {
        if (settings.anonymousUpload() || access.may(Permission.CREATE)) {
            return;
        }
        if (access.hasApiKey()) {
            throw new PermissionDeniedException(Permission.CREATE);
        }
        throw new ApiKeyRequiredException("Uploading");
    }

    // A transaction of its own: outside one, Liberty keeps the slug query's connection until the request ends,
    // and uploads validate before they stream their body, so a pool's worth of slow uploads starved the rest.
    @Transactional
    NewDrop validate(NewDrop wanted) {
        NewDrop checked = checkFields(wanted);
        if (checked.slug() != null && slugExists(checked.slug())) {
            throw new SlugTakenException(checked.slug());
        }
        return checked;
    }

    /**
     * Records the staged files as a new drop. Refusals come before the writer's transaction, while the
     * session still owns the blobs; from the transaction on, its rollback observer does.
     */
    CreatedDrop create(NewDrop wanted, StagedBlobs staged) {
        checkFileCount(staged.count());
        checkDropSize(staged.bytes());
        NewDrop drop = checkFields(wanted);
        String slug = drop.slug() != null ? drop.slug() : Slugs.generate(settings.slugLength());
        String deleteToken = DeleteTokens.newToken();
        Instant now = clock.instant();
        String passwordHash = drop.password() == null ? null : passwords.hash(drop.password().toCharArray());
        Drop entity = new Drop(slug, drop.title(), drop.description(), now, DeleteTokens.hash(deleteToken),
                drop.expires(), drop.maxDownloads(), passwordHash);
        for (StagedBlobs.Staged file : staged.files()) {
            entity.addFile(file.file().name(), file.key(), file.file().size(), file.file().contentType(), file.file().sha256(), now);
        }
        writer.insert(entity, staged);
        return new CreatedDrop(toView(entity), deleteToken);
    }

    /** Adds the staged files to an existing drop; the blobs' ownership passes as in {@link #create}. */
    DropView addFiles(String slug, Access access, StagedBlobs staged) {
        Drop drop = reads.read(() -> require(slug));
        authorize(access, drop.getDeleteTokenHash(), settings.requireApiKey(), Permission.UPDATE);
        // No count or size check here: the writer reserves room in one conditional UPDATE, so that of
        // parallel additions racing for the last places the losers get 413, not a lost file or a 500.
        List<StoredFile> added = writer.insertFiles(drop, staged, clock.instant(), settings.maxFilesPerDrop(), settings.maxDropSize());
        added.forEach(f -> fire(drop.getId(), drop.getSlug(), DropEvent.FILE_ADDED, f.getId(), f.getOriginalName()));
        return find(drop.getSlug()).orElseThrow(() -> new DropNotFoundException("The drop '" + slug + "'"));
    }

    @Override
    public Optional<DropView> find(String slug) {
        return live(slug).map(this::toView);
    }

    @Override
    public Optional<DropView> find(String slug, Access access) {
        Optional<Drop> drop = live(slug);
        drop.ifPresent(d -> requireUnlocked(d, access));
        return drop.map(this::toView);
    }

    @Override
    public Unlocked unlock(String slug, String password, String client) {
        Drop drop = require(slug);
        Instant now = clock.instant();
        Instant until = now.plus(UNLOCK_LIFETIME);
        if (drop.getPasswordHash() == null) {
            return new Unlocked(unlockTokens.issue(drop.getId(), drop.getCreatedAt(), until), until);
        }
        // The attempt is reserved before the password is checked, so parallel guesses never get past the limit.
        PasswordAttempts.Reservation reservation = reserveAttempt(drop, PasswordAttempts.clientKey(client), now);
        boolean right;
        try {
            right = password != null && password.length() <= MAX_PASSWORD_LENGTH
                    && passwords.verify(password.toCharArray(), drop.getPasswordHash());
        } catch (RuntimeException e) {
            // Not the client's guess that failed: the attempt is not counted.
            attempts.release(reservation);
            throw e;
        }
        if (!right) {
            throw new WrongPasswordException();
        }
        attempts.release(reservation);
        if (passwords.needsRehash(drop.getPasswordHash())) {
            rehash(drop, password);
        }
        return new Unlocked(unlockTokens.issue(drop.getId(), drop.getCreatedAt(), until), until);
    }

    private PasswordAttempts.Reservation reserveAttempt(Drop drop, String client, Instant now) {
        try {
            return attempts.reserve(drop.getId(), client, now);
        } catch (PasswordAttempts.LimitReached e) {
            // Read the clock again: a parallel request that started later may have opened the window.
            throw new TooManyAttemptsException(attempts.waitFor(drop.getId(), client, clock.instant()));
        } catch (PersistenceException e) {
            // The attempts row refers to the drop: deleted meanwhile, the drop is simply not there any more.
            if (findEntity(drop.getSlug()).filter(d -> d.getId().equals(drop.getId())).isEmpty()) {
                throw new DropNotFoundException("The drop '" + drop.getSlug() + "'");
            }
            throw e;
        }
    }

    /**
     * Stores the password hashed with today's parameters in place of an older hash, now that the password is
     * known to be right; only if the hash is still the one checked. A failure costs the client nothing.
     */
    private void rehash(Drop drop, String password) {
        try {
            writer.replacePasswordHash(drop.getId(), drop.getPasswordHash(), passwords.hash(password.toCharArray()));
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, e, () -> "Could not rehash the password of drop " + drop.getSlug() + "; trying again at its next unlock");
        }
    }

    /** A protected drop opens to its unlock token, its delete token, or an API key that may read. */
    private void requireUnlocked(Drop drop, Access access) {
        if (drop.getPasswordHash() == null || access.may(Permission.READ)) {
            return;
        }
        if (access.unlockToken() != null && unlockTokens.valid(access.unlockToken(), drop.getId(), drop.getCreatedAt(), clock.instant())) {
            return;
        }
        if (access.deleteToken() != null && DeleteTokens.matches(access.deleteToken(), drop.getDeleteTokenHash())) {
            return;
        }
        throw new PasswordRequiredException(drop.getSlug());
    }

    @Override
    public DropPage list(Access access, String query, DropSort sort, int page, int size) {
        if (settings.requireApiKey() && !access.may(Permission.READ)) {
            if (access.hasApiKey()) {
                throw new PermissionDeniedException(Permission.READ);
            }
            throw new ApiKeyRequiredException("Listing drops");
        }
        List<FieldError> errors = new ArrayList<>();
        if (page < 0) {
            errors.add(new FieldError("page", "must be 0 or more"));
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            errors.add(new FieldError("size", "must be between 1 and " + MAX_PAGE_SIZE));
        }
        if (query != null && query.length() > Slugs.MAX_LENGTH) {
            errors.add(new FieldError("prefix", "must be at most " + Slugs.MAX_LENGTH + " characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
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
                .getResultStream().map(this::toView).toList();
        return new DropPage(items, total, page, size);
    }

    @Override
    public DropView update(String slug, Access access, DropChanges changes) {
        Drop drop = reads.read(() -> require(slug));
        authorize(access, drop.getDeleteTokenHash(), settings.requireApiKey(), Permission.UPDATE);
        List<FieldError> errors = new ArrayList<>();
        if (changes.title() != null && changes.title().map(String::strip).filter(t -> t.length() > MAX_TITLE_LENGTH).isPresent()) {
            errors.add(new FieldError("title", "must be at most " + MAX_TITLE_LENGTH + " characters"));
        }
        if (changes.description() != null && changes.description().map(String::strip).filter(t -> t.length() > MAX_DESCRIPTION_LENGTH).isPresent()) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters"));
        }
        if (changes.expires() != null) {
            expiryProblem(changes.expires(), clock.instant()).ifPresent(p -> errors.add(new FieldError("expires", p)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        DropChanges cleaned = new DropChanges(
                changes.title() == null ? null : changes.title().map(String::strip).filter(t -> !t.isEmpty()),
                changes.description() == null ? null : changes.description().map(String::strip).filter(t -> !t.isEmpty()),
                changes.expires());
        if (writer.update(drop.getId(), cleaned) == 0) {
            throw new DropNotFoundException("The drop '" + slug + "'");
        }
        return find(drop.getSlug()).orElseThrow(() -> new DropNotFoundException("The drop '" + slug + "'"));
    }

    @Override
    public void delete(String slug, Access access) {
        Drop drop = reads.read(() -> require(slug));
        authorize(access, drop.getDeleteTokenHash(), settings.requireApiKey(), Permission.DELETE);
        // A conditional delete: if a concurrent delete won, nothing is lost and the client hears 404.
        if (writer.delete(drop.getId()) == 0) {
            throw new DropNotFoundException("The drop '" + slug + "'");
        }
        fire(drop.getId(), drop.getSlug(), DropEvent.DROP_DELETED, null, null);
    }

    @Override
    public void deleteFile(String slug, String fileId, Access access) {
        Drop drop = reads.read(() -> require(slug));
        authorize(access, drop.getDeleteTokenHash(), settings.requireApiKey(), Permission.DELETE);
        StoredFile file = drop.getFiles().stream().filter(f -> f.getId().equals(fileId)).findFirst()
                .orElseThrow(() -> new DropNotFoundException("The file '" + fileId + "' of drop '" + drop.getSlug() + "'"));
        if (writer.deleteFile(drop.getId(), file.getId(), file.getStorageKey(), file.getSize()) == 0) {
            throw new DropNotFoundException("The file '" + fileId + "' of drop '" + drop.getSlug() + "'");
        }
        fire(drop.getId(), drop.getSlug(), DropEvent.FILE_DELETED, file.getId(), file.getOriginalName());
    }

    /** The drop for a slug, not expired, or the exception the client should hear. */
    private Drop require(String slug) {
        return live(slug).orElseThrow(() -> new DropNotFoundException("The drop '" + slug + "'"));
    }

    /** The drop for a slug, or empty if there is none; one past its expiry or limit is gone (410). */
    private Optional<Drop> live(String slug) {
        Optional<Drop> drop = Slugs.canonical(slug).flatMap(this::findEntity);
        if (drop.isPresent() && isExpired(drop.get())) {
            throw goneException(drop.get());
        }
        return drop;
    }

    /** Past its expiry, or every allowed download used. */
    private boolean isExpired(Drop drop) {
        return pastExpiry(drop) || usedUp(drop);
    }

    private boolean pastExpiry(Drop drop) {
        return drop.getExpiresAt() != null && !clock.instant().isBefore(drop.getExpiresAt());
    }

    private static boolean usedUp(Drop drop) {
        return drop.getMaxDownloads() != null && drop.getDownloadCount() >= drop.getMaxDownloads();
    }

    @Override
    public Optional<DropView> findForDownload(String slug, Access access) {
        // A transaction of its own: a download holds no pooled connection while it streams or takes its slot.
        Optional<Drop> drop = reads.read(() -> Slugs.canonical(slug).flatMap(this::findEntity));
        if (drop.isPresent() && pastExpiry(drop.get())) {
            throw goneException(drop.get());
        }
        drop.ifPresent(d -> requireUnlocked(d, access));
        return drop.map(this::toView);
    }

    @Override
    public DownloadPermit reserveDownload(DropView drop, String fileId, long bytes, boolean wholeFile, String client) {
        if (drop.maxDownloads() == null) {
            return new DownloadPermit(drop.slug(), drop.id(), null, bytes, wholeFile, false, false);
        }
        Instant now = clock.instant();
        String dropId = drop.id();
        String clientHash = DeleteTokens.hash(client == null ? "" : client);
        if (!wholeFile && fileId != null) {
            for (String grant : reads.read(() -> grants.candidates(fileId, clientHash, bytes, now))) {
                if (grants.draw(grant, bytes, now)) {
                    return new DownloadPermit(drop.slug(), dropId, grant, bytes, false, false, true);
                }
            }
        }
        long size = fileId == null ? 0 : drop.files().stream().filter(f -> f.id().equals(fileId)).mapToLong(DropView.FileView::size).sum();
        Instant grantExpires = now.plus(settings.downloadResumeWindow());
        if (drop.expiresAt() != null && drop.expiresAt().isBefore(grantExpires)) {
            grantExpires = drop.expiresAt();
        }
        String grant = fileId == null ? null : UUID.randomUUID().toString();
        try {
            if (!grants.takeSlot(dropId, grant, fileId, clientHash, grantBudget(size, drop.maxDownloads()), bytes, now, grantExpires)) {
                throw new DropGoneException(drop.slug(), true);
            }
        } catch (PersistenceException e) {
            if (SqlErrors.isForeignKeyViolation(e)) {
                // The file or drop was deleted since it was read.
                throw new DropNotFoundException("The drop '" + drop.slug() + "' or its file");
            }
            throw e;
        }
        return new DownloadPermit(drop.slug(), dropId, grant, bytes, wholeFile, true, true);
    }

    /**
     * The bytes one counted copy of a file may send: the file, plus a resend allowance for bytes a broken
     * transfer wrote but the client never received, kept below {@code size / limit} so that all copies of
     * the limit together stay short of one more whole file (and at most 64 MiB).
     */
    static long grantBudget(long size, int maxDownloads) {
        long allowance = size == 0 ? 0 : Math.min((size - 1) / Math.max(1, maxDownloads), 64L << 20);
        return size + allowance;
    }

    @Override
    public void finishDownload(DownloadPermit permit, long bytesSent, boolean complete) {
        if (permit.limited()) {
            if (permit.counted() && bytesSent == 0 && !complete) {
                grants.releaseSlot(permit.dropId(), permit.grantId());
            } else if (permit.grantId() != null) {
                if (permit.reservedBytes() > bytesSent) {
                    grants.refund(permit.grantId(), permit.reservedBytes() - bytesSent);
                }
                if (complete && permit.wholeFile()) {
                    grants.shorten(permit.grantId(), clock.instant().plus(RESUME_AFTER_COMPLETE));
                }
            }
        } else if (complete && permit.wholeFile()) {
            Slugs.canonical(permit.slug()).ifPresent(tally::add);
        }
        if (complete && permit.wholeFile()) {
            fire(permit.dropId(), permit.slug(), DropEvent.DOWNLOAD, null, null);
        }
    }

    @Override
    public List<String> sweep() {
        Instant now = clock.instant();
        try {
            attempts.purge(now);
        } catch (RuntimeException e) {
            // Old guessing windows can wait for the next sweep; expired drops cannot.
            LOG.log(java.util.logging.Level.WARNING, "Could not purge old password attempts", e);
        }
        List<Drop> done = reads.read(() -> em.createQuery("SELECT d FROM Drop d WHERE d.expiresAt <= :now"
                        + " OR (d.maxDownloads IS NOT NULL AND d.downloadCount >= d.maxDownloads)", Drop.class)
                .setParameter("now", now).setMaxResults(500).getResultList());
        List<String> removed = new ArrayList<>();
        grants.purgeClosed(now);
        for (Drop drop : done) {
            boolean timeExpired = drop.getExpiresAt() != null && !now.isBefore(drop.getExpiresAt());
            if (!timeExpired && grants.anyOpen(drop.getId(), now)) {
                continue; // used up, but a counted copy may still be resumed
            }
            // The writer reads the drop's files under its lock: no fresher copy is needed here.
            if (writer.delete(drop.getId()) == 1) {
                removed.add(drop.getSlug());
                fire(drop.getId(), drop.getSlug(), DropEvent.DROP_EXPIRED, null, null);
            }
        }
        return removed;
    }

    private void fire(String dropId, String slug, String type, String fileId, String fileName) {
        try {
            events.fire(new DropEvent(dropId, slug, type, fileId, fileName, clock.instant()));
        } catch (RuntimeException e) {
            // A listener's trouble must not turn a committed change into an error for its client.
            LOG.log(java.util.logging.Level.WARNING, e, () -> "A listener failed on " + type + " of drop " + slug);
        }
    }

    private DropGoneException goneException(Drop drop) {
        return new DropGoneException(drop.getSlug(), usedUp(drop));
    }

    private void checkDropSize(long total) {
        if (total > settings.maxDropSize()) {
            throw new DropTooLargeException(io.teledrop.config.DataSize.format(settings.maxDropSize()));
        }
    }

    private void checkFileCount(int count) {
        if (count == 0) {
            throw new InvalidInputException("file", "a drop needs at least one file");
        }
        if (count > settings.maxFilesPerDrop()) {
            throw new TooManyFilesException(settings.maxFilesPerDrop());
        }
    }

    /**
     * Who may change or delete a drop: an API key with the {@code needed} permission, or the drop's delete
     * token. Without either it is a sensitive operation: refused while {@code teledrop.auth.require-api-key}
     * is on, allowed when an operator has turned it off. A wrong token, or a key without the permission,
     * is refused either way.
     *
     * @throws DeleteNotAllowedException  if no credential came (401) or the token is wrong (403)
     * @throws PermissionDeniedException if the API key lacks {@code needed} (403)
     */
    static void authorize(Access access, String deleteTokenHash, boolean requireApiKey, Permission needed) {
        if (access.may(needed)) {
            return;
        }
        String token = access.deleteToken();
        if (token != null && !token.isBlank()) {
            if (!DeleteTokens.matches(token, deleteTokenHash)) {
                throw new DeleteNotAllowedException(true);
            }
            return;
        }
        if (access.hasApiKey()) {
            throw new PermissionDeniedException(needed);
        }
        if (requireApiKey) {
            throw new DeleteNotAllowedException(false);
        }
    }

    /**
     * The request with blank fields as null, the slug in canonical form and the expiry resolved (the
     * configured default when none was asked for); every broken rule at once.
     */
    private NewDrop checkFields(NewDrop wanted) {
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
        Instant now = clock.instant();
        Instant expires = wanted.expires() != null ? wanted.expires() : settings.defaultExpiry().map(now::plus).orElse(null);
        expiryProblem(Optional.ofNullable(expires), now).ifPresent(p -> errors.add(new FieldError("expires", p)));
        if (wanted.maxDownloads() != null && (wanted.maxDownloads() < 1 || wanted.maxDownloads() > MAX_DOWNLOADS)) {
            errors.add(new FieldError("maxDownloads", "must be between 1 and " + MAX_DOWNLOADS));
        }
        String password = wanted.password() == null || wanted.password().isEmpty() ? null : wanted.password();
        if (password != null && password.length() > MAX_PASSWORD_LENGTH) {
            errors.add(new FieldError("password", "must be at most " + MAX_PASSWORD_LENGTH + " characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new NewDrop(slug == null ? null : slug.toLowerCase(Locale.ROOT), title, description, expires, wanted.maxDownloads(), password);
    }

    /** Why an expiry is refused: past, or later than {@code teledrop.drop.max-expiry} allows (never included). */
    private Optional<String> expiryProblem(Optional<Instant> expires, Instant now) {
        if (expires.isPresent() && !expires.get().isAfter(now)) {
            return Optional.of("must lie in the future");
        }
        if (settings.maxExpiry().isPresent()) {
            Instant latest = now.plus(settings.maxExpiry().get());
            if (expires.isEmpty() || expires.get().isAfter(latest)) {
                return Optional.of("a drop may live at most " + settings.maxExpiry().get() + " (until " + latest + ")");
            }
        }
        return Optional.empty();
    }

    private boolean slugExists(String slug) {
        return !em.createQuery("SELECT d.id FROM Drop d WHERE d.slug = :slug", String.class)
                .setParameter("slug", slug).setMaxResults(1).getResultList().isEmpty();
    }

    /**
     * The drop and its files as the database has them now: refreshed, because outside a transaction the
     * persistence context may still hold the drop as it was read before a write of this same request.
     */
    private Optional<Drop> findEntity(String slug) {
        return em.createQuery("SELECT DISTINCT d FROM Drop d LEFT JOIN FETCH d.files WHERE d.slug = :slug", Drop.class)
                .setParameter("slug", slug)
                .setHint("eclipselink.refresh", "true")
                .setHint("eclipselink.refresh.cascade", "CascadeAllParts")
                .getResultStream().findFirst();
    }

    private DropView toView(Drop drop) {
        // Downloads of a limit-less drop counted but not yet written (DownloadTally) are shown already.
        int downloads = (int) Math.min(Integer.MAX_VALUE, drop.getDownloadCount() + tally.pending(drop.getSlug()));
        return new DropView(drop.getId(), drop.getSlug(), drop.getTitle(), drop.getDescription(), drop.getCreatedAt(), drop.getExpiresAt(),
                drop.getMaxDownloads(), downloads, drop.getPasswordHash() != null,
                drop.getFiles().stream()
                        .map(f -> new DropView.FileView(f.getId(), f.getOriginalName(), f.getSize(), f.getContentType(),
                                f.getSha256(), f.getCreatedAt(), f.getStorageKey(), f.getMissingSince()))
                        .toList());
    }

    /** A LIKE pattern matching everything that starts with {@code prefix}, its wildcards escaped. */
    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

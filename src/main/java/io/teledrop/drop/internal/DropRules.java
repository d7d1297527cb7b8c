package io.teledrop.drop.internal;

import io.teledrop.config.DataSize;
import io.teledrop.config.Settings;
import io.teledrop.drop.Drop;
import io.teledrop.drop.DropChanges;
import io.teledrop.drop.DropGoneException;
import io.teledrop.drop.DropTooLargeException;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.TooManyFilesException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a drop may be: the limits of its fields, of its files and of a page of the list, which expiry is
 * allowed, and when a drop is gone (past its expiry, or every allowed download used). Checks only, from the
 * request and the configuration; nothing here reads the database. A check reports every broken rule at once
 * ({@link InvalidInputException} with one field error each). Thread-safe.
 */
@ApplicationScoped
class DropRules {

    static final int MAX_TITLE_LENGTH = 200;
    static final int MAX_DESCRIPTION_LENGTH = 2000;
    static final int MAX_PAGE_SIZE = 100;
    static final int MAX_DOWNLOADS = 1_000_000;
    static final int MAX_PASSWORD_LENGTH = 1024;

    /**
     * The clock of drops, in milliseconds: what the database keeps, so an answer never shows more precision
     * than a later read. Every class of this package that reads the time reads this one.
     */
    static final Clock CLOCK = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));

    @Inject
    Settings settings;

    /**
     * The request with blank fields as null, the slug in canonical form and the expiry resolved (the
     * configured default when none was asked for); every broken rule at once.
     *
     * @throws InvalidInputException if a field breaks the rules
     */
    NewDrop checkFields(NewDrop wanted) {
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
        Instant now = CLOCK.instant();
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

    /**
     * The changes with title and description stripped (blank ones clear the field); every broken rule at once.
     *
     * @throws InvalidInputException if a field breaks the rules
     */
    DropChanges checkChanges(DropChanges changes) {
        List<FieldError> errors = new ArrayList<>();
        if (changes.title() != null && changes.title().map(String::strip).filter(t -> t.length() > MAX_TITLE_LENGTH).isPresent()) {
            errors.add(new FieldError("title", "must be at most " + MAX_TITLE_LENGTH + " characters"));
        }
        if (changes.description() != null && changes.description().map(String::strip).filter(t -> t.length() > MAX_DESCRIPTION_LENGTH).isPresent()) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters"));
        }
        if (changes.expires() != null) {
            expiryProblem(changes.expires(), CLOCK.instant()).ifPresent(p -> errors.add(new FieldError("expires", p)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new DropChanges(
                changes.title() == null ? null : changes.title().map(String::strip).filter(t -> !t.isEmpty()),
                changes.description() == null ? null : changes.description().map(String::strip).filter(t -> !t.isEmpty()),
                changes.expires());
    }

    /**
     * A page of the list: {@code page} from 0, {@code size} up to {@link #MAX_PAGE_SIZE}, a query no longer
     * than a slug; every broken rule at once.
     *
     * @throws InvalidInputException if one is out of range
     */
    void checkPage(String query, int page, int size) {
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
    }

    /**
     * A new drop's number of files: at least one, at most {@code teledrop.upload.max-files-per-drop}. (Files
     * added to an existing drop are counted by the writer's conditional UPDATE instead.)
     */
    void checkFileCount(int count) {
        if (count == 0) {
            throw new InvalidInputException("file", "a drop needs at least one file");
        }
        if (count > settings.maxFilesPerDrop()) {
            throw new TooManyFilesException(settings.maxFilesPerDrop());
        }
    }

    /** A new drop's bytes ({@link #totalOf}): at most {@code teledrop.upload.max-drop-size}. */
    void checkDropSize(long total) {
        if (total > settings.maxDropSize()) {
            throw new DropTooLargeException(DataSize.format(settings.maxDropSize()));
        }
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

    /** Past its expiry, or every allowed download used: gone (410) for reading. */
    static boolean isGone(Drop drop) {
        return pastExpiry(drop) || usedUp(drop);
    }

    /**
     * Past its expiry. Downloads ask only this: a used-up drop may still resume the copies it counted, and
     * its slot reservation answers 410 for new ones.
     */
    static boolean pastExpiry(Drop drop) {
        return drop.getExpiresAt() != null && !CLOCK.instant().isBefore(drop.getExpiresAt());
    }

    /** Every allowed download used. */
    static boolean usedUp(Drop drop) {
        return drop.getMaxDownloads() != null && drop.getDownloadCount() >= drop.getMaxDownloads();
    }

    /** The exception that tells the client a drop is gone, saying whether it expired or was used up. */
    static DropGoneException goneException(Drop drop) {
        return new DropGoneException(drop.getSlug(), usedUp(drop));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

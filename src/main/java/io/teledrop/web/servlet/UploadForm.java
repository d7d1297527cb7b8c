package io.teledrop.web.servlet;

import io.teledrop.config.Lifetimes;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.UploadSession;
import io.teledrop.web.FieldSuggestions;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fields of an upload (form fields of a multipart POST, {@code Teledrop-*} headers of a raw PUT) as they
 * arrive, and the new drop they ask for. Not thread-safe: one request's.
 */
final class UploadForm {

    /** The fields a client is told about ({@code ui} is the upload page's own). */
    static final Set<String> DOCUMENTED = Set.of("slug", "title", "description", "drop", "deleteToken", "expires",
            "maxDownloads", "password");
    static final Set<String> FIELDS = Set.of("slug", "title", "description", "drop", "deleteToken", "expires",
            "maxDownloads", "password", "ui");
    /** Why an option of a new drop is refused when files are added to an existing one. */
    static final String OPTIONS_OF_NEW_DROPS = "applies to a new drop only; change an existing drop with PATCH /api/drops/{slug}";
    static final int MAX_FIELD_BYTES = 8 * 1024;
    /** The id of the upload page's form (index.xhtml), whose controls Faces may prefix with it. */
    private static final String PAGE_FORM = "upload-form";

    private String slug;
    private String title;
    private String description;
    private String existingDrop;
    private String deleteToken;
    private String expires;
    private String maxDownloads;
    private String password;
    private boolean forPage;
    /** The new drop as last validated; null before, and when the files go to an existing drop. */
    private NewDrop validated;
    /** A field that shapes the new drop arrived since it was last validated. */
    private boolean changed = true;

    UploadForm(String existingDrop, String deleteToken) {
        this.existingDrop = existingDrop;
        this.deleteToken = deleteToken;
    }

    /** The fields of a raw PUT, from its headers. */
    static UploadForm ofHeaders(String slug, String title, String description, String expires, String maxDownloads,
                                String password, String existingDrop, String deleteToken) {
        UploadForm form = new UploadForm(existingDrop, deleteToken);
        form.slug = slug;
        form.title = title;
        form.description = description;
        form.expires = expires;
        form.maxDownloads = maxDownloads;
        form.password = password;
        return form;
    }

    /**
     * Takes a form-field part: a known field is read (at most {@link #MAX_FIELD_BYTES}); a browser's own
     * field (Faces view state, the form's ids) is skipped unread, whatever its size.
     *
     * @throws InvalidInputException for an unknown field: a misspelt protection field (max_downloads, expiry,
     *                               pass) must not give an unprotected drop
     */
    void take(Part field) throws IOException {
        String name = field.getName() == null ? "" : field.getName();
        if (FIELDS.contains(name)) {
            set(name, read(name, field));
        } else if (!isBrowserField(name)) {
            throw new InvalidInputException(name, FieldSuggestions.unknown("field", name, DOCUMENTED));
        }
    }

    /**
     * Fields a browser may add on its own: Faces' ({@code jakarta.faces.ViewState} and the like) and the
     * upload page form's ids, should it ever become a Faces form ({@code upload-form}, {@code upload-form:…}).
     */
    static boolean isBrowserField(String name) {
        return name.startsWith("jakarta.faces.") || name.equals(PAGE_FORM) || name.startsWith(PAGE_FORM + ":");
    }

    void set(String name, String value) {
        switch (name) {
            case "slug" -> slug = value;
            case "title" -> title = value;
            case "description" -> description = value;
            case "drop" -> existingDrop = value;
            case "deleteToken" -> deleteToken = value;
            case "expires" -> expires = value;
            case "maxDownloads" -> maxDownloads = value;
            case "password" -> password = value;
            case "ui" -> forPage = "html".equals(value);
            default -> throw new IllegalArgumentException("not a field of the upload form: " + name);
        }
        changed = true;
    }

    /** The existing drop the files go to, or null for a new drop. */
    String existingDrop() {
        return existingDrop;
    }

    String deleteToken() {
        return deleteToken;
    }

    /** The upload page's form without JavaScript: answered with a page, not JSON. */
    boolean forPage() {
        return forPage;
    }

    /**
     * The new drop the fields ask for, validated (slug free, lifetimes in bounds) again only if a field
     * arrived since the last time; null when the files go to an existing drop.
     *
     * @throws InvalidInputException if a field breaks the rules, or shapes a new drop when the files go to an
     *                               existing one (a limit or password the client believes set)
     */
    NewDrop validated(UploadSession upload) {
        if (refuseNewDropFields()) {
            return null;
        }
        if (changed) {
            validated = upload.validate(newDrop());
            changed = false;
        }
        return validated;
    }

    /**
     * The new drop the fields ask for, parsed but not yet checked against the rules (the service does that);
     * null when the file goes to an existing drop.
     *
     * @throws InvalidInputException as {@link #validated}
     */
    NewDrop requested() {
        return refuseNewDropFields() ? null : newDrop();
    }

    /** Whether the files go to an existing drop; then fields that shape a new one are refused. */
    private boolean refuseNewDropFields() {
        if (existingDrop != null) {
            List<FieldError> ignored = new ArrayList<>();
            addIfSet(ignored, "slug", slug);
            addIfSet(ignored, "title", title);
            addIfSet(ignored, "description", description);
            addIfSet(ignored, "expires", expires);
            addIfSet(ignored, "maxDownloads", maxDownloads);
            addIfSet(ignored, "password", password);
            if (!ignored.isEmpty()) {
                throw new InvalidInputException(ignored);
            }
            return true;
        }
        return false;
    }

    private static void addIfSet(List<FieldError> errors, String field, String value) {
        if (value != null && !value.isBlank()) {
            errors.add(new FieldError(field, OPTIONS_OF_NEW_DROPS));
        }
    }

    /** The drop the fields ask for, its expiry and download limit parsed; bad values name their field. */
    private NewDrop newDrop() {
        List<FieldError> errors = new ArrayList<>();
        Instant expiry = null;
        if (expires != null && !expires.isBlank()) {
            try {
                expiry = Lifetimes.expiryFrom(expires, Instant.now());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("expires", e.getMessage()));
            }
        }
        Integer limit = null;
        if (maxDownloads != null && !maxDownloads.isBlank()) {
            String digits = maxDownloads.strip();
            if (digits.matches("[+-]?[0-9]{1,40}")) {
                // Clamped to an int, so that the service's bounds check names any value out of range.
                limit = new BigInteger(digits).max(BigInteger.valueOf(Integer.MIN_VALUE)).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
            } else {
                errors.add(new FieldError("maxDownloads", "must be a whole number"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new NewDrop(slug, title, description, expiry, limit, password);
    }

    private static String read(String name, Part field) throws IOException {
        if (field.getSize() > MAX_FIELD_BYTES) {
            throw tooLong(name);
        }
        InputStream in = field.getInputStream();
        byte[] bytes = in.readNBytes(MAX_FIELD_BYTES + 1);
        if (bytes.length > MAX_FIELD_BYTES) {
            throw tooLong(name);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static InvalidInputException tooLong(String name) {
        return new InvalidInputException(name, "must be at most " + MAX_FIELD_BYTES + " bytes");
    }
}

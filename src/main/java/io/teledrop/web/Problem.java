package io.teledrop.web;

import io.teledrop.drop.InvalidInputException.FieldError;
import java.util.List;

/**
 * An RFC 9457 problem details object. {@code type} is a stable URN per kind of error, so clients can
 * branch on it; {@code title} is the same for every occurrence of that kind, {@code detail} says what
 * happened this time.
 *
 * @param errors the offending fields of a validation error, else null
 * @param check  for a refused access token, the check it failed (signature, type, issuer, audience, expiry,
 *               not-before, subject, malformed), else null
 */
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors, String check) {

    public Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {
        this(type, title, status, detail, instance, errors, null);
    }

    public static final String MEDIA_TYPE = "application/problem+json";

    /** The kinds of problem Teledrop reports, each with its status and stable type URN. */
    public enum Kind {
        BAD_REQUEST("bad-request", 400, "Bad request"),
        INVALID_INPUT("invalid-input", 400, "Invalid input"),
        MALFORMED_MULTIPART("malformed-multipart", 400, "Malformed multipart body"),
        NO_FILES("no-files", 400, "No files"),
        AUTHENTICATION_REQUIRED("authentication-required", 401, "Authentication required"),
        INVALID_TOKEN("invalid-token", 401, "Invalid access token"),
        PASSWORD_REQUIRED("password-required", 401, "Password required"),
        FORBIDDEN("forbidden", 403, "Forbidden"),
        WRONG_PASSWORD("wrong-password", 403, "Wrong password"),
        NOT_FOUND("not-found", 404, "Not found"),
        METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
        NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
        SLUG_TAKEN("slug-taken", 409, "Slug taken"),
        BACKUP_NOT_SUPPORTED("backup-not-supported", 409, "Backup not supported"),
        BACKUP_IN_PROGRESS("backup-in-progress", 409, "Backup in progress"),
        GONE("gone", 410, "Gone"),
        PRECONDITION_FAILED("precondition-failed", 412, "Precondition failed"),
        PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
        TOO_MANY_FILES("too-many-files", 413, "Too many files"),
        DROP_TOO_LARGE("drop-too-large", 413, "Drop too large"),
        UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
        TYPE_NOT_ALLOWED("type-not-allowed", 415, "File type not allowed"),
        RANGE_NOT_SATISFIABLE("range-not-satisfiable", 416, "Range not satisfiable"),
        PAGE_EXPIRED("page-expired", 400, "Page expired"),
        UPLOAD_LENGTH("inconsistent-upload-length", 400, "Inconsistent upload length"),
        UPLOAD_OFFSET("mismatching-upload-offset", 409, "Offset does not match the upload's"),
        UPLOAD_GONE("upload-expired", 410, "Upload expired"),
        UPLOAD_LOCKED("upload-locked", 423, "Upload busy"),
        UPLOAD_INCOMPLETE("upload-incomplete", 409, "Upload incomplete"),
        PRESIGNED_UPLOADS_UNAVAILABLE("presigned-uploads-unavailable", 404, "Presigned uploads not available"),
        TOO_MANY_UPLOADS("too-many-uploads", 429, "Too many incomplete uploads"),
        CHECKSUM_MISMATCH("checksum-mismatch", 460, "Checksum mismatch"),
        TOO_MANY_ATTEMPTS("too-many-attempts", 429, "Too many attempts"),
        INTERNAL_ERROR("internal-error", 500, "Internal server error"),
        STORAGE_UNAVAILABLE("storage-unavailable", 503, "Storage unavailable"),
        DATABASE_UNAVAILABLE("database-unavailable", 503, "Database unavailable"),
        IDENTITY_PROVIDER_UNAVAILABLE("identity-provider-unavailable", 503, "Identity provider unavailable"),
        INSUFFICIENT_STORAGE("insufficient-storage", 507, "Insufficient storage");

        private final String slug;
        private final int status;
        private final String title;

        Kind(String slug, int status, String title) {
            this.slug = slug;
            this.status = status;
            this.title = title;
        }

        public String type() {
            return "urn:teledrop:problem:" + slug;
        }

        public int status() {
            return status;
        }

        public String title() {
            return title;
        }

        /** The general kind for an HTTP status (the first kind listed with it), for errors known only by status. */
        public static Kind forStatus(int status) {
            for (Kind kind : values()) {
                if (kind.status == status) {
                    return kind;
                }
            }
            return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
        }

        public Problem problem(String detail, String instance) {
            return new Problem(type(), title, status, detail, instance, null);
        }
    }

    public static Problem invalid(List<FieldError> errors, String detail, String instance) {
        Kind kind = Kind.INVALID_INPUT;
        return new Problem(kind.type(), kind.title(), kind.status(), detail, instance, errors);
    }
}

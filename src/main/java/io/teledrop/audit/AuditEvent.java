package io.teledrop.audit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of the audit log. Values are identifiers, never secrets: an API key by its id, a user by the identity
 * provider's subject, a drop by its slug. As a second guard, {@link #toJson} replaces any value that looks like a
 * credential (an API key {@code td_…}, a JWT, a signed URL, a long random token) with {@value #REDACTED}. Immutable.
 *
 * @param time      when it happened
 * @param type      what happened, one of {@link Type}
 * @param outcome   {@code success}, {@code failure} (refused: wrong credentials) or {@code limited} (refused: too many tries)
 * @param actor     who: {@code key:<id>}, {@code bootstrap-key}, {@code user:<subject>}, {@code delete-token} or {@code anonymous}
 * @param client    the client's address, null when unknown
 * @param target    what it was done to ({@code drop} slug, {@code key} id, {@code area} …), in order
 * @param requestId the request's id ({@code X-Request-Id}), null outside a request
 * @param node      the server that wrote the line (cluster member name)
 * @param detail    what else the event says ({@code old}/{@code new} level, a failure's {@code reason}), in order
 */
public record AuditEvent(Instant time, Type type, Outcome outcome, String actor, String client, Map<String, String> target,
                         String requestId, String node, Map<String, String> detail) {

    /** What a value that looks like a credential is written as. */
    public static final String REDACTED = "[redacted]";

    /** Longest value written; longer ones are cut (a provider's error text, a name). */
    static final int MAX_VALUE = 300;

    /** API keys, JWTs, presigned URLs. */
    private static final Pattern CREDENTIAL = Pattern.compile(".*(td_[A-Za-z0-9_-]{8,}|eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+|X-Amz-Signature).*",
            Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    /**
     * A long unbroken run of token characters with upper-case letters and digits: delete and unlock tokens, secrets
     * (256 random bits are 43 base64url characters). Slugs (lower case) and UUIDs (36 characters) are not.
     */
    private static final Pattern TOKEN_RUN = Pattern.compile("[A-Za-z0-9_+/=-]{32,}");

    /** The events, as written in {@code type}. */
    public enum Type {
        SIGN_IN("sign-in"), SIGN_OUT("sign-out"), ADMIN_LOGIN("admin-login"), KEY_ISSUED("key-issued"), KEY_REVOKED("key-revoked"),
        DROP_DELETED("drop-deleted"), UNLOCK_LIMITED("unlock-limited"), LOG_LEVEL_CHANGED("log-level-changed");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** How it ended. */
    public enum Outcome {
        SUCCESS, FAILURE, LIMITED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(outcome, "outcome");
        actor = actor == null ? "anonymous" : actor;
        target = target == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(target));
        detail = detail == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    /** An event of now, with no target, detail or request yet: fill them in with the {@code with…} methods. */
    public static AuditEvent of(Type type, Outcome outcome, String actor, String client) {
        return new AuditEvent(Instant.now(), type, outcome, actor, client, Map.of(), null, null, Map.of());
    }

    public AuditEvent withTarget(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(target);
        more.put(name, value);
        return new AuditEvent(time, type, outcome, actor, client, more, requestId, node, detail);
    }

    public AuditEvent withDetail(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(detail);
        more.put(name, value);
        return new AuditEvent(time, type, outcome, actor, client, target, requestId, node, more);
    }

    public AuditEvent withRequestId(String id) {
        return new AuditEvent(time, type, outcome, actor, client, target, id, node, detail);
    }

    public AuditEvent withNode(String name) {
        return new AuditEvent(time, type, outcome, actor, client, target, requestId, name, detail);
    }

    /**
     * The line: {@code {"time", "type", "outcome", "actor", "client", "target": {…}, "requestId", "node", "detail": {…}}};
     * absent values are left out, not written as null.
     */
    public JsonObject toJson() {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("time", time.toString())
                .add("type", type.label())
                .add("outcome", outcome.label())
                .add("actor", clean(actor));
        if (client != null) {
            json.add("client", clean(client));
        }
        if (!target.isEmpty()) {
            json.add("target", object(target));
        }
        if (requestId != null) {
            json.add("requestId", clean(requestId));
        }
        if (node != null) {
            json.add("node", clean(node));
        }
        if (!detail.isEmpty()) {
            json.add("detail", object(detail));
        }
        return json.build();
    }

    private static JsonObjectBuilder object(Map<String, String> values) {
        JsonObjectBuilder json = Json.createObjectBuilder();
        values.forEach((k, v) -> {
            if (v != null) {
                json.add(k, clean(v));
            }
        });
        return json;
    }

    /** The value as written: {@value #REDACTED} if it looks like a credential, cut to {@value #MAX_VALUE} characters. */
    static String clean(String value) {
        if (CREDENTIAL.matcher(value).matches()) {
            return REDACTED;
        }
        java.util.regex.Matcher run = TOKEN_RUN.matcher(value);
        while (run.find()) {
            String token = run.group();
            if (token.chars().anyMatch(Character::isUpperCase) && token.chars().anyMatch(Character::isDigit)) {
                return REDACTED;
            }
        }
        return value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) + "…" : value;
    }
}

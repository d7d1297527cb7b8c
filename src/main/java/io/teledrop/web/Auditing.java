package io.teledrop.web;

import io.teledrop.audit.AuditEvent;
import io.teledrop.audit.AuditLog;
import io.teledrop.drop.ApiKeyService;
import io.teledrop.drop.Caller;
import io.teledrop.security.ApiKeyIdentityStore;
import io.teledrop.security.RequestAuthenticationMechanism;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records a request's security events in the {@link AuditLog}, saying who made it: {@code user:<subject>} for a
 * sign-in or access token, {@code key:<id>} for an issued API key (looked up by the key's hash; the key itself
 * never leaves the request), {@code bootstrap-key} for the operator's, {@code anonymous} otherwise; with the
 * client's address and the request id. Never throws: an event that cannot be described or written is logged and
 * the request goes on. Thread-safe.
 */
@ApplicationScoped
public class Auditing {

    private static final Logger LOG = Logger.getLogger(Auditing.class.getName());
    private static final String REQUEST_URN = "urn:teledrop:request:";

    @Inject
    AuditLog audit;

    @Inject
    ApiKeyService apiKeys;

    /** Records an event of {@code request}; {@code details} adds its target and detail. */
    public void record(HttpServletRequest request, AuditEvent.Type type, AuditEvent.Outcome outcome, UnaryOperator<AuditEvent> details) {
        try {
            audit.record(details.apply(event(request, type, outcome)));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not record a " + type.label() + " event in the audit log: " + e, e);
        }
    }

    /**
     * A drop deleted, or a deletion refused ({@code failure}): {@code by} says how the request proved its right,
     * {@code delete-token} when it brought the drop's token, else {@code api-key}, {@code sign-in} (the creator, or
     * an admin signed in), {@code access-token} (an API client's token from the identity provider) or {@code none}.
     */
    public void dropDeleted(HttpServletRequest request, String slug, boolean withToken, AuditEvent.Outcome outcome, String reason) {
        String by = withToken ? "delete-token"
                : RequestAuthenticationMechanism.caller(request) != null ? (request.getHeader("Authorization") != null ? "access-token" : "sign-in")
                : request.getUserPrincipal() != null ? "api-key" : "none";
        record(request, AuditEvent.Type.DROP_DELETED, outcome, e -> {
            AuditEvent event = e.withTarget("drop", slug).withDetail("by", by);
            return reason == null ? event : event.withDetail("reason", reason);
        });
    }

    /** An unlock refused because the client tried too many passwords ({@code 429}). */
    public void unlockLimited(HttpServletRequest request, String slug, java.time.Duration retryAfter) {
        record(request, AuditEvent.Type.UNLOCK_LIMITED, AuditEvent.Outcome.LIMITED, e -> e.withTarget("drop", slug)
                .withDetail("retryAfterSeconds", Long.toString(retryAfter.toSeconds())));
    }

    /** An API key issued, or its issuing refused ({@code failure}, with the reason). */
    public void keyIssued(HttpServletRequest request, io.teledrop.drop.ApiKeyView key, AuditEvent.Outcome outcome, String reason) {
        record(request, AuditEvent.Type.KEY_ISSUED, outcome, e -> key != null
                ? e.withTarget("key", key.id()).withDetail("name", key.name())
                        .withDetail("permissions", String.join(",", key.permissions().stream().map(io.teledrop.drop.Permission::role).toList()))
                : e.withDetail("reason", reason));
    }

    /** An API key revoked, or its revocation refused ({@code failure}, with the reason). */
    public void keyRevoked(HttpServletRequest request, String id, AuditEvent.Outcome outcome, String reason) {
        record(request, AuditEvent.Type.KEY_REVOKED, outcome, e -> reason == null ? e.withTarget("key", id)
                : e.withTarget("key", id).withDetail("reason", reason));
    }

    /**
     * A login to the admin pages with an API key: the actor is that key ({@code key:<id>}, {@code bootstrap-key}),
     * or {@code anonymous} for a key that is not valid; the key itself is never written.
     */
    public void adminLogin(HttpServletRequest request, String key, String callerName, AuditEvent.Outcome outcome, String reason) {
        String actor;
        if (ApiKeyIdentityStore.BOOTSTRAP_CALLER.equals(callerName)) {
            actor = "bootstrap-key";
        } else if (callerName == null || key == null) {
            actor = "anonymous";
        } else {
            try {
                actor = "key:" + apiKeys.idOfHash(ApiKeyService.hashOf(key)).orElse("unknown");
            } catch (RuntimeException e) {
                actor = "key:unknown";
            }
        }
        String who = actor;
        record(request, AuditEvent.Type.ADMIN_LOGIN, outcome, e -> {
            AuditEvent event = new AuditEvent(e.time(), e.type(), e.outcome(), who, e.client(), e.target(), e.requestId(), e.node(), e.detail());
            return reason == null ? event : event.withDetail("reason", reason);
        });
    }

    /** A sign-in with the identity provider: {@code subject} when it succeeded, else null and the reason. */
    public void signIn(HttpServletRequest request, String subject, String reason) {
        record(request, AuditEvent.Type.SIGN_IN, subject != null ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE, e -> {
            AuditEvent event = subject == null ? e
                    : new AuditEvent(e.time(), e.type(), e.outcome(), "user:" + subject, e.client(), e.target(), e.requestId(), e.node(), e.detail());
            return reason == null ? event : event.withDetail("reason", reason);
        });
    }

    /** An event of {@code request}: its actor, address and id. */
    public AuditEvent event(HttpServletRequest request, AuditEvent.Type type, AuditEvent.Outcome outcome) {
        String instance = RequestIdFilter.instance(request);
        return AuditEvent.of(type, outcome, actor(request), request.getRemoteAddr())
                .withRequestId(instance.startsWith(REQUEST_URN) ? instance.substring(REQUEST_URN.length()) : instance);
    }

    /** Who made the request, as the audit log names it. */
    public String actor(HttpServletRequest request) {
        Caller caller = RequestAuthenticationMechanism.caller(request);
        if (caller != null) {
            return "user:" + caller.subject();
        }
        if (request.getUserPrincipal() != null && ApiKeyIdentityStore.BOOTSTRAP_CALLER.equals(request.getUserPrincipal().getName())) {
            return "bootstrap-key";
        }
        String hash = RequestAuthenticationMechanism.keyHash(request);
        if (hash == null || request.getUserPrincipal() == null) {
            return "anonymous";
        }
        try {
            return "key:" + apiKeys.idOfHash(hash).orElse("unknown");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not look up an API key's id for the audit log: " + e);
            return "key:unknown";
        }
    }
}

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

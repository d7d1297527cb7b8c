/**
 * The audit log: security events (sign-ins, API keys issued and revoked, drops deleted, unlocks refused over the
 * limit, log levels changed) as one JSON object a line in a file of their own ({@code teledrop.audit.file}), apart
 * from the diagnostic logs. Start at {@link io.teledrop.audit.AuditLog}; an event is an {@link io.teledrop.audit.AuditEvent}.
 * <p>
 * May import {@code config} and {@code cluster} (the node's name); imports no servlet, REST, JPA or storage type:
 * whoever records an event (the web and security packages) says who did what from its request.
 */
package io.teledrop.audit;

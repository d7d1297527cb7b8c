package io.teledrop.audit;

import io.teledrop.cluster.ClusterNode;
import io.teledrop.config.Settings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes {@link AuditEvent}s to the audit file ({@code teledrop.audit.file}, by default {@code logs/audit.log} beside
 * {@code messages.log}), one JSON object a line; each server of a cluster writes its own, and names itself in
 * {@code node}. Recording never fails the caller's request: a line that cannot be written is reported in
 * {@code messages.log} (SEVERE, once until writing works again) with the event's type, and the request goes on.
 * Thread-safe.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

    @Inject
    Settings settings;

    @Inject
    ClusterNode node;

    private volatile AuditFile file;
    private final AtomicBoolean failing = new AtomicBoolean();

    /** Writes the event, with this server's name; never throws. */
    public void record(AuditEvent event) {
        AuditEvent named = event;
        try {
            named = event.withNode(node.name());
            file().append(named.toJson().toString());
            if (failing.compareAndSet(true, false)) {
                LOG.info("The audit log is written again: " + file().path());
            }
        } catch (IOException | RuntimeException e) {
            // The user's request has done its work; losing its audit line must not undo or fail it.
            if (failing.compareAndSet(false, true)) {
                LOG.log(Level.SEVERE, "Could not write the audit log (" + settings.logs().auditFile() + "); a " + named.type().label()
                        + " event is missing from it: " + e, e);
            } else {
                LOG.log(Level.WARNING, "Audit log still not writable; a " + named.type().label() + " event is missing from it: " + e);
            }
        }
    }

    private AuditFile file() {
        AuditFile current = file;
        if (current == null) {
            synchronized (this) {
                if (file == null) {
                    file = new AuditFile(settings.logs().auditFile(), settings.logs().auditMaxSize(), settings.logs().auditMaxFiles());
                }
                current = file;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        AuditFile current = file;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Could not close the audit log", e);
            }
        }
    }
}

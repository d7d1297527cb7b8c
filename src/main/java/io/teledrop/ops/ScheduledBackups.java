package io.teledrop.ops;

import io.teledrop.cluster.ClusterNode;
import io.teledrop.cluster.Leases;
import io.teledrop.config.BackupSchedule;
import io.teledrop.config.BackupSettings;
import io.teledrop.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Backups on {@code teledrop.backup.schedule}, once per due time however many servers share the database: every
 * server looks a few times per interval (at most every minute), and the one that takes the due time's lease
 * ({@code cluster.Leases}) writes the backup ({@link Backups}, which keeps the newest {@code teledrop.backup.keep}).
 * A due time missed while every server was down is made up by the first look after a start.
 * <p>
 * The outcome of every backup, scheduled or asked for ({@code POST /api/admin/backups}), is written to the
 * {@code backup_status} table, so each server reports the same: the liveness check {@code backup} stays UP (a
 * failed backup must not take a server out of its load balancer, nor get it restarted) and carries
 * {@code status}: {@code ok}, {@code warn} (the latest backup failed), {@code pending} (none yet), {@code off},
 * or {@code unsupported} (a database other than SQLite and PostgreSQL), with {@code lastSuccess}, {@code lastBackup},
 * {@code lastFailure} and {@code failure}. A failure is also logged at SEVERE and counted in
 * {@code teledrop_backup_failures_total} on the server where it happened; {@code teledrop_backup_last_success_seconds}
 * is the time of the last success (epoch seconds, -1 for none). Thread-safe.
 */
@ApplicationScoped
public class ScheduledBackups {

    private static final Logger LOG = Logger.getLogger(ScheduledBackups.class.getName());
    static final String LEASE = "backup";
    private static final String STATUS = "backup";
    private static final Duration LONGEST_LOOK = Duration.ofMinutes(1);
    private static final String SUCCEEDED = "INSERT INTO backup_status (name, last_success, last_backup, holder) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET last_success = excluded.last_success, last_backup = excluded.last_backup, holder = excluded.holder";
    private static final String FAILED = "INSERT INTO backup_status (name, last_failure, failure_reason, holder) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET last_failure = excluded.last_failure, failure_reason = excluded.failure_reason, holder = excluded.holder";

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource(lookup = "jdbc/teledrop")
    DataSource dataSource;

    @Inject
    Backups backups;

    @Inject
    Settings settings;

    @Inject
    Leases leases;

    @Inject
    ClusterNode node;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private Counter failures;
    private ScheduledFuture<?> task;
    private volatile boolean unsupportedLogged;

    /** What {@code backup_status} holds; times are absent when it never happened. */
    public record Status(Optional<Instant> lastSuccess, Optional<String> lastBackup, Optional<Instant> lastFailure, Optional<String> failure) {

        /** Whether the latest backup failed. */
        public boolean failing() {
            return lastFailure.isPresent() && (lastSuccess.isEmpty() || lastFailure.get().isAfter(lastSuccess.get()));
        }
    }

    @PostConstruct
    void registerMetrics() {
        failures = registry.counter("teledrop_backup_failures");
        registry.gauge("teledrop_backup_last_success_seconds", this::lastSuccessSeconds);
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        BackupSchedule schedule = settings.backup().schedule();
        if (!schedule.on()) {
            LOG.info(() -> "Scheduled backups are off (" + BackupSettings.SCHEDULE + ")");
            return;
        }
        long look = schedule instanceof BackupSchedule.Every every
                ? Math.max(1000, Math.min(every.interval().toMillis() / 4, LONGEST_LOOK.toMillis())) : LONGEST_LOOK.toMillis();
        // The first look waits for the schema migration, which also runs at start-up.
        task = scheduler.scheduleWithFixedDelay(this::runIfDue, Math.min(10_000, look * 2), look, TimeUnit.MILLISECONDS);
        LOG.info(() -> "Scheduled backups " + schedule + ", keeping " + settings.backup().keep() + ", in " + backups.location());
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** One look: the server that takes the current due time's lease backs up; a failure is reported, never thrown. */
    void runIfDue() {
        Instant now = Instant.now();
        BackupSchedule schedule = settings.backup().schedule();
        boolean taken;
        long period = schedule.period(now);
        try {
            // One lease per schedule: periods of different schedules are numbered differently (a day's number is
            // far below a six-hour interval's), so a changed schedule must not inherit the old one's period.
            taken = leases.take(LEASE + "/" + schedule, period, now);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not take the scheduled backup's lease; trying again shortly", e);
            return;
        }
        if (taken) {
            LOG.info(() -> "Backing up for the due time " + schedule.due(period) + " on " + node.name());
            try {
                backUp();
            } catch (BackupNotSupportedException e) {
                if (!unsupportedLogged) {
                    unsupportedLogged = true;
                    LOG.warning(() -> "Scheduled backups cover SQLite and PostgreSQL only: " + e.getMessage() + " Set " + BackupSettings.SCHEDULE
                            + "=off to silence this.");
                }
            } catch (BackupInProgressException e) {
                LOG.info(() -> "The backup due " + schedule.due(period) + " is skipped: one asked for by an admin is still running here");
            } catch (RuntimeException e) {
                // backUp() has logged and counted it; the next due time tries again.
            }
        }
    }

    /**
     * A backup now, its outcome recorded: what both the schedule and {@code POST /api/admin/backups} call.
     *
     * @throws BackupNotSupportedException on a database other than SQLite and PostgreSQL (not a failure: nothing is recorded)
     * @throws BackupInProgressException   while this server writes another (not a failure either)
     * @throws RuntimeException            the failure, after it was logged at SEVERE, counted and recorded
     */
    public Backups.Backup backUp() {
        Instant started = Instant.now();
        Backups.Backup backup;
        try {
            backup = backups.create();
        } catch (BackupNotSupportedException | BackupInProgressException e) {
            throw e;
        } catch (RuntimeException e) {
            String reason = reason(e);
            failures.inc();
            LOG.log(Level.SEVERE, "Backup into " + backups.location() + " failed: " + reason
                    + "; older backups were kept, the next one is due " + nextDue(started), e);
            record(FAILED, started, reason);
            throw e;
        }
        record(SUCCEEDED, Instant.now(), backup.name());
        return backup;
    }

    private String nextDue(Instant after) {
        BackupSchedule schedule = settings.backup().schedule();
        return schedule.on() ? "at " + schedule.due(schedule.period(after) + 1) : "never (" + BackupSettings.SCHEDULE + " is off)";
    }

    /** The failure in words for operators: the exception and its causes' messages (paths, SQL states; no secrets are in them). */
    static String reason(Throwable e) {
        StringBuilder reason = new StringBuilder();
        for (Throwable t = e; t != null && reason.length() < 900; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.UncheckedIOException && t.getCause() != null) {
                continue; // a wrapper only: its message is its cause's
            }
            if (reason.length() > 0) {
                reason.append(" <- ");
            }
            reason.append(t.getClass().getSimpleName()).append(t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        return reason.length() > 1000 ? reason.substring(0, 1000) : reason.toString();
    }

    /** Writes an outcome; a database that cannot take it is logged (the outcome is in the log already). */
    private void record(String upsert, Instant at, String text) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(upsert)) {
            statement.setString(1, STATUS);
            statement.setLong(2, at.toEpochMilli());
            statement.setString(3, text);
            statement.setString(4, node.name());
            statement.executeUpdate();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Could not record the backup's outcome in the database", e);
        }
    }

    /** The shared outcome of backups so far. */
    public Status status() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT last_success, last_backup, last_failure, failure_reason FROM backup_status WHERE name = ?")) {
            statement.setString(1, STATUS);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return new Status(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
                }
                return new Status(instant(row, 1), Optional.ofNullable(row.getString(2)), instant(row, 3), Optional.ofNullable(row.getString(4)));
            }
        }
    }

    private static Optional<Instant> instant(ResultSet row, int column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    private long lastSuccessSeconds() {
        try {
            return status().lastSuccess().map(Instant::getEpochSecond).orElse(-1L);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Liveness, always UP: see the class comment for why, and for what its data says. */
    @Produces
    @Liveness
    HealthCheck backupCheck() {
        return () -> {
            HealthCheckResponseBuilder check = HealthCheckResponse.named("backup").up()
                    .withData("schedule", settings.backup().schedule().toString()).withData("keep", settings.backup().keep());
            Status status;
            try {
                status = status();
            } catch (SQLException e) {
                // The database's own check (readiness) says why.
                return check.withData("status", "unknown").build();
            }
            if (!backups.supported()) {
                return check.withData("status", "unsupported").build();
            }
            status.lastSuccess().ifPresent(t -> check.withData("lastSuccess", t.toString()));
            status.lastBackup().ifPresent(b -> check.withData("lastBackup", b));
            status.lastFailure().ifPresent(t -> check.withData("lastFailure", t.toString()));
            if (status.failing()) {
                status.failure().ifPresent(f -> check.withData("failure", f));
            }
            String state = status.failing() ? "warn" : status.lastSuccess().isPresent() ? "ok"
                    : settings.backup().schedule().on() ? "pending" : "off";
            return check.withData("status", state).build();
        };
    }
}

package io.teledrop.it.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.cluster.Leases;
import io.teledrop.it.Deployments;
import io.teledrop.ops.Backups;
import io.teledrop.ops.ScheduledBackups;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import javax.naming.InitialContext;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What makes a scheduled backup run once per due time across servers, inside the server on its real database
 * (SQLite here, PostgreSQL in the postgresql execution): of callers racing for one period exactly one takes it,
 * and an older period is never taken again; a backup's outcome is recorded in the database for every server.
 */
@ExtendWith(ArquillianExtension.class)
class BackupLeaseIT {

    @Inject
    Leases leases;

    @Inject
    ScheduledBackups scheduled;

    @Inject
    Backups backups;

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(BackupLeaseIT.class);
    }

    @Test
    void ofCallersRacingForADueTimeExactlyOneTakesIt() throws Exception {
        String name = "it-backup-" + UUID.randomUUID().toString().substring(0, 8);
        long period = 20_000;
        // Arquillian injects no @Resource into a test: the container's default executor, by name.
        ManagedExecutorService executor = InitialContext.doLookup("java:comp/DefaultManagedExecutorService");
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> racers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racers.add(executor.submit(() -> {
                go.await();
                return leases.take(name, period, Instant.now());
            }));
        }
        go.countDown();
        int taken = 0;
        for (Future<Boolean> racer : racers) {
            taken += racer.get() ? 1 : 0;
        }

        assertEquals(1, taken, "of 8 servers looking at one due time, one backs up");
        assertFalse(leases.take(name, period, Instant.now()), "a due time is taken once");
        assertFalse(leases.take(name, period - 1, Instant.now()), "an older due time is never taken again (a late server)");
        assertTrue(leases.take(name, period + 1, Instant.now()), "the next due time is free");
    }

    @Test
    void aBackupsOutcomeIsSharedThroughTheDatabase() throws Exception {
        assertTrue(backups.supported(), "SQLite and PostgreSQL are backed up");
        Backups.Backup backup = scheduled.backUp();
        ScheduledBackups.Status status = scheduled.status();

        // Local storage: the backup is a folder in the data folder, its database file SQLite's copy or pg_dump's.
        assertTrue(Files.isRegularFile(Path.of(backup.location()).resolve(backup.databaseFile())), backup.toString());
        assertTrue(backup.databaseBytes() > 0, backup.toString());
        assertEquals(backup.name(), status.lastBackup().orElseThrow());
        assertTrue(status.lastSuccess().orElseThrow().isAfter(Instant.now().minusSeconds(600)), status.toString());
        assertFalse(status.failing(), status.toString());
    }
}

package io.teledrop.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which backups go after a new one succeeded ({@link Backups#toPrune}). */
class BackupRetentionTest {

    private static final String A = "20261201-030000-000";
    private static final String B = "20261202-030000-000";
    private static final String C = "20261203-030000-000";
    private static final String D = "20261204-030000-000";

    @Test
    void theNewestAreKeptAndTheOldestGoFirst() {
        assertEquals(List.of(A, B), Backups.toPrune(List.of(C, A, D, B), D, 2));
        assertEquals(List.of(A, B, C), Backups.toPrune(List.of(C, A, D, B), D, 1));
        assertEquals(List.of(), Backups.toPrune(List.of(C, A, D, B), D, 4));
        assertEquals(List.of(), Backups.toPrune(List.of(C, A, D, B), D, 7));
    }

    @Test
    void theBackupJustWrittenIsKeptBesideTheNewestEvenIfANewerOneFinishedFirst() {
        // A slow dump (or another server's, or a clock set back) finishing after a newer backup: neither the newest
        // nor the one just written goes; the next backup prunes back to keep.
        assertEquals(List.of(B), Backups.toPrune(List.of(A, B, C, D), A, 2));
        assertEquals(List.of(B, C), Backups.toPrune(List.of(A, B, C, D), A, 1));
        assertEquals(List.of(A, B), Backups.toPrune(List.of(A, B, C, D), C, 1));
    }

    @Test
    void whatIsNotABackupIsNeverRemoved() {
        List<String> folder = List.of(A, B, C, ".partial-" + D, "notes", "2026-12-01", "20261201-030000-000.old", "keep-me", D);

        assertEquals(List.of(A, B, C), Backups.toPrune(folder, D, 1));
    }

    @Test
    void aSecondBackupWhileOneIsWrittenIsRefusedAtOnce() throws Exception {
        Backups backups = new Backups();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread writer = new Thread(() -> {
            backups.writing.lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                backups.writing.unlock();
            }
        });
        writer.start();
        held.await();
        try {
            BackupInProgressException refused = org.junit.jupiter.api.Assertions.assertThrows(BackupInProgressException.class, backups::create);
            org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("writing a backup now"), refused.getMessage());
        } finally {
            release.countDown();
            writer.join();
        }
    }

    @Test
    void aFailureIsDescribedByItsCausesWithoutWrappers() {
        java.io.IOException cause = new java.nio.file.FileSystemException("/srv/teledrop/backups/.partial-x", null, "Operation not permitted");
        assertEquals("FileSystemException: /srv/teledrop/backups/.partial-x: Operation not permitted",
                ScheduledBackups.reason(new java.io.UncheckedIOException(cause)));
        assertEquals("IllegalStateException: The database could not be copied: busy <- SQLException: busy",
                ScheduledBackups.reason(new IllegalStateException("The database could not be copied: busy", new java.sql.SQLException("busy"))));
    }
}

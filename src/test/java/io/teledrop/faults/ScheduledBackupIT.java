package io.teledrop.faults;

import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.LibertyServer;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Scheduled backups on a real server ({@code teledrop.backup.schedule=PT5S}, {@code teledrop.backup.keep=1}):
 * the scheduler writes one backup after another and each new one, once complete, removes the one before; while
 * the backups folder cannot be written (made immutable with {@code chattr +i}, which binds root too) a backup fails
 * with a SEVERE line, the failure counter and the health check's {@code warn}, the server stays ready and the
 * backup already there stays; once the folder is writable again the next backup succeeds, and the newest backup,
 * restored with {@code bin/restore.sh} into a fresh folder, holds every drop uploaded before it, byte for byte.
 * In the fault tests because it needs a server of its own, configured for it.
 */
class ScheduledBackupIT {

    static final Path WORK = Path.of("target/faults/scheduled-backup").toAbsolutePath();
    static final Path DATA = WORK.resolve("data");
    static final Path BACKUPS = DATA.resolve("backups");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern BACKUP = Pattern.compile("\\d{8}-\\d{6}-\\d{3}");

    private final TeledropClient client = new TeledropClient();

    @Test
    void backupsComeOnScheduleTheOldestGoesAndAFailureWarnsWithoutHarm() throws Exception {
        chattr("-i", BACKUPS);
        FaultFiles.deleteTree(WORK);
        Map<String, String> uploaded = new HashMap<>();
        Files.createDirectories(BACKUPS);
        // Not Teledrop's: must survive every pruning.
        Files.writeString(BACKUPS.resolve("README.operator"), "my notes");
        Files.createDirectories(BACKUPS.resolve("19990101-000000-000-manual"));
        try (LibertyServer server = new LibertyServer(FaultFiles.SERVER, LibertyServer.BASE, Map.of(
                "teledrop.data.dir", DATA.toString(),
                "teledrop.backup.schedule", "PT5S",
                "teledrop.backup.keep", "1"), WORK.resolve("console.log"))) {
            server.start("health/ready");

            for (int i = 0; i < 3; i++) {
                byte[] content = randomBytes(50_000 + i, 70 + i);
                JsonObject drop = json(client.put("s" + i + ".bin", content));
                uploaded.put(drop.getString("slug"), TeledropClient.sha256(content));
            }
            String afterUploads = NAME.format(Instant.now());

            // Two scheduled backups after the uploads: the second removes the first once it is complete.
            String first = await("a scheduled backup after the uploads", () -> newest().filter(b -> b.compareTo(afterUploads) > 0).orElse(null));
            String second = await("a second scheduled backup", () -> newest().filter(b -> b.compareTo(first) > 0).orElse(null));
            await("the first backup pruned", () -> Files.exists(BACKUPS.resolve(first)) ? null : "gone");
            assertTrue(Files.isRegularFile(BACKUPS.resolve("README.operator")), "an operator's file stays");
            assertTrue(Files.isDirectory(BACKUPS.resolve("19990101-000000-000-manual")), "a folder not named like a backup stays");
            assertTrue(backups().size() <= 2, "keep=1: the newest, and at most the next one written before it pruned: " + backups());
            JsonObject healthy = await("the health check to say ok", () -> backupCheck().filter(c -> "ok".equals(status(c))).orElse(null));
            assertEquals("UP", healthy.getString("status"), healthy.toString());
            assertTrue(healthy.getJsonObject("data").getString("lastBackup").compareTo(first) > 0, healthy.toString());
            assertEquals(0.0, metric("teledrop_backup_failures_total"));
            assertTrue(metric("teledrop_backup_last_success_seconds") >= Instant.now().minusSeconds(300).getEpochSecond());

            // The folder cannot be written: every backup fails, the one there stays.
            if (chattr("+i", BACKUPS) != 0) {
                System.out.println("ScheduledBackupIT: chattr +i refused here; the failure path is not tested");
            } else {
                List<String> before;
                try {
                    // A backup running at this moment may still have renamed into the folder: settle on what is there.
                    await("a failed backup", () -> metric("teledrop_backup_failures_total") >= 1 ? "failed" : null);
                    before = backups();
                    JsonObject warn = await("the health check to warn", () -> backupCheck().filter(c -> "warn".equals(status(c))).orElse(null));
                    assertEquals("UP", warn.getString("status"), "a failed backup must not take the server out: " + warn);
                    assertTrue(warn.getJsonObject("data").getString("failure").contains(BACKUPS.toString())
                            || warn.getJsonObject("data").getString("failure").contains("Operation not permitted"), warn.toString());
                    assertTrue(warn.getJsonObject("data").containsKey("lastSuccess"), warn.toString());
                    HttpResponse<String> ready = client.send(client.request("health/ready").GET().build());
                    assertEquals(200, ready.statusCode(), "still ready: " + ready.body());
                    HttpResponse<String> health = client.send(client.request("health").GET().build());
                    assertEquals(200, health.statusCode(), health.body());
                    String severe = server.messages().stream().filter(l -> l.contains("ScheduledBackups") && l.contains(" E ")
                            && l.contains("Backup into " + BACKUPS) && l.contains("failed")).findFirst().orElse(null);
                    assertTrue(severe != null, "a SEVERE line names the folder and the failure");
                    assertFalse(severe.contains(LibertyServer.BASE.toString()), severe);
                    double failures = metric("teledrop_backup_failures_total");
                    await("another failed backup", () -> metric("teledrop_backup_failures_total") > failures ? "failed" : null);
                    assertEquals(before, backups(), "the backups there stay while new ones fail");
                    assertTrue(before.size() >= 1, before.toString());
                } finally {
                    chattr("-i", BACKUPS);
                }
                assertTrue(partials().isEmpty(), "a failed backup leaves nothing behind: " + partials());
                String failedAt = await("a backup after the folder is writable again",
                        () -> backupCheck().filter(c -> "ok".equals(status(c))).map(c -> c.getJsonObject("data").getString("lastBackup")).orElse(null));
                assertTrue(failedAt.compareTo(before.get(before.size() - 1)) > 0, failedAt + " after " + before);
            }
        }

        // Stopped: nothing writes or prunes any more. The newest backup restores byte for byte.
        List<String> finished = backups();
        // One, or two if the stop came between a backup's rename and its pruning.
        assertTrue(finished.size() == 1 || finished.size() == 2, "keep=1 leaves one backup: " + finished);
        String newest = finished.get(finished.size() - 1);
        Path restored = WORK.resolve("restored");
        Process restore = new ProcessBuilder("bash", "bin/restore.sh", BACKUPS.resolve(newest).toString(), restored.toString())
                .redirectErrorStream(true).start();
        String output = new String(restore.getInputStream().readAllBytes());
        assertEquals(0, restore.waitFor(), output);
        int files = 0;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + restored.resolve("teledrop.db"));
             Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT d.slug, f.storage_key, f.sha256, f.size_bytes FROM stored_files f JOIN drops d ON d.id = f.drop_id")) {
            while (rows.next()) {
                Path blob = restored.resolve("blobs").resolve(rows.getString(2));
                assertEquals(uploaded.get(rows.getString(1)), rows.getString(3), rows.getString(1));
                assertEquals(rows.getLong(4), Files.size(blob));
                assertEquals(rows.getString(3), TeledropClient.sha256(Files.readAllBytes(blob)), "restored bytes of " + rows.getString(1));
                files++;
            }
        }
        assertEquals(3, files, "every drop uploaded before the backups is in the newest");

        Process partial = new ProcessBuilder("bash", "bin/restore.sh", BACKUPS.resolve(".partial-" + newest).toString(),
                WORK.resolve("refused").toString()).redirectErrorStream(true).start();
        String refused = new String(partial.getInputStream().readAllBytes());
        assertEquals(2, partial.waitFor(), refused);
        assertTrue(refused.contains("incomplete backup"), refused);
    }

    /** The finished backups, oldest first. */
    private static List<String> backups() throws Exception {
        try (Stream<Path> entries = Files.list(BACKUPS)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> BACKUP.matcher(n).matches()).sorted().toList();
        }
    }

    private static List<String> partials() throws Exception {
        try (Stream<Path> entries = Files.list(BACKUPS)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".partial-")).toList();
        }
    }

    private static java.util.Optional<String> newest() {
        try {
            List<String> all = backups();
            return all.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(all.get(all.size() - 1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code backup} check of {@code /health/live}. */
    private java.util.Optional<JsonObject> backupCheck() {
        HttpResponse<String> live = client.send(client.request("health/live").GET().build());
        assertEquals(200, live.statusCode(), live.body());
        return json(live).getJsonArray("checks").stream().map(JsonValue::asJsonObject).filter(c -> c.getString("name").equals("backup")).findFirst();
    }

    private static String status(JsonObject check) {
        return check.getJsonObject("data").getString("status", null);
    }

    private double metric(String name) {
        HttpResponse<String> metrics = client.send(client.request("metrics?scope=application").GET().build());
        assertEquals(200, metrics.statusCode(), metrics.body());
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})?\\s+(\\S+)$").matcher(metrics.body());
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }

    /** Waits (up to two minutes; the schedule is every 5 s) until {@code what} gives a value, and returns it. */
    private static <T> T await(String description, ThrowingSupplier<T> what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            T value = what.get();
            if (value != null) {
                return value;
            }
            assertTrue(System.nanoTime() < deadline, "waited 120 s for " + description);
            Thread.sleep(200);
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static int chattr(String flag, Path folder) throws Exception {
        if (!Files.exists(folder)) {
            return 1;
        }
        Process process = new ProcessBuilder("chattr", flag, folder.toString()).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }
}

package io.teledrop.it.sqlite;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.RestoredBackup;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An online backup of the running server, restored with {@code bin/restore.sh} into a fresh data folder,
 * then checked the way a restarted server would see it: every drop uploaded before the backup is in the
 * restored database, and every file row's blob is there with its SHA-256.
 */
@ExtendWith(ArquillianExtension.class)
class BackupIT {

    private static final String ADMIN_KEY = System.getProperty("teledrop.it.api-key");

    private final TeledropClient client = new TeledropClient();

    @TempDir
    Path restoredData;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void aBackupRestoresByteForByte() throws Exception {
        Map<String, String> uploaded = RestoredBackup.uploadDrops(client, "b", 3, 100_000);

        JsonObject backup = json(client.send(RestoredBackup.backupRequest(client, "X-API-Key", ADMIN_KEY)));
        Path folder = Path.of(backup.getString("location"));
        assertEquals("teledrop.db", backup.getString("databaseFile"));
        assertEquals(folder.getFileName().toString(), backup.getString("name"));
        assertTrue(backup.getJsonNumber("blobs").longValue() >= 3, backup.toString());

        Process restore = new ProcessBuilder("bash", "bin/restore.sh", folder.toString(), restoredData.toString())
                .redirectErrorStream(true).start();
        String output = new String(restore.getInputStream().readAllBytes());
        assertEquals(0, restore.waitFor(), output);

        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + restoredData.resolve("teledrop.db"))) {
            RestoredBackup.assertHolds(db, restoredData.resolve("blobs"), uploaded);
        }
    }

    @Test
    void onlyAnAdminKeyMayBackUp() {
        assertProblem(client.send(RestoredBackup.backupRequest(client)), 401, "urn:teledrop:problem:authentication-required");
    }
}

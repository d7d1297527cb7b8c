package io.teledrop.it.sqlite;

import static io.teledrop.it.Problems.assertProblem;
import static io.teledrop.it.TeledropClient.json;
import static io.teledrop.it.TeledropClient.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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

    private HttpRequest.Builder backup() {
        return client.request("api/admin/backups").POST(HttpRequest.BodyPublishers.noBody());
    }

    @Test
    void aBackupRestoresByteForByte() throws Exception {
        Map<String, String> uploaded = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            byte[] content = randomBytes(100_000 + i, 40 + i);
            JsonObject drop = json(client.put("b" + i + ".bin", content));
            uploaded.put(drop.getString("slug"), TeledropClient.sha256(content));
        }

        JsonObject backup = json(client.send(backup().header("X-API-Key", ADMIN_KEY).build()));
        Path folder = Path.of(backup.getString("folder"));
        assertTrue(backup.getJsonNumber("blobs").longValue() >= 3, backup.toString());

        Process restore = new ProcessBuilder("bash", "bin/restore.sh", folder.toString(), restoredData.toString())
                .redirectErrorStream(true).start();
        String output = new String(restore.getInputStream().readAllBytes());
        assertEquals(0, restore.waitFor(), output);

        Set<String> restoredSlugs = new HashSet<>();
        int files = 0;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + restoredData.resolve("teledrop.db"));
             Statement statement = db.createStatement()) {
            try (ResultSet drops = statement.executeQuery("SELECT slug FROM drops")) {
                while (drops.next()) {
                    restoredSlugs.add(drops.getString(1));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT d.slug, f.storage_key, f.sha256, f.size_bytes FROM stored_files f JOIN drops d ON d.id = f.drop_id")) {
                while (rows.next()) {
                    if (!uploaded.containsKey(rows.getString(1))) {
                        continue; // other tests' drops; some lose their blob on purpose
                    }
                    Path blob = restoredData.resolve("blobs").resolve(rows.getString(2));
                    assertEquals(uploaded.get(rows.getString(1)), rows.getString(3));
                    assertTrue(Files.isRegularFile(blob), "blob of " + rows.getString(1) + " restored");
                    assertEquals(rows.getLong(4), Files.size(blob));
                    assertEquals(rows.getString(3), sha256(blob), "restored bytes of " + rows.getString(1));
                    files++;
                }
            }
        }
        assertTrue(restoredSlugs.containsAll(uploaded.keySet()), "the drops uploaded before the backup are in it");
        assertEquals(3, files);
    }

    @Test
    void onlyAnAdminKeyMayBackUp() {
        assertProblem(client.send(backup().build()), 401, "urn:teledrop:problem:authentication-required");
    }

    private static String sha256(Path file) throws IOException {
        return TeledropClient.sha256(Files.readAllBytes(file));
    }
}

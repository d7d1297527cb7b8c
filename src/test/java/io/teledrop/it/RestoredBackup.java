package io.teledrop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** What a restored backup must hold, checked as a restarted server would see it; shared by the SQLite and PostgreSQL backup tests. */
public final class RestoredBackup {

    private RestoredBackup() {
    }

    /** Uploads {@code count} drops of one random file each (about {@code size} bytes); returns their slugs with the files' SHA-256. */
    public static Map<String, String> uploadDrops(TeledropClient client, String name, int count, int size) {
        Map<String, String> uploaded = new HashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] content = TeledropClient.randomBytes(size + i, name.hashCode() + i);
            uploaded.put(TeledropClient.json(client.put(name + i + ".bin", content)).getString("slug"), TeledropClient.sha256(content));
        }
        return uploaded;
    }

    /** {@code POST /api/admin/backups}, with {@code headers} (an API key). */
    public static HttpRequest backupRequest(TeledropClient client, String... headers) {
        HttpRequest.Builder request = client.request("api/admin/backups").POST(HttpRequest.BodyPublishers.noBody());
        return (headers.length == 0 ? request : request.headers(headers)).build();
    }

    /**
     * Asserts that the restored database {@code db} has every drop of {@code uploaded} (slug to the SHA-256 of its
     * one file) with its file's SHA-256, and, unless {@code blobs} is null (S3 storage), that each of these
     * files' blobs under {@code blobs} has the recorded size and SHA-256. Other drops (other tests') are ignored.
     */
    public static void assertHolds(Connection db, Path blobs, Map<String, String> uploaded) throws SQLException, IOException {
        Set<String> restoredSlugs = new HashSet<>();
        int files = 0;
        try (Statement statement = db.createStatement()) {
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
                    assertEquals(uploaded.get(rows.getString(1)), rows.getString(3), "recorded SHA-256 of " + rows.getString(1));
                    if (blobs != null) {
                        Path blob = blobs.resolve(rows.getString(2));
                        assertTrue(Files.isRegularFile(blob), "blob of " + rows.getString(1) + " restored");
                        assertEquals(rows.getLong(4), Files.size(blob));
                        assertEquals(rows.getString(3), TeledropClient.sha256(Files.readAllBytes(blob)), "restored bytes of " + rows.getString(1));
                    }
                    files++;
                }
            }
        }
        assertTrue(restoredSlugs.containsAll(uploaded.keySet()), "the drops uploaded before the backup are in it");
        assertEquals(uploaded.size(), files, "one restored file per drop uploaded before the backup");
    }
}

package io.teledrop.drop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * What {@link DropSnapshots} relies on, checked against a migrated database: every change of a drop's row or of
 * one of its files raises the drop's revision, whatever statement made it, and another drop's stays put.
 */
final class DropRevisionsContract {

    private DropRevisionsContract() {
    }

    static void everyChangeRaisesTheRevision(DataSource migrated) throws SQLException {
        try (Connection connection = migrated.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO drops (id, slug, created_at, delete_token_hash) VALUES ('d1', 'one', 0, 'h')");
            sql.execute("INSERT INTO drops (id, slug, created_at, delete_token_hash) VALUES ('d2', 'two', 0, 'h')");
            long start = revision(sql, "d1");
            assertEquals(0, start, "a new drop starts at 0");

            sql.execute("UPDATE drops SET title = 'renamed' WHERE id = 'd1'");
            assertEquals(start + 1, revision(sql, "d1"), "its own row changed");
            sql.execute("UPDATE drops SET download_count = download_count + 1 WHERE slug = 'one'");
            assertEquals(start + 2, revision(sql, "d1"), "a counted download");
            sql.execute("UPDATE drops SET revision = 0 WHERE id = 'd1'");
            assertTrue(revision(sql, "d1") != start, "a write of the revision itself never takes it back to a value it had");

            long before = revision(sql, "d1");
            sql.execute("INSERT INTO stored_files (id, drop_id, position, original_name, storage_key, size_bytes, content_type, sha256, created_at)"
                    + " VALUES ('f1', 'd1', 0, 'a.txt', 'k1', 1, 'text/plain', 'x', 0)");
            assertEquals(before + 1, revision(sql, "d1"), "a file added");
            sql.execute("UPDATE stored_files SET missing_since = 5 WHERE id = 'f1'");
            assertEquals(before + 2, revision(sql, "d1"), "a file changed");
            sql.execute("DELETE FROM stored_files WHERE id = 'f1'");
            assertEquals(before + 3, revision(sql, "d1"), "a file removed");
            assertEquals(0, revision(sql, "d2"), "the other drop never changed");
        }
    }

    private static long revision(Statement sql, String id) throws SQLException {
        try (ResultSet row = sql.executeQuery("SELECT revision FROM drops WHERE id = '" + id + "'")) {
            assertTrue(row.next());
            return row.getLong(1);
        }
    }
}

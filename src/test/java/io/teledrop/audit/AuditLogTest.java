package io.teledrop.audit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.teledrop.cluster.ClusterNode;
import io.teledrop.config.LogSettings;
import io.teledrop.config.Settings;
import jakarta.json.Json;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path dir;

    private AuditLog log(Path file) {
        Map<String, String> values = Map.of(Settings.DATA_DIR, dir.toString(), LogSettings.AUDIT_FILE, file.toString());
        AuditLog log = new AuditLog();
        log.settings = Settings.load(key -> Optional.ofNullable(values.get(key)));
        log.node = new ClusterNode();
        return log;
    }

    @Test
    void anEventIsOneLineNamingThisServer() throws Exception {
        Path file = dir.resolve("logs/audit.log");
        AuditLog log = log(file);

        log.record(AuditEvent.of(AuditEvent.Type.KEY_REVOKED, AuditEvent.Outcome.SUCCESS, "bootstrap-key", "127.0.0.1").withTarget("key", "k1"));
        log.close();

        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size());
        var json = Json.createReader(new StringReader(lines.get(0))).readObject();
        assertEquals("key-revoked", json.getString("type"));
        assertEquals(new ClusterNode().name().split("/")[0], json.getString("node").split("/")[0]);
    }

    /** The audit file's folder cannot be made (a file is in the way): recording goes on quietly, twice. */
    @Test
    void anUnwritableFileNeverFailsTheCaller() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
        AuditLog log = log(blocker.resolve("audit.log"));

        assertDoesNotThrow(() -> log.record(AuditEvent.of(AuditEvent.Type.DROP_DELETED, AuditEvent.Outcome.SUCCESS, null, null)));
        assertDoesNotThrow(() -> log.record(AuditEvent.of(AuditEvent.Type.DROP_DELETED, AuditEvent.Outcome.SUCCESS, null, null)));
        assertFalse(Files.isDirectory(blocker));
    }
}

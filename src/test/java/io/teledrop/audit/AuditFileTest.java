package io.teledrop.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFileTest {

    @TempDir
    Path dir;

    @Test
    void linesAreAppendedWholeAndTheFolderIsMade() throws Exception {
        Path file = dir.resolve("logs/audit.log");
        try (AuditFile audit = new AuditFile(file, 1024, 3)) {
            audit.append("{\"n\":1}");
            audit.append("{\"n\":2}");
        }
        try (AuditFile again = new AuditFile(file, 1024, 3)) {
            again.append("{\"n\":3}");
        }
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), Files.readAllLines(file));
    }

    /** 10-byte lines (with the newline) in files of at most 25 bytes: two a file, three old files kept, the oldest gone. */
    @Test
    void rollsOverBySizeAndKeepsABoundedNumberOfFiles() throws Exception {
        Path file = dir.resolve("audit.log");
        try (AuditFile audit = new AuditFile(file, 25, 3)) {
            for (int n = 1; n <= 10; n++) {
                audit.append("line-" + String.format("%04d", n));
            }
        }
        assertEquals(List.of("line-0009", "line-0010"), Files.readAllLines(file));
        assertEquals(List.of("line-0007", "line-0008"), Files.readAllLines(dir.resolve("audit.log.1")));
        assertEquals(List.of("line-0005", "line-0006"), Files.readAllLines(dir.resolve("audit.log.2")));
        assertEquals(List.of("line-0003", "line-0004"), Files.readAllLines(dir.resolve("audit.log.3")));
        assertFalse(Files.exists(dir.resolve("audit.log.4")));
        try (var files = Files.list(dir)) {
            assertEquals(4, files.count());
        }
    }

    @Test
    void aLineLongerThanTheLimitStillGoesInAFileOfItsOwn() throws Exception {
        Path file = dir.resolve("audit.log");
        try (AuditFile audit = new AuditFile(file, 8, 2)) {
            audit.append("short");
            audit.append("a line far longer than eight bytes");
        }
        assertEquals(List.of("a line far longer than eight bytes"), Files.readAllLines(file));
        assertEquals(List.of("short"), Files.readAllLines(dir.resolve("audit.log.1")));
        assertTrue(Files.size(file) > 8);
    }
}

package io.teledrop.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.teledrop.config.LogSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** Which level an area gets: its override, its configured level, the root's override, the root's configured level. */
class LogLevelsTest {

    private static final LogSettings CONFIG = new LogSettings(Level.INFO, Map.of("storage", Level.FINE), Path.of("audit.log"), 1024, 2);

    private static LogLevels.Override set(Level level) {
        return new LogLevels.Override(level, Instant.EPOCH, "bootstrap-key");
    }

    @Test
    void withoutOverridesTheConfigurationDecides() {
        assertEquals(Level.INFO, LogLevels.effective("teledrop", Map.of(), CONFIG));
        assertEquals(Level.INFO, LogLevels.effective("web", Map.of(), CONFIG));
        assertEquals(Level.FINE, LogLevels.effective("storage", Map.of(), CONFIG));
    }

    @Test
    void theRootsOverrideReachesAreasWithoutALevelOfTheirOwn() {
        Map<String, LogLevels.Override> now = Map.of("teledrop", set(Level.WARNING));
        assertEquals(Level.WARNING, LogLevels.effective("teledrop", now, CONFIG));
        assertEquals(Level.WARNING, LogLevels.effective("web", now, CONFIG));
        assertEquals(Level.FINE, LogLevels.effective("storage", now, CONFIG), "its configured level is more specific");
    }

    @Test
    void anAreasOverrideWinsOverEverything() {
        Map<String, LogLevels.Override> now = Map.of("teledrop", set(Level.WARNING), "storage", set(Level.SEVERE), "web", set(Level.FINE));
        assertEquals(Level.SEVERE, LogLevels.effective("storage", now, CONFIG));
        assertEquals(Level.FINE, LogLevels.effective("web", now, CONFIG));
        assertEquals(Level.WARNING, LogLevels.effective("drop", now, CONFIG));
    }
}

package io.teledrop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogSettingsTest {

    private static LogSettings load(String... keyValues) {
        Map<String, String> values = new HashMap<>(Map.of(Settings.DATA_DIR, "/srv/teledrop"));
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return Settings.load(key -> Optional.ofNullable(values.get(key))).logs();
    }

    @Test
    void defaults() {
        LogSettings logs = load();
        assertEquals(Level.INFO, logs.root());
        assertEquals(Map.of(), logs.areas());
        assertEquals(Level.INFO, logs.configured("storage"));
        assertEquals(Path.of("/srv/teledrop/logs/audit.log"), logs.auditFile());
        assertEquals(20L * 1024 * 1024, logs.auditMaxSize());
        assertEquals(10, logs.auditMaxFiles());
    }

    @Test
    void anAreaHasItsOwnLevelOrTheRoots() {
        LogSettings logs = load(LogSettings.LEVEL, "warning", "teledrop.log.level.storage", "FINE", LogSettings.AUDIT_FILE, "/var/log/td/audit.log",
                LogSettings.AUDIT_MAX_SIZE, "5MiB", LogSettings.AUDIT_MAX_FILES, "3");
        assertEquals(Level.WARNING, logs.root());
        assertEquals(Level.FINE, logs.configured("storage"));
        assertEquals(Level.WARNING, logs.configured("web"));
        assertEquals(Path.of("/var/log/td/audit.log"), logs.auditFile());
        assertEquals(5L * 1024 * 1024, logs.auditMaxSize());
        assertEquals(3, logs.auditMaxFiles());
    }

    @ParameterizedTest
    @CsvSource({"teledrop.log.level, DEBUG", "teledrop.log.level.web, verbose", "teledrop.log.level.drop, ''x", "teledrop.audit.max-files, 0",
            "teledrop.audit.max-size, lots"})
    void aBadValueStopsTheStartNamingItsKey(String key, String value) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> load(key, value));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void aBadLevelIsToldTheNames() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> load(LogSettings.LEVEL, "DEBUG"));
        assertTrue(e.getMessage().contains("'DEBUG' is not a log level; use one of OFF, SEVERE, WARNING, INFO, CONFIG, FINE, FINER, FINEST, ALL"),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"io.teledrop.storage.s3.S3BlobStore, storage", "io.teledrop.web.rest.DropsResource, web", "io.teledrop.ops.LogLevels, ops",
            "io.teledrop.audit.AuditLog, audit"})
    void aLoggerBelongsToItsTopLevelPackage(String logger, String area) {
        assertEquals(Optional.of(area), LogSettings.areaOf(logger));
    }

    @ParameterizedTest
    @CsvSource({"io.teledrop", "io.teledropper.X", "io.teledrop.Unknown", "com.example.X"})
    void otherLoggersHaveNoArea(String logger) {
        assertEquals(Optional.empty(), LogSettings.areaOf(logger));
    }

    @Test
    void everyAreaIsAPackageWithItsKeyInTheCatalog() {
        for (String area : LogSettings.AREAS) {
            assertTrue(SettingsCatalog.setting(LogSettings.key(area)).isPresent(), area);
            assertTrue(Package.getPackage("io.teledrop." + area) != null || LogSettingsTest.class.getClassLoader()
                    .getResource("io/teledrop/" + area + "/package-info.class") != null, area);
        }
    }
}

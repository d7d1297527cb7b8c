package io.teledrop.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

/**
 * Log levels and the audit log, read by {@link Settings}.
 * <p>
 * Levels are {@code java.util.logging} names ({@code SEVERE WARNING INFO CONFIG FINE FINER FINEST ALL OFF}, any case):
 * {@value #LEVEL} for all of {@code io.teledrop}, and {@code teledrop.log.level.<area>} for one area, an area being
 * a top-level package ({@link #AREAS}: {@code storage} covers {@code io.teledrop.storage.s3} too). An area without
 * its own level has the root's. An admin can override either at runtime ({@code PUT /api/admin/log-level}).
 *
 * @param root         {@value #LEVEL}
 * @param areas        the areas given their own level, by area
 * @param auditFile    {@value #AUDIT_FILE}: the audit log, one JSON object a line
 * @param auditMaxSize {@value #AUDIT_MAX_SIZE}, bytes: the audit file is rolled over once it would grow past this
 * @param auditMaxFiles {@value #AUDIT_MAX_FILES}: rolled-over audit files kept ({@code audit.log.1} newest), the oldest deleted
 */
public record LogSettings(Level root, Map<String, Level> areas, Path auditFile, long auditMaxSize, int auditMaxFiles) {

    public static final String LEVEL = "teledrop.log.level";
    public static final String LEVEL_PREFIX = LEVEL + ".";
    public static final String AUDIT_FILE = "teledrop.audit.file";
    public static final String AUDIT_MAX_SIZE = "teledrop.audit.max-size";
    public static final String AUDIT_MAX_FILES = "teledrop.audit.max-files";
    /** Read by server.xml only: what Liberty lets through to trace.log (README, "Logs and audit"). */
    public static final String TRACE_SPECIFICATION = "teledrop.log.trace-specification";

    /** The loggers' common parent: every Teledrop logger is named after its class. */
    public static final String ROOT_LOGGER = "io.teledrop";

    /** The top-level packages of {@code io.teledrop}, each with its own level key. */
    public static final List<String> AREAS = List.of("audit", "cluster", "config", "drop", "events", "ops", "security", "storage", "web");

    /** The level names accepted, most severe first. */
    public static final List<Level> LEVELS = List.of(Level.OFF, Level.SEVERE, Level.WARNING, Level.INFO, Level.CONFIG, Level.FINE,
            Level.FINER, Level.FINEST, Level.ALL);

    public LogSettings {
        areas = Map.copyOf(areas);
    }

    /** The level an area has by configuration: its own, else the root's. */
    public Level configured(String area) {
        return areas.getOrDefault(area, root);
    }

    /** The key of an area's level. */
    public static String key(String area) {
        return LEVEL_PREFIX + area;
    }

    /** The area a logger belongs to ({@code io.teledrop.storage.s3.S3BlobStore} → {@code storage}); empty outside the areas. */
    public static Optional<String> areaOf(String loggerName) {
        if (!loggerName.startsWith(ROOT_LOGGER + ".")) {
            return Optional.empty();
        }
        String rest = loggerName.substring(ROOT_LOGGER.length() + 1);
        int dot = rest.indexOf('.');
        String area = dot < 0 ? rest : rest.substring(0, dot);
        return AREAS.contains(area) ? Optional.of(area) : Optional.empty();
    }

    /** A level by its name, any case; empty if it is none of {@link #LEVELS}. */
    public static Optional<Level> parseLevel(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String upper = name.strip().toUpperCase(Locale.ROOT);
        return LEVELS.stream().filter(l -> l.getName().equals(upper)).findFirst();
    }

    /** What a wrong level is told: the names allowed. */
    public static String levelNames() {
        return String.join(", ", LEVELS.stream().map(Level::getName).toList());
    }

    /** Reads the level keys; {@code text} looks a key up, {@code fallback} gives its default. */
    static Map<String, Level> areaLevels(java.util.function.Function<String, Optional<String>> text) {
        Map<String, Level> levels = new LinkedHashMap<>();
        for (String area : AREAS) {
            text.apply(key(area)).ifPresent(v -> levels.put(area, level(key(area), v)));
        }
        return levels;
    }

    static Level level(String key, String value) {
        return parseLevel(value).orElseThrow(() -> new ConfigurationException(key, "'" + value + "' is not a log level; use one of "
                + levelNames()));
    }
}

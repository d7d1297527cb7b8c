package io.teledrop.ops;

import io.teledrop.config.LogSettings;
import io.teledrop.config.Settings;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The levels of Teledrop's loggers: configured ({@code teledrop.log.level}, {@code teledrop.log.level.<area>}), and
 * overridden at runtime by an admin ({@code PUT /api/admin/log-level}). An override is a row of {@code log_levels},
 * so every server sharing the database applies it: each reads the table every {@link #POLL} and sets its loggers.
 * An area's level is, first found: its override, its configured level, the root's override, the root's configured level.
 * <p>
 * Liberty gives each logger the level of its trace specification when the logger is made, and the specification
 * Teledrop ships lets all of {@code io.teledrop} through down to FINE ({@code io.teledrop.*=fine}; finer, Liberty would
 * inject method entry and exit trace into every class); so the level is set here on every
 * {@code io.teledrop} logger by name, not on the parent (Liberty's loggers do not inherit a parent's level). The loggers
 * of all the application's classes are made and set at start-up, before the classes are used, and held, so that
 * the levels stay; the poll sets any made since. Thread-safe.
 */
@ApplicationScoped
public class LogLevels {

    /** How often each server reads the overrides: how long a change takes to reach the other servers. */
    public static final Duration POLL = Duration.ofSeconds(5);
    /** The area of all of {@code io.teledrop}, in the API and the table. */
    public static final String ROOT_AREA = "teledrop";

    private static final Logger LOG = Logger.getLogger(LogLevels.class.getName());
    private static final String UPSERT = "INSERT INTO log_levels (area, level, changed_at, changed_by) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (area) DO UPDATE SET level = excluded.level, changed_at = excluded.changed_at, changed_by = excluded.changed_by";

    /** An admin's level for an area, and who set it when. */
    public record Override(Level level, Instant changedAt, String changedBy) {
    }

    /**
     * One area's levels.
     *
     * @param area       {@value #ROOT_AREA} or a package area
     * @param logger     the logger name (prefix) it covers
     * @param effective  the level in force
     * @param configured the configured level (the root's for an area without its own)
     * @param override   the admin's override, if any
     */
    public record AreaLevel(String area, String logger, Level effective, Level configured, Optional<Override> override) {
    }

    /** What a change did: the level in force before and after, on the area changed. */
    public record Change(String area, Level before, Level after) {
    }

    @Resource(lookup = "jdbc/teledrop")
    DataSource dataSource;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Settings settings;

    /** Every Teledrop logger set here, held so its level stays (JUL keeps loggers only weakly). */
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private volatile Map<String, Override> overrides = Map.of();
    private volatile boolean tableFailing;
    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object context) {
        if (context instanceof ServletContext servlet) {
            List<String> classes = new ArrayList<>();
            classNames(servlet, "/WEB-INF/classes/io/teledrop/", classes);
            classes.forEach(name -> loggers.computeIfAbsent(name, Logger::getLogger));
        }
        apply();
        LOG.info(() -> "Log levels: " + describe(levels()));
        task = scheduler.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Every area's levels, the root first. */
    public List<AreaLevel> levels() {
        Map<String, Override> now = overrides;
        List<AreaLevel> levels = new ArrayList<>();
        LogSettings config = settings.logs();
        levels.add(new AreaLevel(ROOT_AREA, LogSettings.ROOT_LOGGER, effective(ROOT_AREA, now), config.root(), Optional.ofNullable(now.get(ROOT_AREA))));
        for (String area : LogSettings.AREAS) {
            levels.add(new AreaLevel(area, LogSettings.ROOT_LOGGER + "." + area, effective(area, now), config.configured(area),
                    Optional.ofNullable(now.get(area))));
        }
        return levels;
    }

    /** Whether {@code area} is one this class knows: {@value #ROOT_AREA} or one of {@link LogSettings#AREAS}. */
    public static boolean known(String area) {
        return ROOT_AREA.equals(area) || LogSettings.AREAS.contains(area);
    }

    /**
     * Sets an area's level on every server (null: removes the override, the configured level applies again); this
     * server applies it at once, the others within {@link #POLL}.
     *
     * @param area  {@value #ROOT_AREA} or one of {@link LogSettings#AREAS}
     * @param by    who, as the audit log names them (never a secret)
     * @throws IllegalStateException if the table cannot be written
     */
    public Change change(String area, Level level, String by) {
        if (!known(area)) {
            throw new IllegalArgumentException("no such area: " + area);
        }
        Level before = effective(area, overrides);
        try (Connection connection = dataSource.getConnection()) {
            if (level == null) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM log_levels WHERE area = ?")) {
                    delete.setString(1, area);
                    delete.executeUpdate();
                }
            } else {
                try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                    upsert.setString(1, area);
                    upsert.setString(2, level.getName());
                    upsert.setLong(3, Instant.now().toEpochMilli());
                    upsert.setString(4, by.length() > 300 ? by.substring(0, 300) : by);
                    upsert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store the log level of " + area, e);
        }
        refresh();
        return new Change(area, before, effective(area, overrides));
    }

    private void poll() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // Before the schema is migrated, or while the database is away: the levels in force stay.
            if (!tableFailing) {
                tableFailing = true;
                LOG.log(Level.WARNING, "Could not read the log levels set at runtime; the levels in force stay until it can: " + e);
            }
        }
    }

    /** Reads the overrides and applies them. */
    synchronized void refresh() {
        Map<String, Override> read = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT area, level, changed_at, changed_by FROM log_levels");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String area = rows.getString(1);
                Optional<Level> level = LogSettings.parseLevel(rows.getString(2));
                if (known(area) && level.isPresent()) {
                    read.put(area, new Override(level.get(), Instant.ofEpochMilli(rows.getLong(3)), rows.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read log_levels", e);
        }
        tableFailing = false;
        Map<String, Override> before = overrides;
        overrides = Collections.unmodifiableMap(read);
        if (!read.equals(before)) {
            for (String area : union(before.keySet(), read.keySet())) {
                if (!Objects.equals(before.get(area), read.get(area))) {
                    Override now = read.get(area);
                    LOG.info(now != null
                            ? "Log level of " + area + " set to " + now.level().getName() + " by " + now.changedBy()
                            : "Log level of " + area + " back to its configured " + (ROOT_AREA.equals(area) ? settings.logs().root()
                            : settings.logs().configured(area)).getName());
                }
            }
        }
        apply();
    }

    /** Sets every Teledrop logger made so far to its area's level. */
    synchronized void apply() {
        Map<String, Override> now = overrides;
        Enumeration<String> names = LogManager.getLogManager().getLoggerNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            if (name.equals(LogSettings.ROOT_LOGGER) || name.startsWith(LogSettings.ROOT_LOGGER + ".")) {
                loggers.computeIfAbsent(name, Logger::getLogger);
            }
        }
        loggers.forEach((name, logger) -> {
            Level level = effective(LogSettings.areaOf(name).orElse(ROOT_AREA), now);
            if (!level.equals(logger.getLevel())) {
                logger.setLevel(level);
            }
        });
    }

    private Level effective(String area, Map<String, Override> now) {
        return effective(area, now, settings.logs());
    }

    /** An area's level: its override, its configured level, the root's override, the root's configured level. */
    static Level effective(String area, Map<String, Override> now, LogSettings config) {
        if (now.containsKey(area)) {
            return now.get(area).level();
        }
        if (!ROOT_AREA.equals(area) && config.areas().containsKey(area)) {
            return config.areas().get(area);
        }
        return now.containsKey(ROOT_AREA) ? now.get(ROOT_AREA).level() : config.root();
    }

    private static String describe(List<AreaLevel> levels) {
        StringBuilder text = new StringBuilder();
        for (AreaLevel level : levels) {
            text.append(text.length() == 0 ? "" : ", ").append(level.area()).append('=').append(level.effective().getName());
        }
        return text.toString();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** The binary names of the top-level classes under {@code folder} of the WAR, recursively. */
    private static void classNames(ServletContext context, String folder, List<String> names) {
        Set<String> paths = context.getResourcePaths(folder);
        if (paths == null) {
            return;
        }
        for (String path : paths) {
            if (path.endsWith("/")) {
                classNames(context, path, names);
            } else if (path.endsWith(".class") && !path.contains("$") && !path.endsWith("/package-info.class")) {
                names.add(path.substring("/WEB-INF/classes/".length(), path.length() - ".class".length()).replace('/', '.'));
            }
        }
    }
}

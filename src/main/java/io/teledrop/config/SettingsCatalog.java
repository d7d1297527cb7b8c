package io.teledrop.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * Every {@code teledrop.*} key Teledrop knows, with its default and whether it is a secret: the one list behind
 * {@code GET /api/admin/config} and the start-up lines ({@link SettingsLog}), and the defaults {@link Settings} applies.
 * {@code Settings} reads and checks the values; this class describes them, so an operator can see what is in effect
 * and where it came from. A default computed from other keys ({@code derived}) is computed by {@code Settings};
 * here it is only described.
 * <p>
 * {@link #report} looks every known key up, plus every other {@code teledrop.*} name a config source holds (a
 * {@code TELEDROP_*} environment variable too), so a misspelt key shows up as unknown instead of silently doing
 * nothing. A secret's value never leaves this class: a report carries {@link #MASK} in its place. Stateless and
 * thread-safe.
 */
public final class SettingsCatalog {

    /** What a secret's value is shown as, whatever its length: only that it is set. */
    public static final String MASK = "••••••";

    /** How a value is compared with its default, so {@code 10 GiB} equals {@code 10GiB} and {@code 7d} equals {@code P7D}. */
    public enum Kind {
        TEXT, WORD, BOOLEAN, INTEGER, SIZE, DURATION, LIST, PATH
    }

    /**
     * One key.
     *
     * @param key          the MicroProfile Config name
     * @param kind         how values compare
     * @param defaultValue what applies when the key is unset: a value, possibly naming other keys as
     *                     {@code ${teledrop.data.dir}}; null when there is none (the feature is off, or the value is required)
     * @param derived      true when {@code defaultValue} only describes a default computed from other keys, so it
     *                     cannot be compared: any value set counts as a change
     * @param secret       never shown, logged or echoed
     */
    public record Setting(String key, Kind kind, String defaultValue, boolean derived, boolean secret) {
    }

    /** Where an effective value came from, read from MicroProfile Config's {@code ConfigValue}. */
    public enum Source {
        ENVIRONMENT("environment variable"),
        SYSTEM_PROPERTY("system property"),
        SERVER_XML_APP_PROPERTIES("server.xml appProperties"),
        SERVER_XML_VARIABLE("server.xml variable"),
        PROPERTIES_FILE("microprofile-config.properties"),
        /** A server.xml {@code <variable defaultValue=…>}: Teledrop's own server.xml defaults, so not a change. */
        SERVER_XML_DEFAULT("server.xml default"),
        OTHER("other config source"),
        /** Set nowhere: Teledrop's default applies. */
        DEFAULT("default");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        /** How people call it: {@code environment variable}, {@code system property}, … */
        public String label() {
            return label;
        }

        /**
         * Names first (SmallRye's {@code EnvConfigSource}, {@code SysPropConfigSource}, Liberty's "Server XML …
         * Config Source"), then the ordinals MicroProfile Config and Liberty give them by default.
         */
        static Source of(String sourceName, int ordinal) {
            if (sourceName == null) {
                return DEFAULT;
            }
            String name = sourceName.toLowerCase(Locale.ROOT);
            if (name.contains("envconfigsource") || name.startsWith("env")) {
                return ENVIRONMENT;
            } else if (name.contains("syspropconfigsource") || name.startsWith("sysprop") || name.contains("system propert")) {
                return SYSTEM_PROPERTY;
            } else if (name.contains("default variables")) {
                return SERVER_XML_DEFAULT;
            } else if (name.contains("variables config source")) {
                return SERVER_XML_VARIABLE;
            } else if (name.contains("application properties")) {
                return SERVER_XML_APP_PROPERTIES;
            } else if (name.contains("microprofile-config.properties")) {
                return PROPERTIES_FILE;
            }
            return switch (ordinal) {
                case 600 -> SERVER_XML_APP_PROPERTIES;
                case 500 -> SERVER_XML_VARIABLE;
                case 400 -> SYSTEM_PROPERTY;
                case 300 -> ENVIRONMENT;
                case 100 -> PROPERTIES_FILE;
                case 1 -> SERVER_XML_DEFAULT;
                default -> OTHER;
            };
        }
    }

    /** A value as a config source holds it: the MicroProfile Config {@code ConfigValue} without the API. */
    public record Found(String value, String sourceName, int ordinal) {
    }

    /**
     * One line of the report.
     *
     * @param key          the key ({@code teledrop.…}), or for an unknown environment variable its name ({@code TELEDROP_…})
     * @param value        the effective value (the default when unset), {@link #MASK} for a secret that is set, null when none
     * @param defaultValue the default, null when there is none
     * @param changed      whether the value differs from the default (for a secret: whether it is set)
     * @param source       where the value came from
     * @param sourceName   the config source's own name, null when the default applies
     * @param ordinal      the config source's ordinal, null when the default applies
     * @param secret       whether the value is masked
     * @param known        false for a {@code teledrop.*} name Teledrop does not read: a typo, or a key of another version
     */
    public record Report(String key, String value, String defaultValue, boolean changed, Source source, String sourceName,
                         Integer ordinal, boolean secret, boolean known) {

        /** The start-up line: {@code Setting teledrop.x = value (from system property)}. */
        public String logLine() {
            return "Setting " + key + " = " + value + " (from " + (source == Source.OTHER ? sourceName : source.label()) + ")"
                    + (known ? "" : "; Teledrop has no such setting: check its spelling");
        }
    }

    private static final String UNREADABLE = "unreadable";
    private static final String S3_DEFAULT_UPLOAD_MEMORY = "(" + S3Settings.UPLOAD_CONCURRENCY + " + 1) × " + S3Settings.PART_SIZE;

    /** Last words of a key that make it a secret, known or not. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(password|passwd|secret|key|token|credentials?|jaas-config)$");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]+)}");

    private static final Map<String, Setting> SETTINGS = catalog();

    private SettingsCatalog() {
    }

    private static Map<String, Setting> catalog() {
        List<Setting> all = new ArrayList<>(List.of(
                // Read by server.xml (the data source, logging); Settings needs teledrop.data.dir and teledrop.db.file too.
                plain(Settings.DATA_DIR, Kind.PATH, "${server.output.dir}/teledrop-data"),
                plain(Settings.DB_FILE, Kind.PATH, "${" + Settings.DATA_DIR + "}/teledrop.db"),
                plain("teledrop.db.url", Kind.TEXT, "jdbc:sqlite:${" + Settings.DB_FILE + "}"),
                plain("teledrop.db.user", Kind.TEXT, null),
                secret(BackupSettings.DATABASE_PASSWORD),
                plain("teledrop.db.pool-size", Kind.INTEGER, "8"),
                plain("teledrop.log.format", Kind.WORD, "SIMPLE"),
                plain("teledrop.log.max-files", Kind.INTEGER, "30"),
                plain(LogSettings.TRACE_SPECIFICATION, Kind.TEXT, "*=info:io.teledrop.*=fine"),
                plain(LogSettings.LEVEL, Kind.WORD, "INFO"),
                plain(LogSettings.AUDIT_FILE, Kind.PATH, "${server.output.dir}/logs/audit.log"),
                plain(LogSettings.AUDIT_MAX_SIZE, Kind.SIZE, "20MiB"),
                plain(LogSettings.AUDIT_MAX_FILES, Kind.INTEGER, "10"),

                plain(Settings.PUBLIC_URL, Kind.TEXT, null),
                plain(Settings.STORAGE_TYPE, Kind.WORD, "local"),
                plain(Settings.STORAGE_LOCAL_ROOT, Kind.PATH, "${" + Settings.DATA_DIR + "}/blobs"),
                plain(Settings.STORAGE_FSYNC, Kind.BOOLEAN, "true"),
                plain(Settings.STORAGE_RESERVE, Kind.SIZE, "64MiB"),
                plain(Settings.UPLOAD_TEMP_DIR, Kind.PATH, "${" + Settings.DATA_DIR + "}/tmp"),
                plain(Settings.UPLOAD_MAX_FILE_SIZE, Kind.SIZE, "10GiB"),
                plain(Settings.UPLOAD_MAX_FILES_PER_DROP, Kind.INTEGER, "100"),
                plain(Settings.UPLOAD_MAX_DROP_SIZE, Kind.SIZE, "50GiB"),
                plain(Settings.UPLOAD_MULTIPART, Kind.WORD, "streaming"),
                plain(Settings.UPLOAD_ALLOWED_TYPES, Kind.LIST, null),
                plain(Settings.UPLOAD_BLOCKED_TYPES, Kind.LIST, null),
                plain(Settings.RESUMABLE_LIFETIME, Kind.DURATION, "P1D"),
                plain(Settings.RESUMABLE_MAX_PER_CLIENT, Kind.INTEGER, "100"),
                plain(Settings.RESUMABLE_MAX_TOTAL, Kind.INTEGER, "10000"),
                plain(Settings.SLUG_LENGTH, Kind.INTEGER, "8"),
                // Ends in "key" but is a switch, not a secret.
                plain(Settings.AUTH_REQUIRE_API_KEY, Kind.BOOLEAN, "true"),
                secret(Settings.AUTH_BOOTSTRAP_KEY),
                plain(Settings.AUTH_ANONYMOUS_UPLOAD, Kind.BOOLEAN, "true"),
                secret(Settings.AUTH_TOKEN_SECRET),
                plain(Settings.DROP_DEFAULT_EXPIRY, Kind.DURATION, "P7D"),
                plain(Settings.DROP_MAX_EXPIRY, Kind.DURATION, "P30D"),
                plain(Settings.MAINTENANCE_SWEEP_INTERVAL, Kind.DURATION, "PT1M"),
                plain(Settings.MAINTENANCE_ORPHAN_GRACE, Kind.DURATION, "PT1H"),
                plain(Settings.MAINTENANCE_RECONCILE_INTERVAL, Kind.DURATION, "PT6H"),
                plain(Settings.HTTP_ALLOWED_HOSTS, Kind.LIST, null),
                plain(Settings.HTTP_CORS_ORIGINS, Kind.LIST, null),
                plain(Settings.HEALTH_MIN_FREE_SPACE, Kind.SIZE, "1GiB"),
                plain(Settings.EVENTS_HEARTBEAT, Kind.DURATION, "PT30S"),
                plain(Settings.DOWNLOAD_RESUME_WINDOW, Kind.DURATION, "PT24H"),
                // Scheduled backups: a daily time in UTC, an ISO-8601 interval, or off (config.BackupSchedule).
                plain(BackupSettings.SCHEDULE, Kind.WORD, "03:00"),
                plain(BackupSettings.KEEP, Kind.INTEGER, "7"),
                plain(BackupSettings.PG_DUMP, Kind.TEXT, "pg_dump"),

                plain(S3Settings.ENDPOINT, Kind.TEXT, null),
                plain(S3Settings.REGION, Kind.TEXT, "us-east-1"),
                plain(S3Settings.BUCKET, Kind.TEXT, null),
                plain(S3Settings.PREFIX, Kind.TEXT, null),
                // The access key id is no secret by itself, but it names an account: masked with its secret key.
                secret(S3Settings.ACCESS_KEY),
                secret(S3Settings.SECRET_KEY),
                plain(S3Settings.PATH_STYLE_ACCESS, Kind.BOOLEAN, "false"),
                plain(S3Settings.PART_SIZE, Kind.SIZE, "16MiB"),
                plain(S3Settings.PRESIGN_DOWNLOADS, Kind.BOOLEAN, "false"),
                plain(S3Settings.PRESIGN_EXPIRY, Kind.DURATION, "PT10M"),
                plain(S3Settings.CONNECT_TIMEOUT, Kind.DURATION, "PT10S"),
                plain(S3Settings.SOCKET_TIMEOUT, Kind.DURATION, "PT60S"),
                plain(S3Settings.MAX_CONNECTIONS, Kind.INTEGER, "50"),
                plain(S3Settings.MAX_ATTEMPTS, Kind.INTEGER, "4"),
                // Parts of one upload in flight at once (docs/benchmarks.md, bench/s3.sh).
                plain(S3Settings.UPLOAD_CONCURRENCY, Kind.INTEGER, "4"),
                new Setting(S3Settings.UPLOAD_MEMORY, Kind.SIZE, S3_DEFAULT_UPLOAD_MEMORY, true, false),

                plain(OidcSettings.ISSUER, Kind.TEXT, null),
                plain(OidcSettings.CLIENT_ID, Kind.TEXT, null),
                secret(OidcSettings.CLIENT_SECRET),
                plain(OidcSettings.SCOPES, Kind.TEXT, "openid profile email"),
                plain(OidcSettings.GROUPS_CLAIM, Kind.TEXT, "groups"),
                plain(OidcSettings.ADMIN_GROUP, Kind.TEXT, null),
                plain(OidcSettings.UPLOADER_GROUP, Kind.TEXT, null),
                plain(OidcSettings.NAME_CLAIM, Kind.TEXT, "name"),
                new Setting(OidcSettings.AUDIENCE, Kind.TEXT, "${" + OidcSettings.CLIENT_ID + "}", false, false),
                plain(OidcSettings.PERMISSIONS_CLAIM, Kind.TEXT, "roles"),

                plain(KafkaSettings.BOOTSTRAP_SERVERS, Kind.TEXT, null),
                plain(KafkaSettings.TOPIC, Kind.TEXT, "teledrop.drop-events"),
                new Setting(KafkaSettings.SOURCE, Kind.TEXT, Settings.PUBLIC_URL + ", else urn:teledrop", true, false),
                plain(KafkaSettings.RELAY_INTERVAL, Kind.DURATION, "PT1S")));
        // An area without a level of its own has teledrop.log.level's (derived: a level set equal to it still counts,
        // as it stays when an admin changes the root's level at runtime).
        LogSettings.AREAS.forEach(area -> all.add(new Setting(LogSettings.key(area), Kind.WORD, LogSettings.LEVEL, true, false)));
        // Passed to the Kafka client as they are; Kafka's own defaults apply. Passwords and the JAAS configuration are secrets.
        KafkaSettings.PASSED_THROUGH.keySet().stream().sorted().forEach(key -> all.add(
                new Setting(key, Kind.TEXT, null, false, SECRET_NAME.matcher(key).matches())));
        Map<String, Setting> byKey = new LinkedHashMap<>();
        all.stream().sorted(Comparator.comparing(Setting::key)).forEach(s -> {
            if (byKey.put(s.key(), s) != null) {
                throw new IllegalStateException("twice in the catalog: " + s.key());
            }
        });
        return Collections.unmodifiableMap(byKey);
    }

    private static Setting plain(String key, Kind kind, String defaultValue) {
        return new Setting(key, kind, defaultValue, false, false);
    }

    private static Setting secret(String key) {
        return new Setting(key, Kind.TEXT, null, false, true);
    }

    /** Every known setting, by key. */
    public static List<Setting> settings() {
        return List.copyOf(SETTINGS.values());
    }

    public static Optional<Setting> setting(String key) {
        return Optional.ofNullable(SETTINGS.get(key));
    }

    /**
     * Whether a key's value must be masked: a known secret, or an unknown key whose last word says it is one
     * ({@code …password}, {@code …secret}, {@code …key}, {@code …token}, {@code …credential}).
     */
    public static boolean isSecret(String key) {
        Setting known = SETTINGS.get(key);
        return known != null ? known.secret() : SECRET_NAME.matcher(key.toLowerCase(Locale.ROOT).replace('_', '-')).matches();
    }

    /** What may be shown of a value: {@link #MASK} for any secret that is set; null stays null. */
    public static String shown(String key, String value) {
        return value != null && isSecret(key) ? MASK : value;
    }

    /** The report for a running server: every key through {@code config.getConfigValue}. */
    public static List<Report> report(Config config) {
        return report(key -> {
            ConfigValue value;
            try {
                value = config.getConfigValue(key);
            } catch (RuntimeException e) {
                // A value MicroProfile Config cannot expand (a ${…} naming nothing): shown as such, not a failed report.
                return Optional.of(new Found("(unreadable: " + e.getMessage() + ")", UNREADABLE, 0));
            }
            return value == null || value.getValue() == null ? Optional.empty()
                    : Optional.of(new Found(value.getValue(), value.getSourceName(), value.getSourceOrdinal()));
        }, config.getPropertyNames());
    }

    /**
     * Every known key, then every unknown {@code teledrop.*} (or {@code TELEDROP_*}) name among {@code names}, by key.
     *
     * @param lookup the effective value of a key and its source; empty when no source sets it
     * @param names  the names the config sources hold (environment variables as they are spelt there)
     */
    public static List<Report> report(Function<String, Optional<Found>> lookup, Iterable<String> names) {
        Set<String> environmentNames = SETTINGS.keySet().stream().map(ConfigurationException::environmentName).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>();
        for (String name : names) {
            boolean property = name.startsWith("teledrop.") && !SETTINGS.containsKey(name);
            boolean variable = name.toUpperCase(Locale.ROOT).startsWith("TELEDROP_") && name.equals(name.toUpperCase(Locale.ROOT))
                    && !environmentNames.contains(name);
            if (property || variable) {
                unknown.add(name);
            }
        }
        List<Report> reports = new ArrayList<>();
        for (Setting setting : SETTINGS.values()) {
            reports.add(known(setting, lookup));
        }
        for (String name : unknown) {
            Optional<Found> found = lookup.apply(name).filter(f -> !f.value().isBlank());
            if (found.isPresent()) {
                Found f = found.get();
                reports.add(new Report(name, shown(name, f.value().strip()), null, true, Source.of(f.sourceName(), f.ordinal()),
                        f.sourceName(), f.ordinal(), isSecret(name), false));
            }
        }
        return reports;
    }

    private static Report known(Setting setting, Function<String, Optional<Found>> lookup) {
        // Settings treats a blank value as unset; so does the report.
        Optional<Found> found = lookup.apply(setting.key()).filter(f -> !f.value().isBlank());
        String defaultValue = setting.secret() ? null : setting.defaultValue();
        if (found.isEmpty()) {
            return new Report(setting.key(), shownDefault(setting, lookup), defaultValue, false, Source.DEFAULT, null, null,
                    setting.secret(), true);
        }
        Found f = found.get();
        Source source = Source.of(f.sourceName(), f.ordinal());
        String value = f.value().strip();
        boolean changed = source != Source.SERVER_XML_DEFAULT && differs(setting, value, lookup);
        return new Report(setting.key(), setting.secret() ? MASK : value, defaultValue, changed, source, f.sourceName(), f.ordinal(),
                setting.secret(), true);
    }

    /** The value in effect when the key is unset: the default with the keys it names filled in where they can be. */
    private static String shownDefault(Setting setting, Function<String, Optional<Found>> lookup) {
        if (setting.secret() || setting.defaultValue() == null || setting.derived()) {
            return setting.secret() ? null : setting.defaultValue();
        }
        return resolved(setting.defaultValue(), lookup).orElse(setting.defaultValue());
    }

    /**
     * Whether {@code value} differs from the setting's default, compared as the setting's kind ({@code 10 GiB} is
     * {@code 10GiB}, {@code 7d} is {@code P7D}, {@code TRUE} is {@code true}). A setting without a comparable default
     * (none, or one derived from others) differs as soon as it is set; so does a value that does not parse.
     */
    static boolean differs(Setting setting, String value, Function<String, Optional<Found>> lookup) {
        if (setting.defaultValue() == null || setting.derived()) {
            return true;
        }
        Optional<String> defaultValue = resolved(setting.defaultValue(), lookup);
        if (defaultValue.isEmpty()) {
            return true;
        }
        try {
            return !normal(setting.kind(), value).equals(normal(setting.kind(), defaultValue.get()));
        } catch (IllegalArgumentException e) {
            // Not a value of its kind (also an unusable path): Settings refuses it at start-up; here it is not the default.
            return !value.equals(defaultValue.get());
        }
    }

    /** {@code ${key}} references replaced by those keys' values (or their own defaults); empty if one cannot be. */
    private static Optional<String> resolved(String text, Function<String, Optional<Found>> lookup) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            Optional<String> value = lookup.apply(key).map(Found::value).map(String::strip).filter(v -> !v.isEmpty());
            if (value.isEmpty()) {
                Setting other = SETTINGS.get(key);
                if (other == null || other.defaultValue() == null || other.derived() || other.defaultValue().contains("${" + key + "}")) {
                    return Optional.empty();
                }
                value = resolved(other.defaultValue(), lookup);
                if (value.isEmpty()) {
                    return Optional.empty();
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.get()));
        }
        m.appendTail(out);
        return Optional.of(out.toString());
    }

    private static Object normal(Kind kind, String value) {
        String v = value.strip();
        return switch (kind) {
            case TEXT -> v;
            case WORD, BOOLEAN -> v.toLowerCase(Locale.ROOT);
            case INTEGER -> Long.parseLong(v);
            case SIZE -> DataSize.parse(v);
            case DURATION -> v.equalsIgnoreCase("none") ? "none" : Lifetimes.durationFrom(v);
            case LIST -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .map(s -> s.toLowerCase(Locale.ROOT)).toList();
            case PATH -> Path.of(v).toAbsolutePath().normalize();
        };
    }
}

package io.teledrop.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Teledrop's configuration, read and checked once at start-up. This is the only place that reads the
 * {@code teledrop.*} keys; everything else receives typed values from here. The defaults it applies are
 * {@link SettingsCatalog}'s, the list behind the start-up lines and {@code GET /api/admin/config}.
 *
 * @param dataDir          {@value #DATA_DIR}: the folder for the database file, blobs and temporary files
 * @param databaseFile     {@value #DB_FILE}: the SQLite file (read by server.xml's data source; here so its
 *                         folder can be created before the first connection)
 * @param publicUrl        {@value #PUBLIC_URL}: the address users reach Teledrop at, for links in answers;
 *                         empty means "from each request's Host"
 * @param storageType      {@value #STORAGE_TYPE}
 * @param localRoot        {@value #STORAGE_LOCAL_ROOT}: where local blobs live
 * @param fsync            {@value #STORAGE_FSYNC}: whether uploads reach stable storage before they are acknowledged
 * @param storageReserve   {@value #STORAGE_RESERVE}, bytes: free space local uploads leave on the blob store's file
 *                         system (for the database and logs); an upload that would eat into it gets 507
 * @param uploadTempDir    {@value #UPLOAD_TEMP_DIR}: temporary files: where the S3 store spools a part of a file before sending it
 * @param maxFileSize      {@value #UPLOAD_MAX_FILE_SIZE}, bytes
 * @param maxFilesPerDrop  {@value #UPLOAD_MAX_FILES_PER_DROP}
 * @param slugLength       {@value #SLUG_LENGTH}: length of generated slugs
 * @param requireApiKey    {@value #AUTH_REQUIRE_API_KEY}: whether sensitive operations (listing, changing or
 *                         deleting a drop without its delete token) need an API key
 * @param bootstrapKey     {@value #AUTH_BOOTSTRAP_KEY}: an admin API key given by the operator, at least
 *                         {@value #MIN_BOOTSTRAP_KEY_LENGTH} characters; empty when not set
 * @param anonymousUpload  {@value #AUTH_ANONYMOUS_UPLOAD}: whether uploads without an API key are accepted
 * @param defaultExpiry    {@value #DROP_DEFAULT_EXPIRY}: lifetime of a drop whose uploader named none; empty = forever
 * @param maxExpiry        {@value #DROP_MAX_EXPIRY}: the longest lifetime a drop may have; empty = no limit
 * @param sweepInterval    {@value #MAINTENANCE_SWEEP_INTERVAL}: how often expired and used-up drops are removed
 * @param allowedHosts     {@value #HTTP_ALLOWED_HOSTS}: the Host names requests may carry; empty = any
 * @param corsOrigins      {@value #HTTP_CORS_ORIGINS}: origins whose pages may call the API ({@code *} = any); empty = none
 * @param tokenSecret      {@value #AUTH_TOKEN_SECRET}: signs unlock tokens; empty = one made on the first start and kept in the data folder (security.TokenSecretFile)
 * @param maxDropSize      {@value #UPLOAD_MAX_DROP_SIZE}, bytes: all files of one drop together
 * @param allowedTypes     {@value #UPLOAD_ALLOWED_TYPES}: content types (as detected from the bytes) accepted; empty = all
 * @param blockedTypes     {@value #UPLOAD_BLOCKED_TYPES}: content types refused
 * @param minFreeSpace     {@value #HEALTH_MIN_FREE_SPACE}, bytes: below this the server reports itself not ready
 * @param orphanGrace      {@value #MAINTENANCE_ORPHAN_GRACE}: how old an unrecorded blob or temp file must be before it is removed
 * @param reconcileInterval {@value #MAINTENANCE_RECONCILE_INTERVAL}: how often storage is reconciled with the database
 * @param eventsHeartbeat  {@value #EVENTS_HEARTBEAT}: how often an idle event stream gets a comment, so proxies keep it open
 * @param downloadResumeWindow {@value #DOWNLOAD_RESUME_WINDOW}: how long a counted download of a limited drop may be
 *                         resumed (ranges from the same client) without counting again
 * @param multipartParser  {@value #UPLOAD_MULTIPART}: who parses multipart uploads: {@code streaming} (Teledrop's own
 *                         reader, nothing spooled) or {@code container} (the servlet container's, which spools each part first)
 * @param s3               the S3 backend's settings ({@code teledrop.storage.s3.*}), present when the storage type is s3
 * @param resumable        resumable uploads ({@code teledrop.upload.resumable.*})
 * @param oidc             sign-in with an OpenID Connect provider ({@code teledrop.auth.oidc.*}), present when its issuer is set
 * @param kafka            drop events to Kafka ({@code teledrop.events.kafka.*}), present when its bootstrap servers are set
 * @param backup           scheduled backups ({@code teledrop.backup.*})
 * @param logs             log levels ({@code teledrop.log.level*}) and the audit log ({@code teledrop.audit.*})
 */
public record Settings(
        Path dataDir,
        Path databaseFile,
        Optional<URI> publicUrl,
        StorageType storageType,
        Path localRoot,
        boolean fsync,
        long storageReserve,
        Path uploadTempDir,
        long maxFileSize,
        int maxFilesPerDrop,
        int slugLength,
        boolean requireApiKey,
        Optional<String> bootstrapKey,
        boolean anonymousUpload,
        Optional<Duration> defaultExpiry,
        Optional<Duration> maxExpiry,
        Duration sweepInterval,
        List<String> allowedHosts,
        List<String> corsOrigins,
        Optional<String> tokenSecret,
        long maxDropSize,
        List<String> allowedTypes,
        List<String> blockedTypes,
        long minFreeSpace,
        Duration orphanGrace,
        Duration reconcileInterval,
        Duration eventsHeartbeat,
        Duration downloadResumeWindow,
        MultipartParser multipartParser,
        Optional<S3Settings> s3,
        Resumable resumable,
        Optional<OidcSettings> oidc,
        Optional<KafkaSettings> kafka,
        BackupSettings backup,
        LogSettings logs) {

    /**
     * Resumable uploads (tus, IETF Resumable Uploads for HTTP).
     *
     * @param lifetime     {@value #RESUMABLE_LIFETIME}: how long an incomplete upload lives after its last
     *                     append (or its creation) before the sweep removes it with its bytes
     * @param maxPerClient {@value #RESUMABLE_MAX_PER_CLIENT}: incomplete uploads one client address may hold
     * @param maxTotal     {@value #RESUMABLE_MAX_TOTAL}: incomplete uploads all clients together may hold
     */
    public record Resumable(Duration lifetime, int maxPerClient, int maxTotal) {
    }

    public static final String RESUMABLE_LIFETIME = "teledrop.upload.resumable.lifetime";
    public static final String RESUMABLE_MAX_PER_CLIENT = "teledrop.upload.resumable.max-per-client";
    public static final String RESUMABLE_MAX_TOTAL = "teledrop.upload.resumable.max-total";

    public static final String DATA_DIR = "teledrop.data.dir";
    public static final String DB_FILE = "teledrop.db.file";
    public static final String PUBLIC_URL = "teledrop.public-url";
    public static final String STORAGE_TYPE = "teledrop.storage.type";
    public static final String STORAGE_LOCAL_ROOT = "teledrop.storage.local.root";
    public static final String STORAGE_FSYNC = "teledrop.storage.fsync";
    public static final String STORAGE_RESERVE = "teledrop.storage.reserve";
    public static final String UPLOAD_TEMP_DIR = "teledrop.upload.temp-dir";
    public static final String UPLOAD_MAX_FILE_SIZE = "teledrop.upload.max-file-size";
    public static final String UPLOAD_MAX_FILES_PER_DROP = "teledrop.upload.max-files-per-drop";
    public static final String SLUG_LENGTH = "teledrop.slug.length";
    public static final String AUTH_REQUIRE_API_KEY = "teledrop.auth.require-api-key";
    public static final String AUTH_BOOTSTRAP_KEY = "teledrop.auth.bootstrap-key";
    public static final int MIN_BOOTSTRAP_KEY_LENGTH = 32;
    public static final String AUTH_ANONYMOUS_UPLOAD = "teledrop.auth.anonymous-upload";
    public static final String DROP_DEFAULT_EXPIRY = "teledrop.drop.default-expiry";
    public static final String DROP_MAX_EXPIRY = "teledrop.drop.max-expiry";
    public static final String MAINTENANCE_SWEEP_INTERVAL = "teledrop.maintenance.sweep-interval";
    public static final String HTTP_ALLOWED_HOSTS = "teledrop.http.allowed-hosts";
    public static final String HTTP_CORS_ORIGINS = "teledrop.http.cors-origins";
    public static final String AUTH_TOKEN_SECRET = "teledrop.auth.token-secret";
    public static final String UPLOAD_MAX_DROP_SIZE = "teledrop.upload.max-drop-size";
    public static final String UPLOAD_ALLOWED_TYPES = "teledrop.upload.allowed-types";
    public static final String UPLOAD_BLOCKED_TYPES = "teledrop.upload.blocked-types";
    public static final String HEALTH_MIN_FREE_SPACE = "teledrop.health.min-free-space";
    public static final String MAINTENANCE_ORPHAN_GRACE = "teledrop.maintenance.orphan-grace";
    public static final String MAINTENANCE_RECONCILE_INTERVAL = "teledrop.maintenance.reconcile-interval";
    public static final String EVENTS_HEARTBEAT = "teledrop.events.heartbeat";
    public static final String DOWNLOAD_RESUME_WINDOW = "teledrop.download.resume-window";
    public static final String UPLOAD_MULTIPART = "teledrop.upload.multipart";
    private static final String TYPE_PATTERN = "[a-z0-9.+-]+/([a-z0-9.+-]+|\\*)";

    public static final int MIN_SLUG_LENGTH = 4;
    public static final int MAX_SLUG_LENGTH = 64;

    /** Whether a detected content type may be uploaded: not blocked, and allowed when an allow-list is set. */
    public boolean typeAccepted(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return blockedTypes.stream().noneMatch(p -> typeMatches(p, type))
                && (allowedTypes.isEmpty() || allowedTypes.stream().anyMatch(p -> typeMatches(p, type)));
    }

    private static boolean typeMatches(String pattern, String type) {
        return pattern.endsWith("/*") ? type.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(type);
    }

    /** Like the record's own, but never shows the bootstrap key. */
    @Override
    public String toString() {
        return "Settings[dataDir=" + dataDir + ", storageType=" + storageType + ", maxFileSize=" + maxFileSize
                + ", maxFilesPerDrop=" + maxFilesPerDrop + ", requireApiKey=" + requireApiKey
                + ", bootstrapKey=" + (bootstrapKey.isPresent() ? "(set)" : "(none)") + "]";
    }

    /**
     * Reads and checks every key.
     *
     * @param source looks a key up; empty when the key is not set
     * @throws ConfigurationException naming the first key that is missing or invalid
     */
    public static Settings load(Function<String, Optional<String>> source) {
        Reader reader = new Reader(source);
        Path dataDir = reader.path(DATA_DIR, null);
        StorageType storageType = reader.storageType();
        return new Settings(
                dataDir,
                reader.path(DB_FILE, dataDir.resolve("teledrop.db")),
                reader.publicUrl(),
                storageType,
                reader.path(STORAGE_LOCAL_ROOT, dataDir.resolve("blobs")),
                reader.bool(STORAGE_FSYNC),
                reader.size(STORAGE_RESERVE, reader.fallback(STORAGE_RESERVE)),
                reader.path(UPLOAD_TEMP_DIR, dataDir.resolve("tmp")),
                reader.size(UPLOAD_MAX_FILE_SIZE, reader.fallback(UPLOAD_MAX_FILE_SIZE)),
                reader.integer(UPLOAD_MAX_FILES_PER_DROP, 1, 10_000),
                reader.integer(SLUG_LENGTH, MIN_SLUG_LENGTH, MAX_SLUG_LENGTH),
                reader.bool(AUTH_REQUIRE_API_KEY),
                reader.secret(AUTH_BOOTSTRAP_KEY, MIN_BOOTSTRAP_KEY_LENGTH),
                reader.bool(AUTH_ANONYMOUS_UPLOAD),
                reader.optionalDuration(DROP_DEFAULT_EXPIRY, reader.fallback(DROP_DEFAULT_EXPIRY)),
                reader.optionalDuration(DROP_MAX_EXPIRY, reader.fallback(DROP_MAX_EXPIRY)),
                reader.requiredDuration(MAINTENANCE_SWEEP_INTERVAL, reader.fallback(MAINTENANCE_SWEEP_INTERVAL)),
                reader.list(HTTP_ALLOWED_HOSTS, "[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]", "host names like files.example.com"),
                reader.list(HTTP_CORS_ORIGINS, "\\*|https?://[A-Za-z0-9.-]+(:\\d{1,5})?", "origins like https://app.example.com, or *"),
                reader.secret(AUTH_TOKEN_SECRET, MIN_BOOTSTRAP_KEY_LENGTH),
                reader.size(UPLOAD_MAX_DROP_SIZE, reader.fallback(UPLOAD_MAX_DROP_SIZE)),
                reader.list(UPLOAD_ALLOWED_TYPES, TYPE_PATTERN, "types like image/png or image/*"),
                reader.list(UPLOAD_BLOCKED_TYPES, TYPE_PATTERN, "types like application/x-msdownload or text/*"),
                reader.size(HEALTH_MIN_FREE_SPACE, reader.fallback(HEALTH_MIN_FREE_SPACE)),
                reader.requiredDuration(MAINTENANCE_ORPHAN_GRACE, reader.fallback(MAINTENANCE_ORPHAN_GRACE)),
                reader.requiredDuration(MAINTENANCE_RECONCILE_INTERVAL, reader.fallback(MAINTENANCE_RECONCILE_INTERVAL)),
                reader.requiredDuration(EVENTS_HEARTBEAT, reader.fallback(EVENTS_HEARTBEAT)),
                reader.requiredDuration(DOWNLOAD_RESUME_WINDOW, reader.fallback(DOWNLOAD_RESUME_WINDOW)),
                reader.multipartParser(),
                storageType == StorageType.S3 ? Optional.of(reader.s3()) : Optional.empty(),
                new Resumable(reader.requiredDuration(RESUMABLE_LIFETIME, reader.fallback(RESUMABLE_LIFETIME)),
                        reader.integer(RESUMABLE_MAX_PER_CLIENT, 1, 1_000_000),
                        reader.integer(RESUMABLE_MAX_TOTAL, 1, 100_000_000)),
                reader.text(OidcSettings.ISSUER).isPresent() ? Optional.of(reader.oidc()) : Optional.empty(),
                reader.text(KafkaSettings.BOOTSTRAP_SERVERS).isPresent() ? Optional.of(reader.kafka()) : Optional.empty(),
                reader.backup(),
                reader.logs(dataDir))
                .validated();
    }

    /** Settings must not contradict each other; called once they are all read. */
    private Settings validated() {
        if (s3.isPresent()) {
            long partSize = s3.get().partSize();
            long parts = maxFileSize / partSize + (maxFileSize % partSize == 0 ? 0 : 1);
            if (parts > S3Settings.MAX_PARTS) {
                // Fail now, not after the 10,000th part of someone's upload.
                throw new ConfigurationException(UPLOAD_MAX_FILE_SIZE, "(" + DataSize.format(maxFileSize) + ") needs " + parts + " parts of "
                        + S3Settings.PART_SIZE + " (" + DataSize.format(partSize) + "), more than S3's " + S3Settings.MAX_PARTS
                        + " parts per upload; raise " + S3Settings.PART_SIZE + " to at least "
                        + DataSize.format(minimumPartSize(maxFileSize)) + " or lower " + UPLOAD_MAX_FILE_SIZE);
            }
        }
        if (defaultExpiry.isPresent() && maxExpiry.isPresent() && defaultExpiry.get().compareTo(maxExpiry.get()) > 0) {
            throw new ConfigurationException(DROP_DEFAULT_EXPIRY, "(" + defaultExpiry.get() + ") must not exceed "
                    + DROP_MAX_EXPIRY + " (" + maxExpiry.get() + ")");
        }
        return this;
    }

    /** The smallest whole-MiB part size that carries {@code maxFileSize} in S3's 10,000 parts. */
    static long minimumPartSize(long maxFileSize) {
        long mib = 1024L * 1024;
        long perPart = maxFileSize / S3Settings.MAX_PARTS + (maxFileSize % S3Settings.MAX_PARTS == 0 ? 0 : 1);
        return Math.max(S3Settings.MIN_PART_SIZE, (perPart + mib - 1) / mib * mib);
    }

    /** Reads typed values, turning every failure into a {@link ConfigurationException} that names its key. */
    private record Reader(Function<String, Optional<String>> source) {

        S3Settings s3() {
            Optional<URI> endpoint = text(S3Settings.ENDPOINT).map(value -> {
                try {
                    URI uri = new URI(value);
                    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                        throw new ConfigurationException(S3Settings.ENDPOINT, "must be an http or https URL, not '" + value + "'");
                    }
                    return uri;
                } catch (URISyntaxException e) {
                    throw new ConfigurationException(S3Settings.ENDPOINT, "not a URL: " + e.getMessage());
                }
            });
            String bucket = text(S3Settings.BUCKET).orElseThrow(() -> new ConfigurationException(S3Settings.BUCKET, "is required when "
                    + STORAGE_TYPE + " is s3"));
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new ConfigurationException(S3Settings.BUCKET, "'" + bucket + "' is not a bucket name (3-63 of a-z, 0-9, '.', '-')");
            }
            String prefix = text(S3Settings.PREFIX).orElse("");
            if (!prefix.isEmpty()) {
                prefix = prefix.endsWith("/") ? prefix : prefix + "/";
                if (!prefix.matches("([A-Za-z0-9][A-Za-z0-9._-]*/)+")) {
                    throw new ConfigurationException(S3Settings.PREFIX, "'" + prefix + "' must be folder names of letters, digits, '.', '_', '-' separated by '/'");
                }
            }
            Optional<String> accessKey = text(S3Settings.ACCESS_KEY);
            Optional<String> secretKey = text(S3Settings.SECRET_KEY);
            if (accessKey.isPresent() != secretKey.isPresent()) {
                throw new ConfigurationException(accessKey.isPresent() ? S3Settings.SECRET_KEY : S3Settings.ACCESS_KEY,
                        "must be set together with " + (accessKey.isPresent() ? S3Settings.ACCESS_KEY : S3Settings.SECRET_KEY));
            }
            long partSize = size(S3Settings.PART_SIZE, fallback(S3Settings.PART_SIZE));
            if (partSize < S3Settings.MIN_PART_SIZE || partSize > S3Settings.MAX_PART_SIZE) {
                throw new ConfigurationException(S3Settings.PART_SIZE, "must be between 5MiB and 5GiB (S3's limits for parts), not " + DataSize.format(partSize));
            }
            Duration presignExpiry = requiredDuration(S3Settings.PRESIGN_EXPIRY, fallback(S3Settings.PRESIGN_EXPIRY));
            int uploadConcurrency = integer(S3Settings.UPLOAD_CONCURRENCY, 1, 64);
            if (presignExpiry.compareTo(S3Settings.MAX_PRESIGN_EXPIRY) > 0) {
                throw new ConfigurationException(S3Settings.PRESIGN_EXPIRY, "must be at most 7 days (the limit of a presigned URL)");
            }
            return new S3Settings(endpoint, text(S3Settings.REGION).orElse(fallback(S3Settings.REGION)), bucket, prefix, accessKey, secretKey,
                    bool(S3Settings.PATH_STYLE_ACCESS), partSize, bool(S3Settings.PRESIGN_DOWNLOADS), presignExpiry,
                    requiredDuration(S3Settings.CONNECT_TIMEOUT, fallback(S3Settings.CONNECT_TIMEOUT)),
                    requiredDuration(S3Settings.SOCKET_TIMEOUT, fallback(S3Settings.SOCKET_TIMEOUT)),
                    integer(S3Settings.MAX_CONNECTIONS, 1, 1000), integer(S3Settings.MAX_ATTEMPTS, 1, 10),
                    uploadConcurrency, text(S3Settings.UPLOAD_MEMORY).isPresent() ? size(S3Settings.UPLOAD_MEMORY, null)
                            // By default no more than a quarter of the heap: a part size raised for S3's 10,000
                            // parts must not make the buffers outgrow it (the rest of the parts are spooled).
                            : Math.min(Math.multiplyExact(uploadConcurrency + 1L, partSize), Runtime.getRuntime().maxMemory() / 4));
        }

        BackupSettings backup() {
            String value = text(BackupSettings.SCHEDULE).orElse(fallback(BackupSettings.SCHEDULE));
            BackupSchedule schedule;
            try {
                schedule = BackupSchedule.parse(value);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(BackupSettings.SCHEDULE, e.getMessage());
            }
            return new BackupSettings(schedule, integer(BackupSettings.KEEP, 1, 10_000),
                    text(BackupSettings.PG_DUMP).orElse(fallback(BackupSettings.PG_DUMP)), text(BackupSettings.DATABASE_PASSWORD));
        }

        LogSettings logs(Path dataDir) {
            return new LogSettings(LogSettings.level(LogSettings.LEVEL, text(LogSettings.LEVEL).orElse(fallback(LogSettings.LEVEL))),
                    LogSettings.areaLevels(this::text),
                    // server.xml gives the default, beside messages.log; this one is for a Settings read without it (tests).
                    path(LogSettings.AUDIT_FILE, dataDir.resolve("logs").resolve("audit.log")),
                    size(LogSettings.AUDIT_MAX_SIZE, fallback(LogSettings.AUDIT_MAX_SIZE)),
                    integer(LogSettings.AUDIT_MAX_FILES, 1, 1000));
        }

        KafkaSettings kafka() {
            String servers = text(KafkaSettings.BOOTSTRAP_SERVERS).orElseThrow();
            for (String server : servers.split(",")) {
                if (!server.strip().matches("[A-Za-z0-9.-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+\\]:\\d{1,5}")) {
                    throw new ConfigurationException(KafkaSettings.BOOTSTRAP_SERVERS, "'" + server.strip() + "' is not host:port");
                }
            }
            String topic = text(KafkaSettings.TOPIC).orElse(fallback(KafkaSettings.TOPIC));
            if (!topic.matches("[A-Za-z0-9._-]{1,249}") || topic.equals(".") || topic.equals("..")) {
                throw new ConfigurationException(KafkaSettings.TOPIC, "'" + topic + "' is not a Kafka topic name (1-249 of A-Z a-z 0-9 . _ -)");
            }
            Duration interval = requiredDuration(KafkaSettings.RELAY_INTERVAL, fallback(KafkaSettings.RELAY_INTERVAL));
            java.util.Map<String, String> client = new java.util.HashMap<>();
            KafkaSettings.PASSED_THROUGH.forEach((key, kafkaKey) -> text(key).ifPresent(value -> client.put(kafkaKey, value)));
            String source = text(KafkaSettings.SOURCE).orElse(text(PUBLIC_URL).orElse("urn:teledrop"));
            return new KafkaSettings(servers.replace(" ", ""), topic, source, interval, client);
        }

        OidcSettings oidc() {
            String value = text(OidcSettings.ISSUER).orElseThrow();
            URI issuer;
            try {
                issuer = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            } catch (URISyntaxException e) {
                throw new ConfigurationException(OidcSettings.ISSUER, "not a URL: " + e.getMessage());
            }
            // Tokens and codes cross this connection: plain http only to a provider on this machine.
            boolean loopback = issuer.getHost() != null && (issuer.getHost().equals("localhost") || issuer.getHost().startsWith("127.")
                    || issuer.getHost().equals("[::1]"));
            if (issuer.getHost() == null || !("https".equals(issuer.getScheme()) || "http".equals(issuer.getScheme()) && loopback)
                    || issuer.getQuery() != null || issuer.getFragment() != null) {
                throw new ConfigurationException(OidcSettings.ISSUER, "must be an https URL without query or fragment (http only on localhost), not '" + value + "'");
            }
            String clientId = text(OidcSettings.CLIENT_ID).orElseThrow(() -> new ConfigurationException(OidcSettings.CLIENT_ID,
                    "is required when " + OidcSettings.ISSUER + " is set"));
            List<String> scopes = new java.util.ArrayList<>(List.of("openid"));
            for (String scope : text(OidcSettings.SCOPES).orElse(fallback(OidcSettings.SCOPES)).split("[\\s,]+")) {
                if (!scope.isEmpty() && !scopes.contains(scope)) {
                    if (!scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
                        throw new ConfigurationException(OidcSettings.SCOPES, "'" + scope + "' is not a scope (RFC 6749 §3.3)");
                    }
                    scopes.add(scope);
                }
            }
            return new OidcSettings(issuer, clientId, text(OidcSettings.CLIENT_SECRET), scopes,
                    claimPath(OidcSettings.GROUPS_CLAIM, fallback(OidcSettings.GROUPS_CLAIM)), text(OidcSettings.ADMIN_GROUP),
                    text(OidcSettings.UPLOADER_GROUP),
                    claimPath(OidcSettings.NAME_CLAIM, fallback(OidcSettings.NAME_CLAIM)), text(OidcSettings.AUDIENCE).orElse(clientId),
                    claimPath(OidcSettings.PERMISSIONS_CLAIM, fallback(OidcSettings.PERMISSIONS_CLAIM)));
        }

        /** A claim's name, or a dotted path to one nested in objects ({@code resource_access.teledrop.roles}). */
        String claimPath(String key, String fallback) {
            String value = text(key).orElse(fallback);
            if (!value.matches("[^.\\s]+(\\.[^.\\s]+)*")) {
                throw new ConfigurationException(key, "'" + value + "' is not a claim name or a dotted path of claim names");
            }
            return value;
        }

        /** The default of {@code key}: {@link SettingsCatalog} holds every default, so the report and this reader agree. */
        String fallback(String key) {
            return SettingsCatalog.setting(key).map(SettingsCatalog.Setting::defaultValue)
                    .orElseThrow(() -> new IllegalStateException("no default for " + key + " in SettingsCatalog"));
        }

        boolean bool(String key) {
            return bool(key, Boolean.parseBoolean(fallback(key)));
        }

        int integer(String key, int min, int max) {
            return integer(key, Integer.parseInt(fallback(key)), min, max);
        }

        Optional<String> text(String key) {
            return source.apply(key).map(String::trim).filter(v -> !v.isEmpty());
        }

        Path path(String key, Path fallback) {
            Optional<String> value = text(key);
            if (value.isEmpty()) {
                if (fallback == null) {
                    throw new ConfigurationException(key, "is required but not set");
                }
                return fallback;
            }
            try {
                return Path.of(value.get()).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw new ConfigurationException(key, "not a usable path: " + e.getMessage());
            }
        }

        boolean bool(String key, boolean fallback) {
            return text(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigurationException(key, "must be true or false, not '" + v + "'");
            }).orElse(fallback);
        }

        int integer(String key, int fallback, int min, int max) {
            Optional<String> value = text(key);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value.get());
                if (parsed < min || parsed > max) {
                    throw new ConfigurationException(key, "must be between " + min + " and " + max + ", not " + parsed);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigurationException(key, "must be a whole number, not '" + value.get() + "'");
            }
        }

        long size(String key, String fallback) {
            String value = text(key).orElse(fallback);
            long bytes;
            try {
                bytes = DataSize.parse(value);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(key, e.getMessage());
            }
            if (bytes < 1) {
                throw new ConfigurationException(key, "must be at least 1 byte");
            }
            return bytes;
        }

        /** A positive duration (ISO-8601 {@code P7D} or short {@code 7d}), or empty for {@code none}. */
        Optional<Duration> optionalDuration(String key, String fallback) {
            String value = text(key).orElse(fallback);
            if (value.equalsIgnoreCase("none")) {
                return Optional.empty();
            }
            try {
                Duration duration = Lifetimes.durationFrom(value);
                if (duration.isNegative() || duration.isZero()) {
                    throw new ConfigurationException(key, "must be longer than zero");
                }
                return Optional.of(duration);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(key, "must be a duration such as P7D, PT12H or 7d, or 'none', not '" + value + "'");
            }
        }

        /** A comma-separated list (lower-cased), each item matching {@code pattern}; empty when unset. */
        List<String> list(String key, String pattern, String expected) {
            Optional<String> value = text(key);
            if (value.isEmpty()) {
                return List.of();
            }
            List<String> items = Arrays.stream(value.get().split(",")).map(String::strip).filter(v -> !v.isEmpty())
                    .map(v -> v.toLowerCase(Locale.ROOT)).toList();
            for (String item : items) {
                if (!item.matches(pattern)) {
                    throw new ConfigurationException(key, "'" + item + "' is not valid; expected " + expected);
                }
            }
            return items;
        }

        Duration requiredDuration(String key, String fallback) {
            return optionalDuration(key, fallback).orElseThrow(() -> new ConfigurationException(key, "must be a duration such as PT1H, not 'none'"));
        }

        /** A secret is never echoed in the message, only its length. */
        Optional<String> secret(String key, int minLength) {
            Optional<String> value = text(key);
            if (value.isPresent() && value.get().length() < minLength) {
                throw new ConfigurationException(key, "must be at least " + minLength + " characters long (it has "
                        + value.get().length() + "); generate one with: openssl rand -base64 32");
            }
            return value;
        }

        StorageType storageType() {
            String value = text(STORAGE_TYPE).orElse(fallback(STORAGE_TYPE)).toLowerCase(Locale.ROOT);
            return switch (value) {
                case "local" -> StorageType.LOCAL;
                case "s3" -> StorageType.S3;
                default -> throw new ConfigurationException(STORAGE_TYPE, "must be 'local' or 's3', not '" + value + "'");
            };
        }

        MultipartParser multipartParser() {
            String value = text(UPLOAD_MULTIPART).orElse(fallback(UPLOAD_MULTIPART)).toLowerCase(Locale.ROOT);
            return switch (value) {
                case "streaming" -> MultipartParser.STREAMING;
                case "container" -> MultipartParser.CONTAINER;
                default -> throw new ConfigurationException(UPLOAD_MULTIPART, "must be 'streaming' or 'container', not '" + value + "'");
            };
        }

        Optional<URI> publicUrl() {
            Optional<String> value = text(PUBLIC_URL);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                URI uri = new URI(value.get().endsWith("/") ? value.get() : value.get() + "/");
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                        || uri.getQuery() != null || uri.getFragment() != null) {
                    throw new ConfigurationException(PUBLIC_URL,
                            "must be an absolute http(s) URL without query or fragment, like https://files.example.com/, not '" + value.get() + "'");
                }
                return Optional.of(uri);
            } catch (URISyntaxException e) {
                throw new ConfigurationException(PUBLIC_URL, "not a URL: " + e.getMessage());
            }
        }
    }
}

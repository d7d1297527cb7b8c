package io.teledrop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

    private static Settings load(Map<String, String> values) {
        return Settings.load(key -> Optional.ofNullable(values.get(key)));
    }

    /** The given keys and values, and a data folder (the one setting without a default). */
    static Map<String, String> withDataDir(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        values.put(Settings.DATA_DIR, "/srv/teledrop");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return values;
    }

    @Test
    void onlyTheDataDirIsNeededAndEverythingElseHasADefault() {
        Settings settings = load(withDataDir());

        assertEquals(Path.of("/srv/teledrop"), settings.dataDir());
        assertEquals(Path.of("/srv/teledrop/teledrop.db"), settings.databaseFile());
        assertEquals(Path.of("/srv/teledrop/blobs"), settings.localRoot());
        assertEquals(Path.of("/srv/teledrop/tmp"), settings.uploadTempDir());
        assertEquals(StorageType.LOCAL, settings.storageType());
        assertTrue(settings.fsync());
        assertEquals(10L * 1024 * 1024 * 1024, settings.maxFileSize());
        assertEquals(100, settings.maxFilesPerDrop());
        assertEquals(8, settings.slugLength());
        assertTrue(settings.requireApiKey());
        assertFalse(settings.publicUrl().isPresent());
        assertTrue(settings.anonymousUpload());
        assertEquals(Optional.of(java.time.Duration.ofDays(7)), settings.defaultExpiry());
        assertEquals(Optional.of(java.time.Duration.ofDays(30)), settings.maxExpiry());
        assertEquals(java.time.Duration.ofMinutes(1), settings.sweepInterval());
        assertEquals(64L * 1024 * 1024, settings.storageReserve());
        assertEquals(java.time.Duration.ofSeconds(30), settings.eventsHeartbeat());
    }

    @Test
    void lifetimesCanBeLiftedOrChanged() {
        Settings forever = load(withDataDir(Settings.DROP_DEFAULT_EXPIRY, "none", Settings.DROP_MAX_EXPIRY, "none"));
        Settings shortLived = load(withDataDir(Settings.DROP_DEFAULT_EXPIRY, "12h", Settings.DROP_MAX_EXPIRY, "2d",
                Settings.MAINTENANCE_SWEEP_INTERVAL, "PT10S", Settings.AUTH_ANONYMOUS_UPLOAD, "false"));

        assertTrue(forever.defaultExpiry().isEmpty() && forever.maxExpiry().isEmpty());
        assertEquals(Optional.of(java.time.Duration.ofHours(12)), shortLived.defaultExpiry());
        assertEquals(Optional.of(java.time.Duration.ofDays(2)), shortLived.maxExpiry());
        assertEquals(java.time.Duration.ofSeconds(10), shortLived.sweepInterval());
        assertFalse(shortLived.anonymousUpload());
    }

    @Test
    void aDefaultExpiryBeyondTheMaximumNamesTheKey() {
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> load(withDataDir(Settings.DROP_DEFAULT_EXPIRY, "P40D")));

        assertEquals(Settings.DROP_DEFAULT_EXPIRY, error.key());
        assertTrue(error.getMessage().contains(Settings.DROP_MAX_EXPIRY), error.getMessage());
    }

    @Test
    void everyKeyCanBeSet() {
        Settings settings = load(withDataDir(
                Settings.DB_FILE, "/var/db/t.db",
                Settings.PUBLIC_URL, "https://files.example.com",
                Settings.STORAGE_TYPE, "LOCAL",
                Settings.STORAGE_LOCAL_ROOT, "/mnt/blobs",
                Settings.STORAGE_FSYNC, "FALSE",
                Settings.UPLOAD_TEMP_DIR, "/mnt/blobs-spool",
                Settings.UPLOAD_MAX_FILE_SIZE, "512 MiB",
                Settings.UPLOAD_MAX_FILES_PER_DROP, "7",
                Settings.SLUG_LENGTH, "12",
                Settings.AUTH_REQUIRE_API_KEY, "false",
                Settings.STORAGE_RESERVE, "1GiB",
                Settings.EVENTS_HEARTBEAT, "PT5S"));

        assertEquals(Path.of("/var/db/t.db"), settings.databaseFile());
        assertEquals(Optional.of(URI.create("https://files.example.com/")), settings.publicUrl());
        assertEquals(Path.of("/mnt/blobs"), settings.localRoot());
        assertFalse(settings.fsync());
        assertEquals(Path.of("/mnt/blobs-spool"), settings.uploadTempDir());
        assertEquals(512L * 1024 * 1024, settings.maxFileSize());
        assertEquals(7, settings.maxFilesPerDrop());
        assertEquals(12, settings.slugLength());
        assertFalse(settings.requireApiKey());
        assertEquals(1L << 30, settings.storageReserve());
        assertEquals(java.time.Duration.ofSeconds(5), settings.eventsHeartbeat());
    }

    @Test
    void aMissingDataDirNamesTheKeyAndItsEnvironmentVariable() {
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> load(Map.of()));

        assertEquals(Settings.DATA_DIR, error.key());
        assertTrue(error.getMessage().contains("teledrop.data.dir"), error.getMessage());
        assertTrue(error.getMessage().contains("TELEDROP_DATA_DIR"), error.getMessage());
    }

    @ParameterizedTest(name = "{0} = ''{1}'' is refused")
    @CsvSource(delimiter = '|', value = {
            "teledrop.upload.max-file-size     | ten",
            "teledrop.upload.max-file-size     | 0",
            "teledrop.upload.max-file-size     | 99999999999999999999GiB",
            "teledrop.upload.max-file-size     | -5MiB",
            "teledrop.upload.max-files-per-drop | 0",
            "teledrop.upload.max-files-per-drop | abc",
            "teledrop.upload.max-files-per-drop | 10001",
            "teledrop.slug.length              | 3",
            "teledrop.slug.length              | 65",
            "teledrop.storage.fsync            | yes",
            "teledrop.auth.require-api-key     | 1",
            "teledrop.storage.type             | ftp",
            "teledrop.public-url               | ftp://files.example.com/",
            "teledrop.public-url               | not a url",
            "teledrop.public-url               | https://files.example.com/?q=1",
            "teledrop.public-url               | /relative/",
            "teledrop.auth.bootstrap-key       | too-short-to-be-a-key",
            "teledrop.drop.default-expiry      | soon",
            "teledrop.drop.max-expiry          | P0D",
            "teledrop.maintenance.sweep-interval | none",
            "teledrop.auth.anonymous-upload    | maybe",
            "teledrop.storage.reserve          | lots",
            "teledrop.events.heartbeat         | PT0S",
    })
    void anInvalidValueNamesItsKey(String key, String value) {
        assertInvalid(withDataDir(key, value), key);
    }

    private static void assertInvalid(Map<String, String> values, String key) {
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> load(values));

        assertEquals(key, error.key());
        assertTrue(error.getMessage().contains(key), error.getMessage());
        assertTrue(error.getMessage().contains(ConfigurationException.environmentName(key)), error.getMessage());
    }

    @org.junit.jupiter.api.Test
    void s3SettingsHaveSensibleDefaultsAndNeedOnlyABucket() {
        Settings settings = load(withDataDir("teledrop.storage.type", "S3", "teledrop.storage.s3.bucket", "teledrop-files"));

        io.teledrop.config.S3Settings s3 = settings.s3().orElseThrow();
        assertEquals("teledrop-files", s3.bucket());
        assertEquals("us-east-1", s3.region());
        assertEquals("", s3.prefix());
        assertEquals(16L * 1024 * 1024, s3.partSize());
        assertEquals(Optional.empty(), s3.accessKey());
        assertEquals(4, s3.maxAttempts());
        assertEquals(4, s3.uploadConcurrency());
        assertEquals(5L * 16 * 1024 * 1024, s3.uploadMemory(), "by default a part for each of the concurrent ones and one being read");
        assertEquals(5, s3.uploadBuffers());
        assertTrue(load(withDataDir()).s3().isEmpty(), "no S3 settings for local storage");
    }

    @org.junit.jupiter.api.Test
    void uploadMemoryIsCountedInWholePartsAndFollowsTheConcurrency() {
        S3Settings s3 = load(withDataDir("teledrop.storage.type", "s3", "teledrop.storage.s3.bucket", "bucket-1",
                "teledrop.storage.s3.upload-concurrency", "10", "teledrop.storage.s3.part-size", "8MiB")).s3().orElseThrow();
        assertEquals(10, s3.uploadConcurrency());
        assertEquals(11L * 8 * 1024 * 1024, s3.uploadMemory());
        S3Settings set = load(withDataDir("teledrop.storage.type", "s3", "teledrop.storage.s3.bucket", "bucket-1",
                "teledrop.storage.s3.upload-memory", "50MiB")).s3().orElseThrow();
        assertEquals(3, set.uploadBuffers(), "50 MiB holds three 16 MiB parts");
        S3Settings huge = load(withDataDir("teledrop.storage.type", "s3", "teledrop.storage.s3.bucket", "bucket-1",
                "teledrop.storage.s3.part-size", "3GiB")).s3().orElseThrow();
        assertEquals(0, huge.uploadBuffers(), "a part larger than a Java array is always spooled");
        S3Settings large = load(withDataDir("teledrop.storage.type", "s3", "teledrop.storage.s3.bucket", "bucket-1",
                "teledrop.storage.s3.upload-concurrency", "64", "teledrop.storage.s3.part-size", "1GiB")).s3().orElseThrow();
        assertEquals(Runtime.getRuntime().maxMemory() / 4, large.uploadMemory(), "by default never more than a quarter of the heap");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // max-file-size | part-size | accepted
            "10GiB     | 16MiB | true",
            "160000MiB | 16MiB | true",   // exactly 10,000 parts
            "160001MiB | 16MiB | false",  // a 10,001st part
            "1TiB      | 16MiB | false",
            "1TiB      | 105MiB | true",
            "50GiB     | 5MiB  | false",
    })
    void aMaxFileSizeBeyondTenThousandPartsRefusesToStart(String maxFileSize, String partSize, boolean accepted) {
        Map<String, String> values = withDataDir("teledrop.storage.type", "s3", "teledrop.storage.s3.bucket", "bucket-1",
                Settings.UPLOAD_MAX_FILE_SIZE, maxFileSize, S3Settings.PART_SIZE, partSize);
        if (accepted) {
            assertEquals(DataSize.parse(maxFileSize), load(values).maxFileSize());
            return;
        }
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> load(values));
        assertEquals(Settings.UPLOAD_MAX_FILE_SIZE, error.key());
        assertTrue(error.getMessage().contains(S3Settings.PART_SIZE) && error.getMessage().contains("10000"), error.getMessage());
        // The local store has no such ceiling.
        values.put("teledrop.storage.type", "local");
        assertEquals(DataSize.parse(maxFileSize), load(values).maxFileSize());
    }

    @org.junit.jupiter.api.Test
    void theSuggestedPartSizeCarriesTheMaxFileSize() {
        long suggested = Settings.minimumPartSize(DataSize.parse("1TiB"));
        assertTrue(suggested * S3Settings.MAX_PARTS >= DataSize.parse("1TiB"));
        assertTrue((suggested - 1024 * 1024) * S3Settings.MAX_PARTS < DataSize.parse("1TiB"));
        assertEquals(S3Settings.MIN_PART_SIZE, Settings.minimumPartSize(DataSize.parse("1GiB")));
    }

    @org.junit.jupiter.api.Test
    void s3SettingsAreReadAndThePrefixEndsInASlash() {
        io.teledrop.config.S3Settings s3 = load(withDataDir("teledrop.storage.type", "s3", "teledrop.storage.s3.bucket", "b1.example",
                "teledrop.storage.s3.endpoint", "http://127.0.0.1:9000", "teledrop.storage.s3.prefix", "prod/teledrop",
                "teledrop.storage.s3.access-key", "AKIA", "teledrop.storage.s3.secret-key", "s3cr3t", "teledrop.storage.s3.path-style-access", "true",
                "teledrop.storage.s3.part-size", "8MiB", "teledrop.storage.s3.presign-downloads", "true", "teledrop.storage.s3.presign-expiry", "5m"))
                .s3().orElseThrow();
        assertEquals("http://127.0.0.1:9000", s3.endpoint().orElseThrow().toString());
        assertEquals("prod/teledrop/", s3.prefix());
        assertEquals(8L * 1024 * 1024, s3.partSize());
        assertTrue(s3.pathStyleAccess() && s3.presignDownloads());
        assertEquals(java.time.Duration.ofMinutes(5), s3.presignExpiry());
        assertTrue(!s3.toString().contains("s3cr3t"), "the secret never shows: " + s3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "teledrop.storage.s3.bucket         | Not_A_Bucket",
            "teledrop.storage.s3.endpoint       | ftp://127.0.0.1",
            "teledrop.storage.s3.part-size      | 4MiB",
            "teledrop.storage.s3.part-size      | 6GiB",
            "teledrop.storage.s3.prefix         | ../escape",
            "teledrop.storage.s3.presign-expiry | P8D",
            "teledrop.storage.s3.max-attempts   | 0",
            "teledrop.storage.s3.upload-concurrency | 0",
            "teledrop.storage.s3.upload-concurrency | 65",
            "teledrop.storage.s3.upload-memory  | lots",
            "teledrop.storage.s3.secret-key     | only-the-secret",
    })
    void anInvalidS3ValueNamesItsKey(String key, String value) {
        Map<String, String> values = withDataDir("teledrop.storage.type", "s3", "teledrop.storage.s3.bucket", "teledrop-files");
        values.put(key, value);
        assertInvalid(values, key.equals("teledrop.storage.s3.secret-key") ? "teledrop.storage.s3.access-key" : key);
    }

    @org.junit.jupiter.api.Test
    void s3StorageWithoutABucketNamesTheBucketKey() {
        assertInvalid(withDataDir("teledrop.storage.type", "s3"), "teledrop.storage.s3.bucket");
    }


    @Test
    void theBootstrapKeyIsNeverShown() {
        String key = "k".repeat(40);
        Settings settings = load(withDataDir(Settings.AUTH_BOOTSTRAP_KEY, key));

        assertEquals(Optional.of(key), settings.bootstrapKey());
        assertFalse(settings.toString().contains(key), settings.toString());
        ConfigurationException tooShort = assertThrows(ConfigurationException.class,
                () -> load(withDataDir(Settings.AUTH_BOOTSTRAP_KEY, "secret-secret")));
        assertFalse(tooShort.getMessage().contains("secret-secret"), tooShort.getMessage());
    }

    @Test
    void typeListsAcceptAndRefuseDetectedTypes() {
        Settings allowImages = load(withDataDir(Settings.UPLOAD_ALLOWED_TYPES, "image/*, application/pdf",
                Settings.UPLOAD_BLOCKED_TYPES, "image/svg+xml"));
        Settings open = load(withDataDir());

        assertTrue(allowImages.typeAccepted("image/png"));
        assertTrue(allowImages.typeAccepted("application/pdf"));
        assertFalse(allowImages.typeAccepted("image/svg+xml"));
        assertFalse(allowImages.typeAccepted("text/html"));
        assertTrue(open.typeAccepted("application/x-msdownload"));
        assertThrows(ConfigurationException.class, () -> load(withDataDir(Settings.UPLOAD_ALLOWED_TYPES, "images")));
    }

    @Test
    void environmentNamesFollowMicroProfileMapping() {
        assertEquals("TELEDROP_UPLOAD_MAX_FILE_SIZE", ConfigurationException.environmentName("teledrop.upload.max-file-size"));
    }

    @Test
    void blankValuesCountAsUnset() {
        assertEquals(100, load(withDataDir(Settings.UPLOAD_MAX_FILES_PER_DROP, "  ")).maxFilesPerDrop());
    }

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource({
            "https://files.example.com,           https://files.example.com/",
            "https://files.example.com/,          https://files.example.com/",
            "http://intranet:8080/teledrop,       http://intranet:8080/teledrop/",
            "' https://files.example.com/share ', https://files.example.com/share/",
    })
    void publicUrlAlwaysEndsWithASlash(String configured, String expected) {
        assertEquals(Optional.of(URI.create(expected)), load(withDataDir(Settings.PUBLIC_URL, configured)).publicUrl());
    }

    @Test
    void aRelativeDataDirIsResolvedAndTheDefaultsFollowIt() {
        Settings settings = load(Map.of(Settings.DATA_DIR, "data/../teledrop-data"));

        Path expected = Path.of("teledrop-data").toAbsolutePath();
        assertEquals(expected, settings.dataDir());
        assertEquals(expected.resolve("blobs"), settings.localRoot());
        assertEquals(expected.resolve("tmp"), settings.uploadTempDir());
        assertEquals(expected.resolve("teledrop.db"), settings.databaseFile());
    }

    @Test
    void aBlankDataDirIsAsGoodAsMissing() {
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> load(Map.of(Settings.DATA_DIR, "   ")));

        assertEquals(Settings.DATA_DIR, error.key());
        assertTrue(error.getMessage().contains("TELEDROP_DATA_DIR"), error.getMessage());
    }

    @Test
    void withoutAnIssuerThereIsNoSignIn() {
        assertTrue(load(withDataDir()).oidc().isEmpty());
    }

    @Test
    void signInNeedsOnlyAnIssuerAndAClientAndHasDefaults() {
        OidcSettings oidc = load(withDataDir(OidcSettings.ISSUER, "https://login.example.com/realms/acme/", OidcSettings.CLIENT_ID, "teledrop"))
                .oidc().orElseThrow();

        assertEquals("https://login.example.com/realms/acme", oidc.issuer().toString());
        assertEquals("teledrop", oidc.clientId());
        assertTrue(oidc.clientSecret().isEmpty());
        assertEquals(List.of("openid", "profile", "email"), oidc.scopes());
        assertEquals("groups", oidc.groupsClaim());
        assertEquals("teledrop", oidc.audience());
        assertEquals("roles", oidc.permissionsClaim());
        assertEquals("name", oidc.nameClaim());
        assertTrue(oidc.adminGroup().isEmpty() && oidc.uploaderGroup().isEmpty());
    }

    @Test
    void everySignInKeyCanBeSetAndTheSecretIsNeverShown() {
        OidcSettings oidc = load(withDataDir(OidcSettings.ISSUER, "http://127.0.0.1:8080/teledrop", OidcSettings.CLIENT_ID, "files",
                OidcSettings.CLIENT_SECRET, "s3cr3t-value", OidcSettings.SCOPES, "email offline_access, groups",
                OidcSettings.GROUPS_CLAIM, "realm_access.roles", OidcSettings.ADMIN_GROUP, "teledrop-admins",
                OidcSettings.UPLOADER_GROUP, "teledrop-uploaders", OidcSettings.NAME_CLAIM, "preferred_username",
                OidcSettings.AUDIENCE, "api://teledrop", OidcSettings.PERMISSIONS_CLAIM, "resource_access.files.roles")).oidc().orElseThrow();

        assertEquals(List.of("openid", "email", "offline_access", "groups"), oidc.scopes());
        assertEquals("s3cr3t-value", oidc.clientSecret().orElseThrow());
        assertEquals("realm_access.roles", oidc.groupsClaim());
        assertEquals("teledrop-admins", oidc.adminGroup().orElseThrow());
        assertEquals("teledrop-uploaders", oidc.uploaderGroup().orElseThrow());
        assertEquals("api://teledrop", oidc.audience());
        assertEquals("resource_access.files.roles", oidc.permissionsClaim());
        assertFalse(oidc.toString().contains("s3cr3t-value"), oidc.toString());
    }

    @ParameterizedTest
    @CsvSource({
            "http://login.example.com/realms/acme",
            "ftp://login.example.com/",
            "https://login.example.com/?tenant=x",
            "not a url",
            "/realms/acme",
    })
    void anIssuerThatIsNotAnHttpsUrlIsRefused(String issuer) {
        assertInvalid(withDataDir(OidcSettings.ISSUER, issuer, OidcSettings.CLIENT_ID, "teledrop"), OidcSettings.ISSUER);
    }

    @Test
    void anIssuerWithoutAClientIdNamesTheClientId() {
        assertInvalid(withDataDir(OidcSettings.ISSUER, "https://login.example.com"), OidcSettings.CLIENT_ID);
    }

    @Test
    void aBrokenClaimPathOrScopeNamesItsKey() {
        assertInvalid(withDataDir(OidcSettings.ISSUER, "https://login.example.com", OidcSettings.CLIENT_ID, "t", OidcSettings.GROUPS_CLAIM, "a..b"),
                OidcSettings.GROUPS_CLAIM);
        assertInvalid(withDataDir(OidcSettings.ISSUER, "https://login.example.com", OidcSettings.CLIENT_ID, "t", OidcSettings.SCOPES, "openid \"x\""),
                OidcSettings.SCOPES);
    }

    @Test
    void withoutBootstrapServersThereAreNoEvents() {
        assertTrue(load(withDataDir()).kafka().isEmpty());
    }

    @Test
    void eventsNeedOnlyBootstrapServersAndPassTlsAndSaslThrough() {
        KafkaSettings kafka = load(withDataDir(KafkaSettings.BOOTSTRAP_SERVERS, "k1.example.com:9092, k2.example.com:9093",
                "teledrop.events.kafka.security-protocol", "SASL_SSL", "teledrop.events.kafka.sasl-jaas-config", "secret-jaas-line",
                Settings.PUBLIC_URL, "https://files.example.com/")).kafka().orElseThrow();

        assertEquals("k1.example.com:9092,k2.example.com:9093", kafka.bootstrapServers());
        assertEquals("teledrop.drop-events", kafka.topic());
        assertEquals("https://files.example.com/", kafka.source());
        assertEquals(java.time.Duration.ofSeconds(1), kafka.relayInterval());
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", "secret-jaas-line"), kafka.client());
        assertFalse(kafka.toString().contains("secret-jaas-line"), kafka.toString());
    }

    @Test
    void aBrokenBootstrapServerOrTopicNamesItsKey() {
        assertInvalid(withDataDir(KafkaSettings.BOOTSTRAP_SERVERS, "kafka.example.com"), KafkaSettings.BOOTSTRAP_SERVERS);
        assertInvalid(withDataDir(KafkaSettings.BOOTSTRAP_SERVERS, "k:9092", KafkaSettings.TOPIC, "drops/events"), KafkaSettings.TOPIC);
    }
}

package io.teledrop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.config.SettingsCatalog.Found;
import io.teledrop.config.SettingsCatalog.Report;
import io.teledrop.config.SettingsCatalog.Source;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsCatalogTest {

    private static final String SYSPROP = "SysPropConfigSource";
    private static final String SERVER_XML_DEFAULTS = "Server XML Default Variables Config Source";

    /** Values as system properties, except those named in {@code fromServerXmlDefaults}. */
    private static Function<String, Optional<Found>> lookup(Map<String, String> values, String... fromServerXmlDefaults) {
        Set<String> defaults = Set.of(fromServerXmlDefaults);
        return key -> Optional.ofNullable(values.get(key))
                .map(v -> defaults.contains(key) ? new Found(v, SERVER_XML_DEFAULTS, 1) : new Found(v, SYSPROP, 400));
    }

    private static List<Report> report(Map<String, String> values, String... fromServerXmlDefaults) {
        return SettingsCatalog.report(lookup(values, fromServerXmlDefaults), values.keySet());
    }

    private static Report find(List<Report> reports, String key) {
        return reports.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow(() -> new AssertionError("no line for " + key));
    }

    private static Map<String, String> values(String... keyValues) {
        return SettingsTest.withDataDir(keyValues);
    }

    @Test
    void secretsShowOnlyThatTheyAreSet() {
        String key = "a-bootstrap-key-that-is-long-enough-0123456789";
        List<Report> reports = report(values(Settings.AUTH_BOOTSTRAP_KEY, key, S3Settings.SECRET_KEY, "s3cr3t-value",
                "teledrop.events.kafka.sasl-jaas-config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"pw\";",
                "teledrop.events.kafka.ssl-key-password", "kafka-pw", "teledrop.smtp.password", "smtp-pw", Settings.AUTH_REQUIRE_API_KEY, "false"));

        for (String secret : List.of(Settings.AUTH_BOOTSTRAP_KEY, S3Settings.SECRET_KEY, "teledrop.events.kafka.sasl-jaas-config",
                "teledrop.events.kafka.ssl-key-password", "teledrop.smtp.password")) {
            Report line = find(reports, secret);
            assertTrue(line.secret(), secret);
            assertEquals(SettingsCatalog.MASK, line.value(), secret);
            assertTrue(line.changed(), secret + " is set");
            assertNull(line.defaultValue(), secret);
        }
        for (Report line : reports) {
            for (String value : List.of(key, "s3cr3t-value", "pw", "kafka-pw", "smtp-pw")) {
                assertFalse(String.valueOf(line.value()).contains(value) || line.logLine().contains(value), line.toString());
            }
        }
        Report unset = find(reports, Settings.AUTH_TOKEN_SECRET);
        assertTrue(unset.secret());
        assertNull(unset.value(), "an unset secret shows as unset");
        assertFalse(unset.changed());
        assertEquals("false", find(reports, Settings.AUTH_REQUIRE_API_KEY).value(), "a switch whose name ends in -key is no secret");
    }

    @ParameterizedTest
    @CsvSource({
            "teledrop.db.password, true",
            "teledrop.auth.oidc.client-secret, true",
            "teledrop.auth.token-secret, true",
            "teledrop.auth.bootstrap-key, true",
            "teledrop.storage.s3.secret-key, true",
            "teledrop.events.kafka.ssl-truststore-password, true",
            "teledrop.events.kafka.sasl-jaas-config, true",
            "teledrop.unknown.api-token, true",
            "teledrop.unknown.credentials, true",
            "TELEDROP_SMTP_PASSWORD, true",
            "teledrop.auth.require-api-key, false",
            "teledrop.events.kafka.ssl-truststore-location, false",
            "teledrop.upload.max-file-size, false",
            "teledrop.unknown.keyring-path, false",
    })
    void secretsAreKnownByNameOrByTheirLastWord(String key, boolean secret) {
        assertEquals(secret, SettingsCatalog.isSecret(key));
    }

    @ParameterizedTest(name = "{0} = ''{1}'' changed: {2}")
    @CsvSource({
            "teledrop.upload.max-file-size, 10GiB, false",
            "teledrop.upload.max-file-size, 10 GiB, false",
            "teledrop.upload.max-file-size, 10240MiB, false",
            "teledrop.upload.max-file-size, 1GiB, true",
            "teledrop.upload.max-file-size, lots, true",
            "teledrop.drop.default-expiry, 7d, false",
            "teledrop.drop.default-expiry, P7D, false",
            "teledrop.drop.default-expiry, PT168H, false",
            "teledrop.drop.default-expiry, none, true",
            "teledrop.drop.max-expiry, NONE, true",
            "teledrop.storage.fsync, TRUE, false",
            "teledrop.storage.fsync, false, true",
            "teledrop.storage.type, LOCAL, false",
            "teledrop.storage.type, s3, true",
            "teledrop.upload.max-files-per-drop, 100, false",
            "teledrop.upload.max-files-per-drop, 40, true",
            "teledrop.db.file, /srv/teledrop/teledrop.db, false",
            "teledrop.db.file, /srv/teledrop/./teledrop.db, false",
            "teledrop.db.file, /var/lib/teledrop.db, true",
            "teledrop.storage.local.root, /srv/teledrop/blobs/, false",
            "teledrop.public-url, https://files.example.com/, true",
            "teledrop.auth.oidc.scopes, openid profile email, false",
            "teledrop.storage.s3.upload-memory, 80MiB, true",
    })
    void aValueIsComparedWithItsDefaultAsItsKind(String key, String value, boolean changed) {
        Report line = find(report(values(key, value)), key);

        assertEquals(changed, line.changed());
        assertEquals(value, line.value());
        assertEquals(Source.SYSTEM_PROPERTY, line.source());
        assertEquals(400, line.ordinal());
    }

    @Test
    void anUnsetKeyShowsItsDefaultWithTheKeysItNamesFilledIn() {
        List<Report> reports = report(values());

        Report dbFile = find(reports, Settings.DB_FILE);
        assertEquals("/srv/teledrop/teledrop.db", dbFile.value());
        assertEquals("${teledrop.data.dir}/teledrop.db", dbFile.defaultValue());
        assertEquals(Source.DEFAULT, dbFile.source());
        assertNull(dbFile.sourceName());
        assertFalse(dbFile.changed());
        assertEquals("jdbc:sqlite:/srv/teledrop/teledrop.db", find(reports, "teledrop.db.url").value());
        assertEquals("10GiB", find(reports, Settings.UPLOAD_MAX_FILE_SIZE).value());
        assertNull(find(reports, Settings.PUBLIC_URL).value(), "no default, not set");
        assertTrue(find(reports, Settings.DATA_DIR).changed(), "set as a system property, not to Liberty's default folder");
        assertEquals(List.of(Settings.DATA_DIR), reports.stream().filter(Report::changed).map(Report::key).toList());
    }

    @Test
    void aServerXmlDefaultIsNoChange() {
        Report line = find(report(values("teledrop.db.pool-size", "8", Settings.DATA_DIR, "/opt/wlp/usr/servers/x/teledrop-data"),
                Settings.DATA_DIR), Settings.DATA_DIR);

        assertEquals(Source.SERVER_XML_DEFAULT, line.source());
        assertFalse(line.changed());
        assertEquals("/opt/wlp/usr/servers/x/teledrop-data", line.value());
    }

    @Test
    void namesTeledropDoesNotKnowAreReportedAsUnknown() {
        Map<String, String> values = values("teledrop.uplaod.max-file-size", "1GiB", "TELEDROP_UPLOAD_MAX_FILESIZE", "2GiB",
                "TELEDROP_UPLOAD_MAX_FILE_SIZE", "3GiB", "teledrop.smtp.password", "hunter2", "other.key", "x", "teledrop.empty", " ");
        List<Report> reports = report(values);

        Set<String> unknown = new TreeSet<>(reports.stream().filter(r -> !r.known()).map(Report::key).toList());
        assertEquals(Set.of("TELEDROP_UPLOAD_MAX_FILESIZE", "teledrop.smtp.password", "teledrop.uplaod.max-file-size"), unknown,
                "a known key's environment variable is no unknown key; a blank one is not set; other prefixes are not Teledrop's");
        Report typo = find(reports, "teledrop.uplaod.max-file-size");
        assertTrue(typo.changed());
        assertEquals("1GiB", typo.value());
        assertNull(typo.defaultValue());
        assertEquals("Setting teledrop.uplaod.max-file-size = 1GiB (from system property); Teledrop has no such setting: check its spelling",
                typo.logLine());
        assertEquals(SettingsCatalog.MASK, find(reports, "teledrop.smtp.password").value());
        assertEquals(SettingsCatalog.settings().size() + 3, reports.size(), "every known key once, then the unknown ones");
    }

    @Test
    void theStartUpLineNamesKeyValueAndSource() {
        Report line = find(SettingsCatalog.report(key -> key.equals(Settings.UPLOAD_MAX_FILES_PER_DROP)
                ? Optional.of(new Found(" 40 ", "EnvConfigSource", 300)) : Optional.empty(), List.of()), Settings.UPLOAD_MAX_FILES_PER_DROP);

        assertEquals("Setting teledrop.upload.max-files-per-drop = 40 (from environment variable)", line.logLine());
    }

    @ParameterizedTest
    @CsvSource({
            "EnvConfigSource, 300, ENVIRONMENT",
            "SysPropConfigSource, 400, SYSTEM_PROPERTY",
            "Server XML Variables Config Source, 500, SERVER_XML_VARIABLE",
            "Server XML Default Variables Config Source, 1, SERVER_XML_DEFAULT",
            "Server XML Application Properties Config Source, 600, SERVER_XML_APP_PROPERTIES",
            "PropertiesConfigSource[source=jar:file:/x.war!/WEB-INF/classes/META-INF/microprofile-config.properties], 100, PROPERTIES_FILE",
            "Quelle der Servervariablen, 500, SERVER_XML_VARIABLE",
            "custom, 250, OTHER",
    })
    void sourcesAreNamedByNameOrOrdinal(String name, int ordinal, Source source) {
        assertEquals(source, Source.of(name, ordinal));
    }

    @Test
    void everyKeyTheSettingsRecordsDefineIsInTheCatalog() throws IllegalAccessException {
        Set<String> defined = new TreeSet<>(KafkaSettings.PASSED_THROUGH.keySet());
        for (Class<?> type : List.of(Settings.class, S3Settings.class, OidcSettings.class, KafkaSettings.class)) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class && Modifier.isPublic(field.getModifiers())
                        && String.valueOf(field.get(null)).startsWith("teledrop.")) {
                    defined.add((String) field.get(null));
                }
            }
        }
        Set<String> catalogued = new TreeSet<>(SettingsCatalog.settings().stream().map(SettingsCatalog.Setting::key).toList());

        assertTrue(catalogued.containsAll(defined), "missing from SettingsCatalog: " + new TreeSet<>(defined) {
            {
                removeAll(catalogued);
            }
        });
    }

    /**
     * What the report shows for an unset key is what Settings.load applies: setting a key to it changes nothing
     * (for the literal defaults Settings takes from the catalog, and for those naming other keys, such as the
     * database file in the data folder, which Settings computes itself).
     */
    @Test
    void everyDefaultIsTheOneSettingsApplies() {
        Map<String, String> base = values(Settings.STORAGE_TYPE, "s3", S3Settings.BUCKET, "bucket-1",
                OidcSettings.ISSUER, "http://localhost:8180/realms/teledrop", OidcSettings.CLIENT_ID, "teledrop",
                KafkaSettings.BOOTSTRAP_SERVERS, "localhost:9092");
        int compared = 0;
        for (SettingsCatalog.Setting setting : SettingsCatalog.settings()) {
            if (setting.defaultValue() == null || setting.derived() || setting.key().equals(Settings.DATA_DIR)
                    || setting.key().equals(LogSettings.AUDIT_FILE)) {
                continue;
            }
            Map<String, String> without = new HashMap<>(base);
            without.remove(setting.key());
            String shown = find(report(without), setting.key()).value();
            Map<String, String> with = new HashMap<>(without);
            with.put(setting.key(), shown);

            assertFalse(shown.contains("${"), setting.key() + " = " + shown);
            assertEquals(Settings.load(key -> Optional.ofNullable(without.get(key))), Settings.load(key -> Optional.ofNullable(with.get(key))),
                    setting.key() + " = " + shown + " is not what Settings applies when it is unset");
            compared++;
        }
        assertTrue(compared > 40, "compared " + compared);
    }

    /** A MicroProfile Config holding {@code values} as system properties; asking for {@code broken} throws, as an unexpandable value does. */
    private static org.eclipse.microprofile.config.Config config(Map<String, String> values, String broken) {
        return (org.eclipse.microprofile.config.Config) java.lang.reflect.Proxy.newProxyInstance(SettingsCatalogTest.class.getClassLoader(),
                new Class<?>[] {org.eclipse.microprofile.config.Config.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getPropertyNames" -> values.keySet();
                    case "getConfigValue" -> {
                        String key = (String) args[0];
                        if (key.equals(broken)) {
                            throw new java.util.NoSuchElementException("SRCFG00011: Could not expand value nowhere in property " + key);
                        }
                        yield configValue(key, values.get(key));
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static org.eclipse.microprofile.config.ConfigValue configValue(String key, String value) {
        return (org.eclipse.microprofile.config.ConfigValue) java.lang.reflect.Proxy.newProxyInstance(SettingsCatalogTest.class.getClassLoader(),
                new Class<?>[] {org.eclipse.microprofile.config.ConfigValue.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> key;
                    case "getValue", "getRawValue" -> value;
                    case "getSourceName" -> value == null ? null : SYSPROP;
                    case "getSourceOrdinal" -> value == null ? 0 : 400;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aValueMicroProfileConfigCannotReadIsShownAsSuchAndTheRestIsReported() {
        List<Report> reports = SettingsCatalog.report(config(values(Settings.SLUG_LENGTH, "12", "teledrop.db.url", "jdbc:sqlite:${nowhere}"),
                "teledrop.db.url"));

        Report url = find(reports, "teledrop.db.url");
        assertTrue(url.value().startsWith("(unreadable: SRCFG00011"), url.value());
        assertEquals(Source.OTHER, url.source());
        assertTrue(url.changed());
        Report slug = find(reports, Settings.SLUG_LENGTH);
        assertEquals("12", slug.value());
        assertEquals(Source.SYSTEM_PROPERTY, slug.source());
        assertEquals(SYSPROP, slug.sourceName());
        assertTrue(slug.changed());
        assertEquals(Source.DEFAULT, find(reports, Settings.UPLOAD_MAX_FILE_SIZE).source());
    }
}

package io.teledrop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackupScheduleTest {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource(delimiter = '|', value = {
            "03:00  | daily at 03:00 UTC",
            "3:00   | daily at 03:00 UTC",
            "23:59  | daily at 23:59 UTC",
            "00:00  | daily at 00:00 UTC",
            "PT6H   | every PT6H",
            "pt6h   | every PT6H",
            "P1D    | every PT24H",
            "PT5S   | every PT5S",
            "off    | off",
            "OFF    | off",
    })
    void aScheduleIsReadFromItsThreeForms(String value, String schedule) {
        assertEquals(schedule, BackupSchedule.parse(value).toString());
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @CsvSource(delimiter = '|', value = {
            "24:00", "12:60", "3", "03:00:00", "daily", "PT4S", "PT0S", "P", "-PT1H", "PT-1H", "tomorrow", "1h",
    })
    void aBadScheduleIsRefusedSayingWhatIsAccepted(String value) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> BackupSchedule.parse(value));
        assertTrue(error.getMessage().contains("'" + value + "'") || error.getMessage().contains("at least PT5S"), error.getMessage());
    }

    @Test
    void aDailyScheduleNumbersOnePeriodPerDayStartingAtItsTime() {
        BackupSchedule daily = new BackupSchedule.Daily(LocalTime.of(3, 0));
        long before = daily.period(Instant.parse("2026-12-02T02:59:59.999Z"));
        long at = daily.period(Instant.parse("2026-12-02T03:00:00Z"));
        long evening = daily.period(Instant.parse("2026-12-02T23:00:00Z"));
        long nextNight = daily.period(Instant.parse("2026-12-03T02:59:00Z"));

        assertEquals(before + 1, at);
        assertEquals(at, evening);
        assertEquals(at, nextNight);
        assertEquals(Instant.parse("2026-12-02T03:00:00Z"), daily.due(at));
        assertEquals(Instant.parse("2026-12-03T03:00:00Z"), daily.due(at + 1));
    }

    @Test
    void anIntervalCountsFromTheEpochSoEveryServerAgrees() {
        BackupSchedule every = new BackupSchedule.Every(Duration.ofHours(6));
        long period = every.period(Instant.parse("2026-12-02T13:10:00Z"));

        assertEquals(Instant.parse("2026-12-02T12:00:00Z"), every.due(period));
        assertEquals(Instant.parse("2026-12-02T18:00:00Z"), every.due(period + 1));
        assertEquals(period + 1, every.period(Instant.parse("2026-12-02T18:00:00Z")));
        assertTrue(every.on());
        assertFalse(new BackupSchedule.Off().on());
    }

    @Test
    void theDefaultsAreDailyAtThreeKeepingSeven() {
        BackupSettings backup = load(Map.of()).backup();

        assertEquals(new BackupSchedule.Daily(LocalTime.of(3, 0)), backup.schedule());
        assertEquals(7, backup.keep());
        assertEquals("pg_dump", backup.pgDump());
        assertEquals(Optional.empty(), backup.databasePassword());
        assertEquals(new BackupSettings(new BackupSchedule.Every(Duration.ofHours(1)), 2, "/usr/lib/postgresql/16/bin/pg_dump", Optional.of("s3cret")),
                load(Map.of(BackupSettings.SCHEDULE, "PT1H", BackupSettings.KEEP, "2", BackupSettings.PG_DUMP, "/usr/lib/postgresql/16/bin/pg_dump",
                        BackupSettings.DATABASE_PASSWORD, "s3cret")).backup());
    }

    @Test
    void theDatabasePasswordIsNeverPrinted() {
        BackupSettings backup = load(Map.of(BackupSettings.DATABASE_PASSWORD, "s3cret-Pa55")).backup();

        assertFalse(backup.toString().contains("s3cret-Pa55"), backup.toString());
        assertTrue(backup.toString().contains("databasePassword=(set)"), backup.toString());
    }

    @ParameterizedTest(name = "{0} = ''{1}'' stops the start")
    @CsvSource(delimiter = '|', value = {
            "teledrop.backup.schedule | 3am",
            "teledrop.backup.schedule | PT1S",
            "teledrop.backup.keep     | 0",
            "teledrop.backup.keep     | seven",
    })
    void aBadValueNamesItsKey(String key, String value) {
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> load(Map.of(key, value)));

        assertEquals(key, error.key());
        assertTrue(error.getMessage().contains(ConfigurationException.environmentName(key)), error.getMessage());
    }

    private static Settings load(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put(Settings.DATA_DIR, "/srv/teledrop");
        return Settings.load(key -> Optional.ofNullable(all.get(key)));
    }
}

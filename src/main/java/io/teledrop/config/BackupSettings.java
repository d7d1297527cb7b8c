package io.teledrop.config;

import java.util.Optional;

/**
 * Scheduled backups; read by {@link Settings}.
 *
 * @param schedule         {@value #SCHEDULE}: when backups are due ({@link BackupSchedule})
 * @param keep             {@value #KEEP}: how many of the newest successful backups are kept; older ones are removed
 *                         after each new one succeeded
 * @param pgDump           {@value #PG_DUMP}: the {@code pg_dump} command that backs a PostgreSQL database up (a name
 *                         looked up on the {@code PATH}, or a path); its major version must be the server's or newer
 * @param databasePassword {@value #DATABASE_PASSWORD}, when set: handed to {@code pg_dump} in its environment
 *                         ({@code PGPASSWORD}), never on its command line; without it {@code pg_dump} uses libpq's own
 *                         sources ({@code ~/.pgpass}, {@code PGPASSFILE}, {@code PGPASSWORD} of the server's environment)
 */
public record BackupSettings(BackupSchedule schedule, int keep, String pgDump, Optional<String> databasePassword) {

    public static final String SCHEDULE = "teledrop.backup.schedule";
    public static final String KEEP = "teledrop.backup.keep";
    public static final String PG_DUMP = "teledrop.backup.pg-dump";
    /** The data source's password (server.xml reads it too). */
    public static final String DATABASE_PASSWORD = "teledrop.db.password";

    /** Without the password. */
    @Override
    public String toString() {
        return "BackupSettings[schedule=" + schedule + ", keep=" + keep + ", pgDump=" + pgDump
                + ", databasePassword=" + (databasePassword.isPresent() ? "(set)" : "(none)") + "]";
    }
}

package io.teledrop.config;

/**
 * Scheduled backups; read by {@link Settings}.
 *
 * @param schedule {@value #SCHEDULE}: when backups are due ({@link BackupSchedule})
 * @param keep     {@value #KEEP}: how many of the newest successful backups are kept; older ones are removed
 *                 after each new one succeeded
 */
public record BackupSettings(BackupSchedule schedule, int keep) {

    public static final String SCHEDULE = "teledrop.backup.schedule";
    public static final String KEEP = "teledrop.backup.keep";
}

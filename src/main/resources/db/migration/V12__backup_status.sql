-- Teledrop schema, version 12: the outcome of scheduled backups, shared by every server on the database, so
-- that each one's health check and metrics tell the same story whichever server ran the backup
-- (ops.ScheduledBackups). One row per task name; times are epoch milliseconds, NULL when it never happened.
-- Written to run unchanged on SQLite and PostgreSQL.

CREATE TABLE backup_status (
    name            VARCHAR(64)   NOT NULL PRIMARY KEY,
    last_success    BIGINT,
    last_backup     VARCHAR(200),
    last_failure    BIGINT,
    failure_reason  VARCHAR(1000),
    holder          VARCHAR(200)  NOT NULL
);

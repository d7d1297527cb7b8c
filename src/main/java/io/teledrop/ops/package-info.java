/**
 * Operations: health checks, metrics, the expiry sweep, reconciliation of storage with the database after crashes,
 * and online backups (SQLite copied, PostgreSQL by {@code pg_dump}; into the bucket with S3 storage), also on a schedule with
 * retention ({@code ScheduledBackups}), and the log levels every server
 * applies ({@code LogLevels}). Calls {@code drop} and {@code storage}. Start with {@code ExpirySweep} and
 * {@code Reconciliation}.
 */
package io.teledrop.ops;

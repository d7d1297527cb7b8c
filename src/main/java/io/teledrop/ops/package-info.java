/**
 * Operations: health checks, metrics, the expiry sweep, reconciliation of storage with the database after crashes,
 * online backups, and the log levels every server applies ({@code LogLevels}). Calls {@code drop} and {@code storage}. Start with {@code ExpirySweep} and
 * {@code Reconciliation}.
 */
package io.teledrop.ops;

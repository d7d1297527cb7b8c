/**
 * What only the SQLite database has: its connection settings ({@code SqliteDatabaseIT}: WAL, foreign keys, busy
 * timeout) and the online backup, which copies the database file ({@code BackupIT}, restored with
 * {@code bin/restore.sh}). Run by the default failsafe execution on {@code teledrop-it}; the PostgreSQL execution
 * leaves this package out (its counterpart there is {@code io.teledrop.it.postgresql}). Start with {@code BackupIT}.
 */
package io.teledrop.it.sqlite;

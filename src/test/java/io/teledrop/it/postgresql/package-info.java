/**
 * What only the PostgreSQL database has, run by the {@code postgresql-integration-tests} failsafe execution on
 * {@code teledrop-it-pg} (the default server's settings plus {@code teledrop.db.url} naming a PostgreSQL database, against the
 * build's own PostgreSQL from {@code bin/test-postgresql.sh}), after {@code it.http}, {@code it.upload} and
 * {@code it.server} have run there too: the data source itself ({@code PostgresqlDatabaseIT}: version,
 * isolation) and backups by {@code pg_dump}, restored into a new database ({@code PostgresqlBackupIT}). Concurrent migrations are
 * {@code io.teledrop.drop.internal.PostgresqlMigrationIT}. Start with {@code PostgresqlDatabaseIT}.
 */
package io.teledrop.it.postgresql;

#!/usr/bin/env bash
# Restores a backup. Stop the server(s) first; start afterwards: reconciliation then removes blobs the
# backup's database does not know and marks rows whose blob is missing.
#   bin/restore.sh <backup folder> <data dir>                            a SQLite backup (teledrop.db)
#   bin/restore.sh <backup folder> <data dir> <postgresql connection>   a PostgreSQL one (teledrop.pgdump)
# data dir: TELEDROP_DATA_DIR, or the server's teledrop-data; its blobs are replaced by the backup's, if it has any.
# postgresql connection: what pg_restore's --dbname takes (postgresql://user@host:5432/teledrop), an empty
# database (createdb); the password from PGPASSWORD or ~/.pgpass. Restored in one transaction: all or nothing.
set -euo pipefail
backup="${1:?backup folder}"
data="${2:?data dir}"
database="${3:-}"
# A backup is written under backups/.partial-<time> and put in place once complete: a partial one is never restored.
case "$(basename "$backup")" in
  .partial-*) echo "$backup is an incomplete backup (interrupted or failed); pick a finished one" >&2; exit 2 ;;
esac
if [ -f "$backup/teledrop.pgdump" ]; then
  [ -n "$database" ] || { echo "$backup is a PostgreSQL backup: name the database to restore into, e.g. postgresql://teledrop@db:5432/teledrop" >&2; exit 2; }
  # Into an empty database only: tables of a newer Teledrop left beside the backup's would stop its migrations.
  tables="$(psql --no-psqlrc --tuples-only --no-align --dbname "$database" \
    --command "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
  [ "$tables" = 0 ] || { echo "the database to restore into has $tables tables: restore into a new, empty one (createdb)" >&2; exit 2; }
  # --no-owner --no-privileges: the tables belong to whoever restores (Teledrop's user), whatever the dump says.
  pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname "$database" "$backup/teledrop.pgdump"
elif [ -f "$backup/teledrop.db" ]; then
  [ -z "$database" ] || { echo "$backup is a SQLite backup: it is restored into the data folder, not into a PostgreSQL database" >&2; exit 2; }
  mkdir -p "$data"
  # The old WAL and shared-memory files belong to the old database.
  rm -f "$data/teledrop.db-wal" "$data/teledrop.db-shm"
  cp "$backup/teledrop.db" "$data/teledrop.db.restoring"
  mv -f "$data/teledrop.db.restoring" "$data/teledrop.db"
else
  echo "no teledrop.db or teledrop.pgdump in $backup" >&2; exit 2
fi
if [ -d "$backup/blobs" ]; then
  mkdir -p "$data"
  rm -rf "$data/blobs.restoring"
  # Hard links again where the folders share a file system; a copy otherwise (after what the links left).
  if ! cp -al "$backup/blobs" "$data/blobs.restoring" 2>/dev/null; then
    rm -rf "$data/blobs.restoring"
    cp -a "$backup/blobs" "$data/blobs.restoring"
  fi
  rm -rf "$data/blobs"
  mv "$data/blobs.restoring" "$data/blobs"
fi
echo "restored $backup into $data${database:+ and the database named}"

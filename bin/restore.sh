#!/usr/bin/env bash
# Restores a backup into a data folder. Stop the server first; start it afterwards: reconciliation then
# removes blobs the backup's database does not know and marks rows whose blob is missing.
#   bin/restore.sh <backup folder> <data dir>      (data dir: TELEDROP_DATA_DIR, or the server's teledrop-data)
set -euo pipefail
backup="${1:?backup folder}"
data="${2:?data dir}"
# A backup is written under backups/.partial-<time> and renamed once complete: a partial one is never restored.
case "$(basename "$backup")" in
  .partial-*) echo "$backup is an incomplete backup (interrupted or failed); pick a finished one" >&2; exit 2 ;;
esac
[ -f "$backup/teledrop.db" ] || { echo "no teledrop.db in $backup" >&2; exit 2; }
mkdir -p "$data"
# The old WAL and shared-memory files belong to the old database.
rm -f "$data/teledrop.db-wal" "$data/teledrop.db-shm"
cp "$backup/teledrop.db" "$data/teledrop.db.restoring"
mv -f "$data/teledrop.db.restoring" "$data/teledrop.db"
if [ -d "$backup/blobs" ]; then
  rm -rf "$data/blobs.restoring"
  # Hard links again where the folders share a file system; a copy otherwise.
  cp -al "$backup/blobs" "$data/blobs.restoring" 2>/dev/null || cp -a "$backup/blobs" "$data/blobs.restoring"
  rm -rf "$data/blobs"
  mv "$data/blobs.restoring" "$data/blobs"
fi
echo "restored $backup into $data"

#!/usr/bin/env bash
# Online backup of a running Teledrop: the database snapshot and the blob tree (hard links) land in
# <data dir>/backups/<timestamp>/. Needs an admin API key.
#   TELEDROP_ADMIN_KEY=... bin/backup.sh [http://localhost:9080]
set -euo pipefail
url="${1:-http://localhost:9080}"
: "${TELEDROP_ADMIN_KEY:?set TELEDROP_ADMIN_KEY to an admin API key}"
curl -fsS -X POST -H "X-API-Key: ${TELEDROP_ADMIN_KEY}" "${url%/}/api/admin/backups"
echo

#!/usr/bin/env bash
# Upload and download files of growing size through a real Teledrop server started with -Xmx256m and
# print throughput and the server's resident memory, then write the figures into docs/benchmarks.md.
# Usage: bench/memory.sh [sizes in MiB, default "256 1024 4096"]
# Needs: curl, sha256sum, unzip; about 4 x the largest size of free disk under target/.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES_MIB=(${1:-256 1024 4096})
PORT=${BENCH_PORT:-9080}
BASE="http://localhost:$PORT"
WLP=target/liberty/wlp
SERVER=teledrop-bench
WORK=target/bench
DATA=$WORK/data
mkdir -p "$WORK"

echo "== building and preparing the server"
bench/bench-server.sh
rm -rf "$DATA"
export TELEDROP_DATA_DIR="$PWD/$DATA" TELEDROP_UPLOAD_MAX_FILE_SIZE=8GiB
"$WLP/bin/server" start "$SERVER" >/dev/null
trap '"$WLP/bin/server" stop "$SERVER" >/dev/null 2>&1 || true' EXIT
PID=$(cat "$WLP/usr/servers/.pid/$SERVER.pid")
for _ in $(seq 120); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/d/none")" = 404 ] && break; sleep 1; done

rss_mib() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$PID/status"; }

# Runs a command while sampling the server's RSS every 0.2 s; prints "seconds peak_rss_mib".
measure() {
  local peak_file; peak_file=$(mktemp)
  ( peak=0; while true; do r=$(rss_mib); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" > "$peak_file"; sleep 0.2; done ) &
  local sampler=$!
  local start end; start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  echo "$(echo "$end - $start" | bc) $(cat "$peak_file")"
  rm -f "$peak_file"
}

# Warm up the JIT and the pools so the first measured size is not penalised.
head -c $((16 * 1024 * 1024)) /dev/urandom > "$WORK/warm.bin"
for _ in 1 2 3; do curl -s -o /dev/null -T "$WORK/warm.bin" "$BASE/api/uploads/warm.bin"; done
IDLE=$(rss_mib)
echo "server pid $PID, heap -Xmx256m, idle RSS after warm-up ${IDLE} MiB"

ROWS=()
PEAKS=()
for mib in "${SIZES_MIB[@]}"; do
  file="$WORK/blob-$mib.bin"
  head -c $((mib * 1024 * 1024)) /dev/urandom > "$file"
  hash_start=$(date +%s.%N)
  expected=$(sha256sum "$file" | cut -d' ' -f1)
  HASH_RATE=$(echo "scale=0; $mib * 1.048576 / ($(date +%s.%N) - $hash_start)" | bc)
  sync

  read -r put_s put_peak < <(measure curl -s -o "$WORK/put.json" -T "$file" -H 'Accept: application/json' "$BASE/api/uploads/blob.bin")
  url=$(grep -o '"downloadUrl":"[^"]*"' "$WORK/put.json" | cut -d'"' -f4)
  read -r mp_s mp_peak < <(measure curl -s -o "$WORK/mp.json" -F "file=@$file" "$BASE/api/uploads")
  read -r get_s get_peak < <(measure curl -s -o /dev/null "$url")
  zip_url=$(grep -o '"zipUrl":"[^"]*"' "$WORK/put.json" | cut -d'"' -f4)
  read -r zip_s zip_peak < <(measure curl -s -o "$WORK/drop.zip" "$zip_url")
  zipped=$(unzip -p "$WORK/drop.zip" | sha256sum | cut -d' ' -f1)
  rm -f "$WORK/drop.zip"
  [ "$zipped" = "$expected" ] || { echo "ZIP content SHA-256 mismatch for $mib MiB"; exit 1; }
  # Checked apart from the timed download: sha256sum is slower than the server on these machines.
  got=$(curl -s "$url" | sha256sum | cut -d' ' -f1)
  [ "$got" = "$expected" ] || { echo "SHA-256 mismatch for $mib MiB: $got != $expected"; exit 1; }
  grep -q "\"sha256\":\"$expected\"" "$WORK/put.json" && grep -q "\"sha256\":\"$expected\"" "$WORK/mp.json" \
    || { echo "server-reported SHA-256 mismatch for $mib MiB"; exit 1; }

  rate() { echo "scale=0; $mib * 1.048576 / $1" | bc; }
  row="| $mib MiB | $(printf '%.1f' "$put_s") s, $(rate "$put_s") MB/s, RSS ≤ $put_peak MiB | $(printf '%.1f' "$mp_s") s, $(rate "$mp_s") MB/s, RSS ≤ $mp_peak MiB | $(printf '%.1f' "$get_s") s, $(rate "$get_s") MB/s, RSS ≤ $get_peak MiB | $(printf '%.1f' "$zip_s") s, $(rate "$zip_s") MB/s, RSS ≤ $zip_peak MiB |"
  echo "$row"
  ROWS+=("$row")
  PEAKS+=("$put_peak" "$mp_peak" "$get_peak" "$zip_peak")
  rm -f "$file"
  rm -rf "$DATA/blobs"/[0-9a-f][0-9a-f]
done

{
  echo "## Memory and throughput by file size"
  echo
  echo "Measured by \`bench/memory.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, Java $(java -version 2>&1 | head -1 | cut -d'"' -f2),"
  echo "Open Liberty with \`-Xmx256m\`, fsync on, SQLite + local disk; client curl on the same machine (loopback)."
  echo "RSS is the server process's resident memory, sampled every 0.2 s; idle after warm-up: ${IDLE} MiB."
  echo "Downloads go to /dev/null while timed; each is then fetched again and checked against the SHA-256 of the"
  echo "uploaded file (\`sha256sum\` hashes only ${HASH_RATE} MB/s here, slower than the download itself)."
  echo
  echo "| size | raw PUT (\`curl -T\`) | multipart POST (\`curl -F\`) | download (GET) | drop as ZIP (GET, written to disk) |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  lo=$(printf '%s\n' "${PEAKS[@]}" | sort -n | head -1); hi=$(printf '%s\n' "${PEAKS[@]}" | sort -n | tail -1)
  echo "Peak RSS across all transfers, ${SIZES_MIB[0]} MiB to ${SIZES_MIB[-1]} MiB: between $lo and $hi MiB."
  echo "Multipart and PUT take the same path (the multipart body is parsed as it streams, see README); with fsync"
  echo "on, the larger uploads are bounded by how fast the disk takes them (\`dd conv=fdatasync\` in the table above)."
} | bench/replace-section.sh bench/memory.sh docs/benchmarks.md
echo "== written docs/benchmarks.md"

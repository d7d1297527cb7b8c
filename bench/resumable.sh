#!/usr/bin/env bash
# A 2 GiB file sent resumably (tus 1.0) in 64 MiB and in 8 MiB pieces against one raw PUT of the same file,
# in one run, on local disk and on S3 (S3Proxy); the server's peak RSS during each. Writes its table into
# docs/benchmarks.md (between the bench/resumable.sh markers).
# Usage: bench/resumable.sh        (SIZE_MIB=2048, RUNS=3; fsync off, so the figures compare the protocols)
# Needs: Java 17, Maven, curl.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MIB=${SIZE_MIB:-2048}
RUNS=${RUNS:-3}
WLP=target/liberty/wlp
SERVER=teledrop-bench
W="$PWD/target/bench-resumable"
PORT=9280
S3_PORT=9296
S3_KEY=bench-s3
S3_SECRET=bench-s3-secret-0123456789
T="http://127.0.0.1:$PORT"

for tool in curl java mvn; do
  command -v "$tool" >/dev/null || { echo "bench/resumable.sh needs $tool"; exit 1; }
done

stop_all() {
  "$WLP/bin/server" stop "$SERVER" >/dev/null 2>&1 || true
  [ -f "$W/s3proxy.pid" ] && kill "$(cat "$W/s3proxy.pid")" 2>/dev/null || true
}
stop_all
rm -rf "$W"; mkdir -p "$W/s3/data/teledrop"

echo "== building the WAR and the server"
bench/bench-server.sh
printf 'http.port=%s\nhttps.port=-1\n' "$PORT" > "$WLP/usr/servers/$SERVER/bootstrap.properties"
mvn -q -B dependency:copy -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies -DoutputDirectory="$W" >/dev/null
trap stop_all EXIT
printf 's3proxy.endpoint=http://127.0.0.1:%s\ns3proxy.authorization=aws-v2-or-v4\ns3proxy.identity=%s\ns3proxy.credential=%s\njclouds.provider=filesystem\njclouds.filesystem.basedir=%s\n' \
  "$S3_PORT" "$S3_KEY" "$S3_SECRET" "$W/s3/data" > "$W/s3/s3proxy.conf"
java -Xmx256m -jar "$W/s3proxy-4.1.0-jar-with-dependencies.jar" --properties "$W/s3/s3proxy.conf" > "$W/s3/s3proxy.log" 2>&1 &
echo $! > "$W/s3proxy.pid"

FILE="$W/file.bin"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$FILE"
SIZE=$(stat -c %s "$FILE")
SHA=$(sha256sum "$FILE" | cut -c1-64)

PID=
start_teledrop() { # $1 local|s3
  "$WLP/bin/server" stop "$SERVER" >/dev/null 2>&1 || true
  rm -rf "$W/data"
  local env="$WLP/usr/servers/$SERVER/server.env"
  { echo "MALLOC_ARENA_MAX=2"; echo "TELEDROP_DATA_DIR=$W/data"; echo "TELEDROP_STORAGE_FSYNC=false"; echo "TELEDROP_UPLOAD_MAX_FILE_SIZE=16GiB"
    if [ "$1" = s3 ]; then
      echo "TELEDROP_STORAGE_TYPE=s3"; echo "TELEDROP_STORAGE_S3_ENDPOINT=http://127.0.0.1:$S3_PORT"; echo "TELEDROP_STORAGE_S3_BUCKET=teledrop"
      echo "TELEDROP_STORAGE_S3_PATH_STYLE_ACCESS=true"; echo "TELEDROP_STORAGE_S3_ACCESS_KEY=$S3_KEY"; echo "TELEDROP_STORAGE_S3_SECRET_KEY=$S3_SECRET"
    fi
  } > "$env"
  "$WLP/bin/server" start "$SERVER" >/dev/null
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$T/health/ready")" = 200 ]; do sleep 0.1; done
  PID=$(cat "$WLP/usr/servers/.pid/$SERVER.pid")
}

now() { date +%s.%N; }
# Runs "$@" while sampling the server's RSS; prints "seconds peak_rss_mib".
timed() {
  local peak_file="$W/peak"; echo 0 > "$peak_file"
  ( while kill -0 "$PID" 2>/dev/null; do
      awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$PID/status" | awk -v f="$peak_file" '{getline p < f; if ($1 > p) {print $1 > f}}'
      sleep 0.2
    done ) & local sampler=$!
  local t0; t0=$(now)
  "$@"
  local t1; t1=$(now)
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  awk -v a="$t0" -v b="$t1" -v p="$(cat "$peak_file")" 'BEGIN {printf "%.3f %d\n", b - a, p}'
}

raw_put() {
  local sha; sha=$(curl -sf -T "$FILE" -H 'Accept: application/json' "$T/api/uploads/file.bin" | grep -o '"sha256":"[^"]*"' | cut -d'"' -f4)
  [ "$sha" = "$SHA" ] || { echo "raw PUT stored $sha, not $SHA" >&2; exit 1; }
}

# The file cut into pieces of 64 and of 8 MiB beforehand (not timed), so that curl streams each piece from a
# file as it streams the whole file for the PUT: the client costs the same on both sides of the ratio.
for mib in 64 8; do
  mkdir -p "$W/pieces-$mib"
  split -b "${mib}M" -d -a 4 "$FILE" "$W/pieces-$mib/piece-"
done

# tus 1.0 in pieces of $1 MiB: creation, then one PATCH per piece, all in one curl (one connection).
resumable() {
  local location offset=0 args=() sha
  location=$(curl -sf -D - -o /dev/null -X POST -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $SIZE" "$T/api/uploads" \
    | awk 'tolower($1) == "location:" {print $2}' | tr -d '\r')
  for piece in "$W/pieces-$1"/piece-*; do
    [ ${#args[@]} -gt 0 ] && args+=(--next)
    args+=(-sf -o /dev/null -D "$W/last-headers" -X PATCH -T "$piece" -H 'Tus-Resumable: 1.0.0' -H "Upload-Offset: $offset"
      -H 'Content-Type: application/offset+octet-stream' "$location")
    offset=$(( offset + $(stat -c %s "$piece") ))
  done
  curl "${args[@]}"
  sha=$(awk 'tolower($1) == "teledrop-sha256:" {print $2}' "$W/last-headers" | tr -d '\r')
  [ "$sha" = "$SHA" ] || { echo "resumable upload in $1 MiB pieces stored $sha, not $SHA" >&2; exit 1; }
}

median() { sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
mbps() { awk -v b="$SIZE" -v s="$1" 'BEGIN {printf "%.0f", b / s / 1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

declare -A S P
for store in local s3; do
  echo "== $store"
  start_teledrop "$store"
  for kind in put r64 r8; do : > "$W/$store-$kind.times"; : > "$W/$store-$kind.rss"; done
  for run in $(seq "$RUNS"); do
    # The three alternate, so that the disk's and the page cache's moods fall on each alike.
    for kind in put r64 r8; do
      # Each transfer starts with no dirty pages of the one before: with fsync off, 2 GiB left to write back
      # would otherwise slow whichever transfer came next (untimed).
      rm -rf "$W/data/blobs"/?? 2>/dev/null || true
      sync
      case $kind in
        put) result=$(timed raw_put) ;;
        r64) result=$(timed resumable 64) ;;
        r8) result=$(timed resumable 8) ;;
      esac
      echo "$result" | awk '{print $1}' >> "$W/$store-$kind.times"
      echo "$result" | awk '{print $2}' >> "$W/$store-$kind.rss"
      echo "  $store $kind run $run: $result"
    done
  done
  for kind in put r64 r8; do
    S[$store-$kind]=$(median < "$W/$store-$kind.times")
    P[$store-$kind]=$(sort -g "$W/$store-$kind.rss" | tail -1)
  done
done

TABLE="$W/table.md"
MACHINE="$(nproc) cores ($(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, Liberty with -Xmx256m, fsync off, S3Proxy 4.1.0 (file system) with 16 MiB parts"
{
  echo "Run on $(date -u +%Y-%m-%d) on $MACHINE. A ${SIZE_MIB} MiB file from the page cache, curl on the same machine"
  echo "(\`curl -T file\` for the PUT; one curl with a \`-T piece -X PATCH\` transfer per piece, over one connection, for tus);"
  echo "each figure the median of $RUNS runs, the three kinds alternating; SHA-256 of every stored file checked."
  echo
  echo "| store | one raw \`PUT\` | tus, 64 MiB pieces | tus, 8 MiB pieces | peak RSS (PUT / 64 / 8) |"
  echo "|---|---:|---:|---:|---:|"
  for store in local s3; do
    put=$(mbps "${S[$store-put]}"); r64=$(mbps "${S[$store-r64]}"); r8=$(mbps "${S[$store-r8]}")
    echo "| $store | $put MB/s | $r64 MB/s ($(ratio "$r64" "$put")×) | $r8 MB/s ($(ratio "$r8" "$put")×) | ${P[$store-put]} / ${P[$store-r64]} / ${P[$store-r8]} MiB |"
  done
} > "$TABLE"
cat "$TABLE"
{ echo; echo "## Resumable uploads against one PUT (bench/resumable.sh)"; echo; cat "$TABLE"; echo; } \
  | bench/replace-section.sh bench/resumable.sh docs/benchmarks.md

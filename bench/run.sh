#!/usr/bin/env bash
# Teledrop against the machine's limits, side by side in one run: nginx (Debian, dav module, sendfile) and
# dd as references. Each figure is the median of RUNS runs, Teledrop and reference alternating.
# Writes its table into docs/benchmarks.md (between the bench/run.sh markers).
# Usage: bench/run.sh            (RUNS=3 BIG_MIB=2048 MEMORY_MIB=4096 by default)
# Needs: Java 17, Maven, curl, nginx, wrk (apt-get install nginx wrk); about 12 GiB free under target/.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
BIG_MIB=${BIG_MIB:-2048}
MEMORY_MIB=${MEMORY_MIB:-4096}
PARALLEL=16
PARALLEL_MIB=64
T="http://localhost:${HTTP_PORT:-9080}"   # HTTP_PORT: see bench/bench-server.sh
NGINX_PORT=${NGINX_PORT:-9091}
N="http://127.0.0.1:$NGINX_PORT"
WLP=target/liberty/wlp
SERVER=teledrop-bench
W="$PWD/target/bench-run"
DATA="$W/teledrop-data"
ROOT="$W/nginx-root"

for tool in curl nginx wrk java mvn; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool (apt-get install nginx wrk curl)"; exit 1; }
done

# A run cut short leaves its nginx: stop it by the PID it recorded, before its folder goes.
[ -f "$W/nginx.pid" ] && kill "$(cat "$W/nginx.pid")" 2>/dev/null || true
rm -rf "$W"; mkdir -p "$W/files" "$ROOT/dav" "$ROOT/static" "$ROOT/.tmp"

echo "== building the WAR and the server teledrop-bench"
bench/bench-server.sh

# --- helpers -------------------------------------------------------------------------------------------------

median() { sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.0f", b / s / 1e6}'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.3f", b - a}'; }

PID=
start_teledrop() { # $1: fsync true|false; $2: teledrop.upload.multipart, streaming (default) or container
  "$WLP/bin/server" stop "$SERVER" >/dev/null 2>&1 || true
  TELEDROP_DATA_DIR="$DATA" TELEDROP_STORAGE_FSYNC="$1" TELEDROP_UPLOAD_MAX_FILE_SIZE=16GiB \
    TELEDROP_UPLOAD_MULTIPART="${2:-streaming}" "$WLP/bin/server" start "$SERVER" >/dev/null
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$T/health/ready")" = 200 ]; do sleep 0.05; done
  PID=$(cat "$WLP/usr/servers/.pid/$SERVER.pid")
}
stop_all() {
  "$WLP/bin/server" stop "$SERVER" >/dev/null 2>&1 || true
  [ -f "$W/nginx.pid" ] && kill "$(cat "$W/nginx.pid")" 2>/dev/null || true
}
trap stop_all EXIT

cat > "$W/nginx.conf" <<EOF
user root;
worker_processes auto;
pid $W/nginx.pid;
error_log $W/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_max_body_size 0;
  client_body_temp_path $ROOT/.tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $ROOT;
    location /dav/ { dav_methods PUT DELETE; create_full_put_path on; }
  }
}
EOF
nginx -c "$W/nginx.conf"

echo "== test files"
head -c $((BIG_MIB * 1024 * 1024)) /dev/urandom > "$W/files/big.bin"
for i in $(seq 1 $PARALLEL); do head -c $((PARALLEL_MIB * 1024 * 1024)) /dev/urandom > "$W/files/p$i.bin"; done
head -c 1024 /dev/urandom > "$W/files/1k.bin"
BIG_BYTES=$(stat -c %s "$W/files/big.bin")
PARALLEL_BYTES=$((PARALLEL * PARALLEL_MIB * 1024 * 1024))
cp "$W/files/big.bin" "$ROOT/static/big.bin"
cp "$W/files/1k.bin" "$ROOT/static/1k.bin"
for i in $(seq 1 $PARALLEL); do cp "$W/files/p$i.bin" "$ROOT/static/p$i.bin"; done

# One upload with curl; prints seconds. $1 url-or-form, the rest curl options.
timed_curl() { curl -s -f -o "$W/last.json" -w '%{time_total}' "$@"; }
teledrop_delete_last() {
  local slug token
  slug=$(grep -o '"slug":"[^"]*"' "$W/last.json" | head -1 | cut -d'"' -f4)
  token=$(grep -o '"deleteToken":"[^"]*"' "$W/last.json" | cut -d'"' -f4)
  curl -s -o /dev/null -X DELETE -H "Teledrop-Delete-Token: $token" "$T/api/drops/$slug"
}

declare -A R   # results: name -> newline-separated values

add() { R[$1]+="$2"$'\n'; echo "$1 $2" >> "$W/results.txt"; }

run_uploads() { # fsync mode label
  local mode=$1
  for run in $(seq "$RUNS"); do
    echo "   upload run $run ($mode)"
    sync
    s=$(timed_curl -T "$W/files/big.bin" "$T/api/uploads/big.bin"); add "put_$mode" "$(mbps "$BIG_BYTES" "$s")"; teledrop_delete_last
    sync
    s=$(timed_curl -F "file=@$W/files/big.bin" "$T/api/uploads"); add "post_$mode" "$(mbps "$BIG_BYTES" "$s")"; teledrop_delete_last
    sync
    if [ "$mode" = fsync ]; then
      t0=$(now); dd if="$W/files/big.bin" of="$ROOT/dd.bin" bs=1M conv=fdatasync status=none; s=$(elapsed "$t0")
      add dd "$(mbps "$BIG_BYTES" "$s")"; rm -f "$ROOT/dd.bin"
    else
      s=$(curl -s -f -o /dev/null -w '%{time_total}' -T "$W/files/big.bin" "$N/dav/big.bin"); add nginx_put "$(mbps "$BIG_BYTES" "$s")"
      rm -f "$ROOT/dav/big.bin"
    fi
  done
}

# --- 1. large uploads, durability on: Teledrop vs dd conv=fdatasync --------------------------------------------
echo "== start-up and large uploads with fsync on"
rm -rf "$DATA"
start_teledrop true
curl -s -o /dev/null -T "$W/files/1k.bin" "$T/api/uploads/warm.bin"
for _ in 1 2 3; do curl -s -o "$W/last.json" -T "$W/files/p1.bin" "$T/api/uploads/warm.bin"; teledrop_delete_last; done
run_uploads fsync

# --- 5. memory: peak RSS during a MEMORY_MIB upload (fsync on, -Xmx256m) ---------------------------------------
echo "== memory during a $MEMORY_MIB MiB upload"
rss_peak_during() { # runs "$@" while sampling VmRSS; prints the peak in MiB
  local peak_file; peak_file=$(mktemp); echo 0 > "$peak_file"
  ( peak=0; while kill -0 "$PID" 2>/dev/null; do r=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$PID/status"); [ "$r" -gt "$peak" ] && peak=$r && echo $peak > "$peak_file"; sleep 0.1; done ) &
  local sampler=$!
  "$@" >/dev/null
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  cat "$peak_file"; rm -f "$peak_file"
}
# Heap in use, summed over the generations of whichever collector runs (G1: one line; parallel: young + old).
heap_used_mib() { jcmd "$PID" GC.heap_info 2>/dev/null | awk '/garbage-first heap|PSYoungGen|ParOldGen|def new generation|tenured generation/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K,?","",v); k+=v}} END {print int(k/1024)}'; }
RSS_SMALL=$(rss_peak_during curl -s -o "$W/last.json" -T "$W/files/p1.bin" "$T/api/uploads/p1.bin"); teledrop_delete_last
cat "$W/files/big.bin" "$W/files/big.bin" > "$W/files/huge.bin"
truncate -s $((MEMORY_MIB * 1024 * 1024)) "$W/files/huge.bin"
HEAP_BEFORE=$(heap_used_mib)
RSS_BIG=$(rss_peak_during curl -s -o "$W/last.json" -T "$W/files/huge.bin" "$T/api/uploads/huge.bin")
HEAP_AFTER=$(heap_used_mib)
teledrop_delete_last
rm -f "$W/files/huge.bin"

# --- 1 (cont.). large uploads with fsync off: Teledrop vs nginx PUT ---------------------------------------------
echo "== large uploads with fsync off"
start_teledrop false
for _ in 1 2 3; do curl -s -o "$W/last.json" -T "$W/files/p1.bin" "$T/api/uploads/warm.bin"; teledrop_delete_last; done
run_uploads nofsync

# --- 1 (cont.). multipart parsed by the container (teledrop.upload.multipart=container), fsync off ----------------
echo "== multipart uploads parsed by the container"
start_teledrop false container
for _ in 1 2 3; do curl -s -o "$W/last.json" -F "file=@$W/files/p1.bin" "$T/api/uploads"; teledrop_delete_last; done
for run in $(seq "$RUNS"); do
  echo "   container multipart run $run"
  sync
  s=$(timed_curl -F "file=@$W/files/big.bin" "$T/api/uploads"); add post_container "$(mbps "$BIG_BYTES" "$s")"; teledrop_delete_last
  sync
  s=$(curl -s -f -o /dev/null -w '%{time_total}' -T "$W/files/big.bin" "$N/dav/big.bin"); add nginx_put "$(mbps "$BIG_BYTES" "$s")"
  rm -f "$ROOT/dav/big.bin"
done
start_teledrop false

# --- 2. large download: Teledrop vs nginx static (sendfile), both from page cache -------------------------------
echo "== large downloads"
curl -s -o "$W/big.json" -T "$W/files/big.bin" "$T/api/uploads/big.bin"
BIG_URL=$(grep -o '"downloadUrl":"[^"]*"' "$W/big.json" | cut -d'"' -f4)
curl -s -o /dev/null "$BIG_URL"; curl -s -o /dev/null "$N/static/big.bin"   # into page cache
for run in $(seq "$RUNS"); do
  s=$(curl -s -f -o /dev/null -w '%{time_total}' "$BIG_URL"); add get "$(mbps "$BIG_BYTES" "$s")"
  s=$(curl -s -f -o /dev/null -w '%{time_total}' "$N/static/big.bin"); add nginx_get "$(mbps "$BIG_BYTES" "$s")"
done

# --- 3. 16 parallel uploads and downloads of 64 MiB -----------------------------------------------------------
echo "== $PARALLEL parallel transfers of $PARALLEL_MIB MiB"
: > "$W/parallel-urls.txt"
for i in $(seq 1 $PARALLEL); do
  curl -s -o "$W/p$i.json" -T "$W/files/p$i.bin" "$T/api/uploads/p$i.bin"
  grep -o '"downloadUrl":"[^"]*"' "$W/p$i.json" | cut -d'"' -f4 >> "$W/parallel-urls.txt"
done
parallel_seconds() { # $1: a command template with {} for 1..16
  local t0; t0=$(now)
  seq 1 $PARALLEL | xargs -P $PARALLEL -I{} sh -c "$1"
  elapsed "$t0"
}
for run in $(seq "$RUNS"); do
  s=$(parallel_seconds "curl -s -f -o $W/pu{}.json -T $W/files/p{}.bin $T/api/uploads/p{}.bin"); add par_put "$(mbps $PARALLEL_BYTES "$s")"
  s=$(parallel_seconds "curl -s -f -o /dev/null -T $W/files/p{}.bin $N/dav/p{}.bin"); add nginx_par_put "$(mbps $PARALLEL_BYTES "$s")"
  s=$(parallel_seconds "curl -s -f -o /dev/null \$(sed -n {}p $W/parallel-urls.txt)"); add par_get "$(mbps $PARALLEL_BYTES "$s")"
  s=$(parallel_seconds "curl -s -f -o /dev/null $N/static/p{}.bin"); add nginx_par_get "$(mbps $PARALLEL_BYTES "$s")"
  for i in $(seq 1 $PARALLEL); do cp "$W/pu$i.json" "$W/last.json"; teledrop_delete_last; done
  rm -f "$ROOT"/dav/p*.bin
done

# --- 4. small requests, 64 connections: metadata, the text list and a 1 KiB download against Liberty serving a
# static file of the same WAR through the same filters (resources/teledrop/live.js, 1,075 bytes), and nginx --------
echo "== small requests (wrk, 64 connections, 5 s)"
curl -s -o "$W/small.json" -T "$W/files/1k.bin" "$T/api/uploads/1k.bin"
SMALL_SLUG=$(grep -o '"slug":"[^"]*"' "$W/small.json" | head -1 | cut -d'"' -f4)
SMALL_URL=$(grep -o '"downloadUrl":"[^"]*"' "$W/small.json" | cut -d'"' -f4)
STATIC_URL="$T/resources/teledrop/live.js"
rps() { wrk -t2 -c64 -d5s "$@" 2>/dev/null | awk '/Requests\/sec/ {printf "%.0f", $2}'; }
# Warm-up until the JIT has compiled each request path (the first seconds run at a quarter of the speed).
for url in "$STATIC_URL" "$T/api/drops/$SMALL_SLUG" "$T/d/$SMALL_SLUG" "$SMALL_URL"; do
  wrk -t2 -c64 -d20s -H 'Accept: application/json' "$url" >/dev/null 2>&1
done
for run in $(seq "$RUNS"); do
  add liberty_static "$(rps "$STATIC_URL")"
  add meta "$(rps -H 'Accept: application/json' "$T/api/drops/$SMALL_SLUG")"
  add listing "$(rps "$T/d/$SMALL_SLUG")"
  add small_get "$(rps "$SMALL_URL")"
  add nginx_small "$(rps "$N/static/1k.bin")"
done

# --- 5b. 64 uploads and 64 downloads of 64 MiB at once (-Xmx256m): no error, peak RSS -------------------------
echo "== 64 uploads and 64 downloads of $PARALLEL_MIB MiB at once"
MIXED=64
: > "$W/mixed-urls.txt"
for i in $(seq 1 $PARALLEL); do
  curl -s -o "$W/m$i.json" -T "$W/files/p$i.bin" "$T/api/uploads/p$i.bin"
  grep -o '"downloadUrl":"[^"]*"' "$W/m$i.json" | cut -d'"' -f4 >> "$W/mixed-urls.txt"
done
mixed() { # 64 uploads (each of the 16 files four times) and 64 downloads (each drop four times), all at once
  seq 1 $((2 * MIXED)) | xargs -P $((2 * MIXED)) -I{} sh -c '
    n={}; f=$(( (n - 1) % '"$PARALLEL"' + 1 ))
    if [ "$n" -le '"$MIXED"' ]; then curl -s -f -o "'"$W"'/mu$n.json" -T "'"$W"'/files/p$f.bin" "'"$T"'/api/uploads/p$f.bin" || echo "upload $n failed" >> "'"$W"'/mixed-errors.txt"
    else curl -s -f -o /dev/null "$(sed -n ${f}p "'"$W"'/mixed-urls.txt")" || echo "download $n failed" >> "'"$W"'/mixed-errors.txt"; fi'
}
: > "$W/mixed-errors.txt"
t0=$(now)
RSS_MIXED=$(rss_peak_during mixed)
MIXED_SECONDS=$(elapsed "$t0")
MIXED_ERRORS=$(wc -l < "$W/mixed-errors.txt")
# Every upload stored exactly the bytes sent.
for n in $(seq 1 $MIXED); do
  f=$(( (n - 1) % PARALLEL + 1 ))
  [ -s "$W/mu$n.json" ] && grep -q "\"sha256\":\"$(sha256sum "$W/files/p$f.bin" | cut -d' ' -f1)\"" "$W/mu$n.json" || { echo "upload $n: wrong or no SHA-256" >> "$W/mixed-errors.txt"; }
done
MIXED_ERRORS=$(wc -l < "$W/mixed-errors.txt")
MIXED_MBPS=$(mbps $((2 * MIXED * PARALLEL_MIB * 1024 * 1024)) "$MIXED_SECONDS")
for n in $(seq 1 $MIXED); do [ -s "$W/mu$n.json" ] && { cp "$W/mu$n.json" "$W/last.json"; teledrop_delete_last; }; done

# --- 6. start-up to ready: bench/startup.sh, restarts of the same server (workarea kept, database migrated) ----
echo "== start-up to ready"
stop_all
STARTUP_RUNS=${STARTUP_RUNS:-5}
BUILD=0 bench/startup.sh "$STARTUP_RUNS" | tee "$W/startup.txt"
STARTUP_LINE=$(grep '^median ' "$W/startup.txt")
STARTUP=$(awk '{print $3}' <<< "$STARTUP_LINE")
STARTUP_ALL=$(sed 's/.*(\(.*\) s), CPU.*/\1/' <<< "$STARTUP_LINE")

echo "== SHA-256 alone"
SHA_MBPS=$(java bench/Sha256Speed.java 1024)

# --- report ----------------------------------------------------------------------------------------------------
m() { printf '%s' "${R[$1]}" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN {print (r >= t) ? "yes" : "**no**"}'; }
row() { # label teledrop reference unit target
  local r; r=$(ratio "$2" "$3")
  echo "| $1 | $2 $4 | $3 $4 | $r | ≥ $5 | $(verdict "$r" "$5") |"
}
TABLE=$(cat <<EOF
| Benchmark | Teledrop | Reference | Ratio | Target | Met |
|---|---:|---:|---:|---:|---|
$(row "$BIG_MIB MiB upload, raw PUT, fsync on (vs \`dd conv=fdatasync\`)" "$(m put_fsync)" "$(m dd)" MB/s 0.9)
$(row "$BIG_MIB MiB upload, multipart POST, fsync on (vs \`dd conv=fdatasync\`)" "$(m post_fsync)" "$(m dd)" MB/s 0.9)
$(row "$BIG_MIB MiB upload, raw PUT, fsync off (vs nginx PUT)" "$(m put_nofsync)" "$(m nginx_put)" MB/s 0.8)
$(row "$BIG_MIB MiB upload, multipart POST, fsync off (vs nginx PUT)" "$(m post_nofsync)" "$(m nginx_put)" MB/s 0.8)
$(row "$BIG_MIB MiB upload, multipart POST parsed by the container (\`teledrop.upload.multipart=container\`), fsync off (vs nginx PUT)" "$(m post_container)" "$(m nginx_put)" MB/s 0.3)
$(row "$BIG_MIB MiB download (vs nginx sendfile)" "$(m get)" "$(m nginx_get)" MB/s 0.8)
$(row "$PARALLEL × $PARALLEL_MIB MiB parallel uploads, fsync off (vs nginx PUT)" "$(m par_put)" "$(m nginx_par_put)" MB/s 0.8)
$(row "$PARALLEL × $PARALLEL_MIB MiB parallel downloads (vs nginx)" "$(m par_get)" "$(m nginx_par_get)" MB/s 0.8)
$(row "drop metadata \`GET /api/drops/{slug}\`, 64 connections (vs Liberty static 1 KiB)" "$(m meta)" "$(m liberty_static)" req/s 0.6)
$(row "the text list \`GET /d/{slug}\`, 64 connections (vs Liberty static 1 KiB)" "$(m listing)" "$(m liberty_static)" req/s 0.6)
$(row "1 KiB download, 64 connections (vs Liberty static 1 KiB)" "$(m small_get)" "$(m liberty_static)" req/s 0.6)
$(row "Liberty static 1 KiB through Teledrop's filters, for scale (vs nginx 1 KiB)" "$(m liberty_static)" "$(m nginx_small)" req/s 0)

| Memory and start-up | Measured | Target | Met |
|---|---:|---:|---|
| peak RSS of the JVM during a $MEMORY_MIB MiB upload (\`-Xmx256m\`) | $RSS_BIG MiB | < 400 MiB | $(awk -v v="$RSS_BIG" 'BEGIN {print (v < 400) ? "yes" : "**no**"}') |
| peak RSS during a $PARALLEL_MIB MiB upload, for comparison | $RSS_SMALL MiB | | |
| $MIXED uploads and $MIXED downloads of $PARALLEL_MIB MiB at once: peak RSS ($MIXED_MBPS MB/s in all, $MIXED_ERRORS errors) | $RSS_MIXED MiB | < 450 MiB, 0 errors | $(awk -v v="$RSS_MIXED" -v e="$MIXED_ERRORS" 'BEGIN {print (v < 450 && e == 0) ? "yes" : "**no**"}') |
| heap used before / after the $MEMORY_MIB MiB upload | $HEAP_BEFORE / $HEAP_AFTER MiB | flat | |
| SHA-256 alone, one core, 64 KiB chunks (\`bench/Sha256Speed.java\`) | $SHA_MBPS MB/s | | |
| start-up to \`/health/ready\`, a restart (\`bench/startup.sh\`, median of $STARTUP_RUNS: $STARTUP_ALL s) | $STARTUP s | < 5 s | $(awk -v v="$STARTUP" 'BEGIN {print (v < 5) ? "yes" : "**no**"}') |
EOF
)
MACHINE="$(nproc) cores ($(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(stat -f -c %T "$W") file system, Linux $(uname -r); Java $(java -version 2>&1 | head -1 | cut -d'"' -f2), Open Liberty $(ls ~/.m2/repository/io/openliberty/openliberty-runtime/ | tail -1) with \`-Xmx256m\`, $(nginx -v 2>&1 | cut -d/ -f2 | sed 's/^/nginx /'), $( (wrk -v 2>&1 || true) | head -1 | awk '{print $1, $2}')"
SECTION=$(cat <<EOF
## Against the physical limit (\`bench/run.sh\`)

Run on $(date -u +%Y-%m-%d) on $MACHINE. Client curl/wrk on the same machine (loopback), both servers
reading and writing the same file system. Each figure is the median of $RUNS runs, Teledrop and reference
alternating; uploads go to disk (Teledrop: blob store, SQLite commit; nginx: dav module), downloads come
from the page cache.

$TABLE
EOF
)
echo; echo "$SECTION"

echo "$SECTION" | bench/replace-section.sh bench/run.sh docs/benchmarks.md
echo "== written docs/benchmarks.md"

# S3 through Teledrop against the SDK straight to the bucket (issue 20), on the server built above.
echo "== S3 (bench/s3.sh)"
stop_all
SKIP_BUILD=1 bench/s3.sh

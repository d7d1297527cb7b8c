#!/usr/bin/env bash
# Teledrop on PostgreSQL against SQLite on one server, and one server against three behind nginx, side by side
# in one run (docs/cluster.md). Writes its table into docs/benchmarks.md (between the bench/cluster.sh markers).
# Usage: bench/cluster.sh        (DURATION=10 seconds per wrk run, after WARMUP=20 seconds of the same load)
# Needs: Java 17, Maven, curl, nginx, wrk, Debian's postgresql (bin/test-prerequisites.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-20}
WLP=target/liberty/wlp
W="$PWD/target/bench-cluster"
LB_PORT=9190
NODE_PORTS=(9191 9192 9193)
PG_PORT=9195
S3_PORT=9196
PG_PASSWORD=bench-postgres-secret
S3_KEY=bench-s3
S3_SECRET=bench-s3-secret-0123456789
TOKEN_SECRET=bench-cluster-token-secret-0123456789abcdef

for tool in curl nginx wrk java mvn; do
  command -v "$tool" >/dev/null || { echo "bench/cluster.sh needs $tool (apt-get install nginx wrk curl)"; exit 1; }
done

stop_all() {
  for i in 1 2 3; do "$WLP/bin/server" stop "bench-node-$i" >/dev/null 2>&1 || true; done
  [ -f "$W/nginx/nginx.pid" ] && kill "$(cat "$W/nginx/nginx.pid")" 2>/dev/null || true
  [ -f "$W/s3proxy.pid" ] && kill "$(cat "$W/s3proxy.pid")" 2>/dev/null || true
  bash bin/test-postgresql.sh stop "$W/postgres" >/dev/null 2>&1 || true
}
stop_all
rm -rf "$W"; mkdir -p "$W/nginx/tmp" "$W/s3/data/teledrop"

echo "== building the WAR and the servers"
bench/bench-server.sh
mvn -q -B dependency:copy -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies -DoutputDirectory="$W" >/dev/null
for i in 1 2 3; do
  rm -rf "$WLP/usr/servers/bench-node-$i"
  cp -r "$WLP/usr/servers/teledrop-bench" "$WLP/usr/servers/bench-node-$i"
  rm -rf "$WLP/usr/servers/bench-node-$i/logs" "$WLP/usr/servers/bench-node-$i/workarea" "$WLP/usr/servers/bench-node-$i/teledrop-data"
  printf 'http.port=%s\nhttps.port=-1\n' "${NODE_PORTS[$((i - 1))]}" > "$WLP/usr/servers/bench-node-$i/bootstrap.properties"
done
trap stop_all EXIT

bash bin/test-postgresql.sh start "$W/postgres" "$PG_PORT" teledrop "$PG_PASSWORD" teledrop
printf 's3proxy.endpoint=http://127.0.0.1:%s\ns3proxy.authorization=aws-v2-or-v4\ns3proxy.identity=%s\ns3proxy.credential=%s\njclouds.provider=filesystem\njclouds.filesystem.basedir=%s\n' \
  "$S3_PORT" "$S3_KEY" "$S3_SECRET" "$W/s3/data" > "$W/s3/s3proxy.conf"
java -Xmx256m -jar "$W/s3proxy-4.1.0-jar-with-dependencies.jar" --properties "$W/s3/s3proxy.conf" > "$W/s3/s3proxy.log" 2>&1 &
echo $! > "$W/s3proxy.pid"

upstreams=""; for p in "${NODE_PORTS[@]}"; do upstreams+="server 127.0.0.1:$p;"; done
cat > "$W/nginx/nginx.conf" <<EOF
user root;
worker_processes 2;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $W/nginx/tmp;
  upstream one { server 127.0.0.1:${NODE_PORTS[0]}; keepalive 64; }
  upstream three { $upstreams keepalive 64; }
  server {
    listen 127.0.0.1:$LB_PORT;
    client_max_body_size 0; proxy_request_buffering off; proxy_buffering off; proxy_http_version 1.1;
    location /one/ { proxy_pass http://one/; proxy_set_header Host \$http_host; proxy_set_header Connection ""; }
    location /three/ { proxy_pass http://three/; proxy_set_header Host \$http_host; proxy_set_header Connection ""; }
  }
}
EOF
nginx -c "$W/nginx/nginx.conf"

# $1 node number; $2 sqlite|postgresql; $3 local|s3. Starts it and waits until it is ready.
start_node() {
  local env="$WLP/usr/servers/bench-node-$1/server.env"
  { echo "MALLOC_ARENA_MAX=2"
    echo "TELEDROP_DATA_DIR=$W/node-$1"
    echo "TELEDROP_AUTH_TOKEN_SECRET=$TOKEN_SECRET"
    echo "TELEDROP_STORAGE_FSYNC=false"
    if [ "$2" = postgresql ]; then
      echo "TELEDROP_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/teledrop"; echo "TELEDROP_DB_USER=teledrop"; echo "TELEDROP_DB_PASSWORD=$PG_PASSWORD"
    fi
    if [ "$3" = s3 ]; then
      echo "TELEDROP_STORAGE_TYPE=s3"; echo "TELEDROP_STORAGE_S3_ENDPOINT=http://127.0.0.1:$S3_PORT"; echo "TELEDROP_STORAGE_S3_BUCKET=teledrop"
      echo "TELEDROP_STORAGE_S3_PATH_STYLE_ACCESS=true"; echo "TELEDROP_STORAGE_S3_ACCESS_KEY=$S3_KEY"; echo "TELEDROP_STORAGE_S3_SECRET_KEY=$S3_SECRET"
    fi
  } > "$env"
  "$WLP/bin/server" start "bench-node-$1" >/dev/null
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${NODE_PORTS[$(($1 - 1))]}/health/ready")" = 200 ]; do sleep 0.2; done
}
stop_node() { "$WLP/bin/server" stop "bench-node-$1" >/dev/null; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$(cat "$WLP/usr/servers/.pid/bench-node-$1.pid")/status"; }

rps() { wrk -t2 -c64 -d"${DURATION}s" "$@" 2>/dev/null | awk '/Requests\/sec/ {printf "%.0f", $2}'; }
printf 'wrk.method = "PUT"\nwrk.body = string.rep("t", 65536)\n' > "$W/put64k.lua"

declare -A R
# $1 label; $2 base URL. Metadata reads of one drop, and 64 KiB uploads (each a new drop).
measure() {
  local slug
  slug=$(curl -s -T "$W/put64k.lua" "$2/api/uploads/probe.txt" | grep -o '"slug":"[^"]*"' | cut -d'"' -f4)
  # The JIT needs about 20 s of this load before the figure settles (5 s after start-up: ~400 req/s, ~3,700 later).
  wrk -t2 -c64 -d"${WARMUP}s" -H 'Accept: application/json' "$2/api/drops/$slug" >/dev/null 2>&1
  R[$1-read]=$(rps -H 'Accept: application/json' "$2/api/drops/$slug")
  wrk -t2 -c16 -d"$((WARMUP / 2))s" -s "$W/put64k.lua" "$2/api/uploads/warm.bin" >/dev/null 2>&1
  R[$1-upload]=$(rps -s "$W/put64k.lua" "$2/api/uploads/load.bin")
  echo "  $1: ${R[$1-read]} reads/s, ${R[$1-upload]} uploads/s"
}

echo "== one server, SQLite and local disk"
start_node 1 sqlite local; R[idle-sqlite]=$(rss_mib 1)
measure sqlite "http://127.0.0.1:${NODE_PORTS[0]}"; stop_node 1
echo "== one server, PostgreSQL and local disk"
start_node 1 postgresql local; R[idle-pg]=$(rss_mib 1)
measure pg "http://127.0.0.1:${NODE_PORTS[0]}"; stop_node 1
echo "== PostgreSQL and S3: one server behind nginx, then three"
for i in 1 2 3; do start_node "$i" postgresql s3; done
R[idle-nodes]="$(rss_mib 1) / $(rss_mib 2) / $(rss_mib 3)"
measure one "http://127.0.0.1:$LB_PORT/one"
measure three "http://127.0.0.1:$LB_PORT/three"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
MACHINE="$(nproc) cores ($(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM; PostgreSQL $(ls /usr/lib/postgresql | sort -n | tail -1) (fsync off, as the tests run it), S3Proxy 4.1.0 (file system), $(nginx -v 2>&1 | cut -d/ -f2 | sed 's/^/nginx /'), each Liberty server -Xmx256m"
TABLE="$W/table.md"
cat > "$TABLE" <<EOF
Run on $(date -u +%Y-%m-%d) on $MACHINE. wrk with 64 connections for $DURATION s per figure after $WARMUP s of warm-up, client, balancer,
database, S3Proxy and servers all on this one machine.

| | reads/s (\`GET /api/drops/{slug}\`) | 64 KiB uploads/s (\`PUT\`) |
|---|---|---|
| one server, SQLite, local disk | ${R[sqlite-read]} | ${R[sqlite-upload]} |
| one server, PostgreSQL, local disk | ${R[pg-read]} ($(ratio "${R[pg-read]}" "${R[sqlite-read]}")×) | ${R[pg-upload]} ($(ratio "${R[pg-upload]}" "${R[sqlite-upload]}")×) |
| one server behind nginx, PostgreSQL, S3 | ${R[one-read]} | ${R[one-upload]} |
| three servers behind nginx, PostgreSQL, S3 | ${R[three-read]} ($(ratio "${R[three-read]}" "${R[one-read]}")×) | ${R[three-upload]} ($(ratio "${R[three-upload]}" "${R[one-upload]}")×) |

Idle resident memory after start-up: ${R[idle-sqlite]} MiB (SQLite), ${R[idle-pg]} MiB (PostgreSQL), ${R[idle-nodes]} MiB
(the three cluster servers).
EOF
cat "$TABLE"
{ echo; echo "## PostgreSQL, and three servers behind nginx (bench/cluster.sh)"; echo; cat "$TABLE"; echo; } \
  | bench/replace-section.sh bench/cluster.sh docs/benchmarks.md

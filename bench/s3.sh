#!/usr/bin/env bash
# A file uploaded to and downloaded from S3 (S3Proxy, the version the build uses) through Teledrop, against the
# AWS SDK v2 transfer manager moving the same file straight to and from the same S3Proxy (bench/S3Direct.java),
# in one run, alternating; medians of RUNS. Writes its table into docs/benchmarks.md (bench/s3.sh markers).
# Usage: bench/s3.sh     (SIZE_MIB=2048 RUNS=3 HTTP_PORT=9380 S3_PORT=9396 PART_MIB=16; UPLOAD_CONCURRENCY
#                         unset = Teledrop's default; SKIP_BUILD=1 reuses the built WAR and server)
# Needs: Java 17, Maven (the SDK's transfer manager and Netty client come from Maven Central into ~/.m2;
# the build itself never needs them), curl.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MIB=${SIZE_MIB:-2048}
RUNS=${RUNS:-3}
PORT=${HTTP_PORT:-9380}
S3_PORT=${S3_PORT:-9396}
PART_MIB=${PART_MIB:-16}
WLP=target/liberty/wlp
SERVER=teledrop-bench
W="$PWD/target/bench-s3"
S3_KEY=bench-s3
S3_SECRET=bench-s3-secret-0123456789
S3="http://127.0.0.1:$S3_PORT"
T="http://127.0.0.1:$PORT"
SDK_VERSION=$(ls ~/.m2/repository/software/amazon/awssdk/s3/ | sort -V | tail -1)

for tool in curl java mvn sha256sum; do
  command -v "$tool" >/dev/null || { echo "bench/s3.sh needs $tool"; exit 1; }
done

S3PROXY_PID=
stop_all() {
  "$WLP/bin/server" stop "$SERVER" >/dev/null 2>&1 || true
  if [ -n "$S3PROXY_PID" ]; then kill "$S3PROXY_PID" 2>/dev/null || true; fi
}
rm -rf "$W"; mkdir -p "$W/s3/data/teledrop" "$W/sdk"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== building the WAR and the server"
  bench/bench-server.sh
fi
printf 'http.port=%s\nhttps.port=-1\n' "$PORT" > "$WLP/usr/servers/$SERVER/bootstrap.properties"
# bench-server.sh names its ports in a config dropin, which outranks bootstrap.properties: name this one there too.
sed -i "s#name=\"http.port\" value=\"[0-9]*\"#name=\"http.port\" value=\"$PORT\"#" "$WLP/usr/servers/$SERVER/configDropins/overrides/teledrop-app.xml"

echo "== the SDK's transfer manager for the reference (Maven Central, not part of the build)"
cat > "$W/sdk/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>s3-direct</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>software.amazon.awssdk</groupId><artifactId>s3-transfer-manager</artifactId><version>$SDK_VERSION</version></dependency>
    <dependency><groupId>software.amazon.awssdk</groupId><artifactId>netty-nio-client</artifactId><version>$SDK_VERSION</version></dependency>
  </dependencies>
</project>
POM
mvn -q -B -f "$W/sdk/pom.xml" dependency:build-classpath -Dmdep.outputFile="$W/sdk/classpath" >/dev/null
CP=$(cat "$W/sdk/classpath")
mvn -q -B dependency:copy -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies -DoutputDirectory="$W" >/dev/null

trap stop_all EXIT
printf 's3proxy.endpoint=%s\ns3proxy.authorization=aws-v2-or-v4\ns3proxy.identity=%s\ns3proxy.credential=%s\njclouds.provider=filesystem\njclouds.filesystem.basedir=%s\n' \
  "$S3" "$S3_KEY" "$S3_SECRET" "$W/s3/data" > "$W/s3/s3proxy.conf"
java -Xmx512m -jar "$W/s3proxy-4.1.0-jar-with-dependencies.jar" --properties "$W/s3/s3proxy.conf" > "$W/s3/s3proxy.log" 2>&1 &
S3PROXY_PID=$!
until curl -s -o /dev/null "$S3/"; do sleep 0.2; done

FILE="$W/file.bin"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$FILE"
SIZE=$(stat -c %s "$FILE")
SHA=$(sha256sum "$FILE" | cut -c1-64)

"$WLP/bin/server" stop "$SERVER" >/dev/null 2>&1 || true
{ echo "MALLOC_ARENA_MAX=2"; echo "TELEDROP_DATA_DIR=$W/data"; echo "TELEDROP_UPLOAD_MAX_FILE_SIZE=16GiB"
  echo "TELEDROP_STORAGE_TYPE=s3"; echo "TELEDROP_STORAGE_S3_ENDPOINT=$S3"; echo "TELEDROP_STORAGE_S3_BUCKET=teledrop"
  echo "TELEDROP_STORAGE_S3_PATH_STYLE_ACCESS=true"; echo "TELEDROP_STORAGE_S3_ACCESS_KEY=$S3_KEY"; echo "TELEDROP_STORAGE_S3_SECRET_KEY=$S3_SECRET"
  echo "TELEDROP_STORAGE_S3_PART_SIZE=${PART_MIB}MiB"
  if [ -n "${UPLOAD_CONCURRENCY:-}" ]; then echo "TELEDROP_STORAGE_S3_UPLOAD_CONCURRENCY=$UPLOAD_CONCURRENCY"; fi
} > "$WLP/usr/servers/$SERVER/server.env"
"$WLP/bin/server" start "$SERVER" >/dev/null
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$T/health/ready")" = 200 ]; do sleep 0.2; done
PID=$(cat "$WLP/usr/servers/.pid/$SERVER.pid")

now() { date +%s.%N; }
# Runs "$@" while sampling the server's RSS; prints "seconds peak_rss_mib".
timed() {
  local peak_file="$W/peak"; echo 0 > "$peak_file"
  ( while kill -0 "$PID" 2>/dev/null; do
      awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$PID/status" | awk -v f="$peak_file" '{getline p < f; if ($1 > p) {print $1 > f}}'
      sleep 0.2
    done ) & local sampler=$!
  local t0; t0=$(now)
  "$@" > /dev/null
  local t1; t1=$(now)
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  awk -v a="$t0" -v b="$t1" -v p="$(cat "$peak_file")" 'BEGIN {printf "%.3f %d\n", b - a, p}'
}

FILE_URL=
teledrop_upload() {
  local answer sha
  answer=$(curl -sf -T "$FILE" -H 'Accept: application/json' "$T/api/uploads/file.bin")
  sha=$(echo "$answer" | grep -o '"sha256":"[^"]*"' | cut -d'"' -f4)
  [ "$sha" = "$SHA" ] || { echo "Teledrop stored $sha, not $SHA" >&2; exit 1; }
  FILE_URL=$(echo "$answer" | grep -o '"downloadUrl":"[^"]*"' | cut -d'"' -f4)
  echo "$FILE_URL" > "$W/file-url"
}
teledrop_download() { curl -sf -o /dev/null "$(cat "$W/file-url")"; }
sdk_upload() { java -cp "$CP" bench/S3Direct.java upload "$S3" teledrop "direct/file.bin" "$FILE" "$S3_KEY" "$S3_SECRET" "$PART_MIB"; }
sdk_download() { java -cp "$CP" bench/S3Direct.java download "$S3" teledrop "direct/file.bin" "$W/sdk-download.bin" "$S3_KEY" "$S3_SECRET" "$PART_MIB"; }
# The SDK's own figure excludes the JVM's start (compiling S3Direct.java, loading the SDK): it times the transfer only.
sdk_timed() { local secs; secs=$("$@" | tail -1); echo "$secs 0"; }

median() { sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
mbps() { awk -v b="$SIZE" -v s="$1" 'BEGIN {printf "%.0f", b / s / 1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

for kind in tu td su sd; do : > "$W/$kind.times"; : > "$W/$kind.rss"; done
# Warm-up (untimed): the JIT, connection pools, S3Proxy's first bucket writes.
teledrop_upload; teledrop_download; sdk_upload > /dev/null
for run in $(seq "$RUNS"); do
  for kind in tu su td sd; do
    sync
    case $kind in
      tu) result=$(timed teledrop_upload) ;;
      su) result=$(sdk_timed sdk_upload) ;;
      td) result=$(timed teledrop_download) ;;
      sd) result=$(sdk_timed sdk_download) ;;
    esac
    echo "$result" | awk '{print $1}' >> "$W/$kind.times"
    echo "$result" | awk '{print $2}' >> "$W/$kind.rss"
    echo "  run $run $kind: $result"
  done
done
[ "$(sha256sum "$W/sdk-download.bin" | cut -c1-64)" = "$SHA" ] || { echo "the SDK's download differs" >&2; exit 1; }
[ "$(curl -sf "$(cat "$W/file-url")" | sha256sum | cut -c1-64)" = "$SHA" ] || { echo "Teledrop's download differs" >&2; exit 1; }

declare -A S
for kind in tu td su sd; do S[$kind]=$(median < "$W/$kind.times"); done
RSS=$(cat "$W/tu.rss" "$W/td.rss" | sort -g | tail -1)
CONC=$(grep -o 'uploadConcurrency=[0-9]*' "$WLP/usr/servers/$SERVER/logs/messages.log" | head -1 | cut -d= -f2)
TABLE="$W/table.md"
MACHINE="$(nproc) cores ($(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, Liberty with -Xmx256m, S3Proxy 4.1.0 (file system), AWS SDK $SDK_VERSION"
{
  echo "Run on $(date -u +%Y-%m-%d) on $MACHINE. A ${SIZE_MIB} MiB file from the page cache; ${PART_MIB} MiB parts, Teledrop sending ${CONC:-?} at once;"
  echo "Teledrop driven by curl (\`PUT /api/uploads/…\`, \`GET\` of the file), the reference the SDK's transfer manager (\`uploadFile\`/\`downloadFile\`,"
  echo "its Java multipart client, timed inside its JVM); each figure the median of $RUNS runs, the four alternating; SHA-256 of both downloads checked."
  echo
  echo "| 2 GiB transfer to S3Proxy | Teledrop | SDK transfer manager, direct | Ratio | Target | Met |"
  echo "|---|---:|---:|---:|---:|---|"
  tu=$(mbps "${S[tu]}"); su=$(mbps "${S[su]}"); td=$(mbps "${S[td]}"); sd=$(mbps "${S[sd]}")
  met() { awk -v r="$1" 'BEGIN {print (r >= 0.8 ? "yes" : "**no**")}'; }
  echo "| upload | $tu MB/s | $su MB/s | $(ratio "$tu" "$su") | ≥ 0.8 | $(met "$(ratio "$tu" "$su")") |"
  echo "| download | $td MB/s | $sd MB/s | $(ratio "$td" "$sd") | ≥ 0.8 | $(met "$(ratio "$td" "$sd")") |"
  echo
  echo "Peak RSS of the Teledrop server during its transfers: $RSS MiB."
} > "$TABLE"
cat "$TABLE"
{ echo; echo "## S3 at the speed of the bucket (bench/s3.sh)"; echo; cat "$TABLE"; echo; } \
  | bench/replace-section.sh bench/s3.sh docs/benchmarks.md

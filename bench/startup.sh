#!/usr/bin/env bash
# Start-up to ready of the packaged WAR: the time from `server start` until /health/ready answers 200, as an
# operator restarting the server sees it. Each start is listed with Liberty's own figures from messages.log
# (CWWKZ0001I: the application started in A s; CWWKF0011I: the server started in S s), then the median.
#
# Usage: bench/startup.sh [N]          N timed starts (default 5) of the server teledrop-bench
#   BUILD=0        do not run bench/bench-server.sh first (the server and WAR are already built)
#   CLEAN=1        every start with --clean (Liberty's workarea, its OSGi and annotation caches, thrown away);
#                  by default the workarea is kept, as between restarts of a production server
#   SERVERS="a b"  several already built servers (copies of teledrop-bench) started in turn, a b a b …, for
#                  A/B comparisons on a noisy machine; a median for each
#   HTTP_PORT      the port the servers listen on (9080; must be the one they were built with)
#   JVM_ARGS       extra JVM options (Liberty's own variable), e.g. -XX:StartFlightRecording=filename=…
# Before the timed starts each server is started once, untimed: it creates and migrates its database (in
# target/bench-startup/<server>) and fills the workarea, so every timed start is a restart of a server in use.
# Prints one line per start, then "median <server> <s> …" for each server (bench/run.sh reads that line). With
# other work on the machine the wall-clock figures spread widely; the CPU seconds the server's JVM spent until
# ready (also listed) spread much less, and compare configurations better there.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-5}
WLP=target/liberty/wlp
PORT=${HTTP_PORT:-9080}
SERVERS=${SERVERS:-teledrop-bench}
W="$PWD/target/bench-startup"

if [ "${BUILD:-1}" = 1 ]; then
  echo "== building the WAR and the server teledrop-bench" >&2
  bench/bench-server.sh
fi

now() { date +%s.%N; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
ready() { [ "$(curl -s -o /dev/null -m 60 -w '%{http_code}' "http://localhost:$PORT/health/ready")" = 200 ]; }

stop() { "$WLP/bin/server" stop "$1" >/dev/null 2>&1 || true; }
RUNNING=
trap '[ -n "$RUNNING" ] && stop "$RUNNING"' EXIT

# Starts server $1 and waits for ready; prints "seconds cpu-seconds app-started server-started" (the last two
# Liberty's figures).
start() {
  local server=$1 log="$WLP/usr/servers/$1/logs/messages.log" t0 seconds
  stop "$server"
  ready && { echo "something else answers on port $PORT" >&2; exit 1; }
  rm -f "$log"
  t0=$(now)
  RUNNING=$server
  TELEDROP_DATA_DIR="$W/$server" "$WLP/bin/server" start "$server" ${CLEAN:+--clean} >/dev/null
  until ready; do
    sleep 0.05
    awk -v t0="$t0" -v t="$(now)" 'BEGIN {exit !(t - t0 > 180)}' && { echo "$server: not ready after 180 s" >&2; exit 1; }
  done
  seconds=$(awk -v a="$t0" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}')
  # CPU time the server's JVM has used by then (user + system): what start-up costs, whatever else runs.
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$(cat "$WLP/usr/servers/.pid/$server.pid")/stat")
  echo "$seconds $cpu $(grep -o 'CWWKZ0001I.* in [0-9.]* seconds' "$log" | grep -o '[0-9.]* seconds' | cut -d' ' -f1 | head -1)" \
       "$(grep -o 'CWWKF0011I.* in [0-9.]* seconds' "$log" | grep -o '[0-9.]* seconds' | cut -d' ' -f1 | head -1)"
}

[ "${CLEAN:-0}" = 1 ] && CLEAN=1 || CLEAN=
mkdir -p "$W"
for server in $SERVERS; do
  echo "== $server: first start (untimed)" >&2
  start "$server" >/dev/null
  stop "$server"
done

declare -A TIMES CPUS
for run in $(seq "$N"); do
  for server in $SERVERS; do
    RUNNING=$server   # start runs in a subshell here: the trap must know what to stop
    read -r s cpu app srv < <(start "$server") || true
    stop "$server"; RUNNING=
    [ -n "$s" ] || { echo "$server did not start (see its messages.log)" >&2; exit 1; }
    echo "start $run $server: ready after $s s, $cpu s of CPU (application started in ${app:-?} s, server in ${srv:-?} s)${CLEAN:+, --clean}"
    TIMES[$server]+="$s"$'\n'
    CPUS[$server]+="$cpu"$'\n'
  done
done
for server in $SERVERS; do
  echo "median $server $(printf '%s' "${TIMES[$server]}" | median) s ($(printf '%s' "${TIMES[$server]}" | tr '\n' ' ')s)," \
       "CPU $(printf '%s' "${CPUS[$server]}" | median) s ($(printf '%s' "${CPUS[$server]}" | tr '\n' ' ')s)"
done

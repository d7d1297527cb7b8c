#!/usr/bin/env bash
# The PostgreSQL server the integration tests run against, in a folder of the build (mvn verify runs this):
#   bin/test-postgresql.sh start <folder> <port> <user> <password> <database>
#   bin/test-postgresql.sh stop  <folder>
#   bin/test-postgresql.sh pause <folder>    (the cluster fault tests: stop it, keeping its data)
#   bin/test-postgresql.sh resume <folder>   (start it again as it was)
# start: a new cluster (initdb) in <folder>/data, listening on 127.0.0.1:<port> only (no Unix socket), with
# <user> as its superuser (scram-sha-256 password) and a database <database>; log in <folder>/postgresql.log.
# A server left running by an aborted earlier build is stopped first, by the postmaster.pid it recorded.
# initdb refuses to run as root, so as root the cluster belongs to 'nobody'. A watcher stops the server when
# the process that started it (Maven) exits, whatever failed; 'stop' (post-integration-test) is the usual way.
set -euo pipefail

action="${1:?start or stop}"
folder="${2:?folder}"
data="$folder/data"

pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  echo "No PostgreSQL server here (/usr/lib/postgresql/<version>/bin/initdb): run bin/test-prerequisites.sh as root, or apt-get install postgresql" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

stop_server() {
  local bin
  bin="$(pg_bin)"
  if [ -f "$data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null 2>&1 || true
    # pg_ctl could not (a damaged cluster): the recorded process itself, if it is still a postgres.
    if [ -f "$data/postmaster.pid" ]; then
      local pid
      pid="$(head -1 "$data/postmaster.pid")"
      if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ]; then
        kill -INT "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
      rm -f "$data/postmaster.pid"
    fi
  fi
}

start_server() {
  as_owner "$(pg_bin)/pg_ctl" start -D "$data" -w -t 60 -l "$folder/postgresql.log" -o "$(cat "$folder/options")" \
    >/dev/null || { cat "$folder/postgresql.log" >&2; exit 1; }
}

case "$action" in
  start)
    port="${3:?port}"; user="${4:?user}"; password="${5:?password}"; database="${6:?database}"
    bin="$(pg_bin)"
    stop_server
    rm -rf "$data"
    mkdir -p "$data"
    pwfile="$folder/pwfile"
    printf '%s\n' "$password" > "$pwfile"
    if [ "$(id -u)" = 0 ]; then
      chown nobody "$folder" "$data" "$pwfile"
      # The build folder's parents must let 'nobody' through.
      runuser -u nobody -- test -w "$data" || { echo "user nobody cannot write $data (check the modes of its parent folders)" >&2; exit 1; }
    fi
    chmod 700 "$data"
    chmod 600 "$pwfile"
    as_owner "$bin/initdb" -D "$data" -U "$user" --pwfile="$pwfile" --auth=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$folder/initdb.log" 2>&1 \
      || { cat "$folder/initdb.log" >&2; exit 1; }
    rm -f "$pwfile"
    : > "$folder/postgresql.log"
    [ "$(id -u)" = 0 ] && chown nobody "$folder/postgresql.log"
    # fsync off: a test cluster, thrown away with target/; the tests measure Teledrop, not the disk.
    echo "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories= -c fsync=off -c max_connections=100" > "$folder/options"
    start_server
    PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -v ON_ERROR_STOP=1 -q \
      -c "CREATE DATABASE \"$database\"" >/dev/null
    # Stop it when Maven (our parent) exits, however the build ends.
    maven_pid="$PPID"
    setsid bash -c "while kill -0 $maven_pid 2>/dev/null; do sleep 2; done; exec bash '$(readlink -f "$0")' stop '$folder'" \
      </dev/null >>"$folder/watcher.log" 2>&1 &
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, database $database (log: $folder/postgresql.log)"
    ;;
  stop)
    stop_server
    ;;
  pause)
    as_owner "$(pg_bin)/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null
    ;;
  resume)
    start_server
    ;;
  *)
    echo "usage: $0 start <folder> <port> <user> <password> <database> | stop|pause|resume <folder>" >&2
    exit 2
    ;;
esac

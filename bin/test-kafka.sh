#!/usr/bin/env bash
# The Apache Kafka broker the integration tests run against, in a folder of the build (mvn verify runs this):
#   bin/test-kafka.sh start  <folder> <port> <controller-port> <classpath-file>
#   bin/test-kafka.sh stop   <folder>
#   bin/test-kafka.sh pause  <folder>    (the outage tests: stop it, keeping its log dirs)
#   bin/test-kafka.sh resume <folder>    (start it again as it was: same ports, same data)
# start: a new single-node KRaft cluster (broker and controller in one JVM, node 1) in <folder>/data, listening on
# 127.0.0.1:<port> (PLAINTEXT, for clients) and 127.0.0.1:<controller-port> (CONTROLLER) only. <classpath-file> holds
# the broker's classpath (the jars of src/test/kafka/pom.xml, which pom.xml's kafka-classpath execution writes); it
# is kept in <folder>/classpath for resume. The storage is formatted with kafka.tools.StorageTool format --standalone,
# then `java -Xmx256m -cp … kafka.Kafka <folder>/server.properties` runs in the background, its PID in
# <folder>/kafka.pid, its log in <folder>/kafka.log; start and resume return once the port accepts connections and
# the log says "Kafka Server started", or fail with the log's tail.
# A broker left running by an aborted earlier build is stopped first, by the PID it recorded. A watcher stops the
# broker when the process that started it (Maven; your shell when run by hand) exits, whatever failed; 'stop'
# (post-integration-test) is the usual way. Only the recorded PID is ever signalled, and only if it is still this
# folder's broker.
set -euo pipefail

action="${1:?start, stop, pause or resume}"
folder="${2:?folder}"
folder="$(mkdir -p "$folder" && cd "$folder" && pwd)"
data="$folder/data"
pidfile="$folder/kafka.pid"
log="$folder/kafka.log"
# Seconds to wait for the broker to start (a loaded 2-core machine can take a while to start a JVM this size).
start_timeout="${TELEDROP_KAFKA_START_TIMEOUT:-120}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# The recorded PID, if that process is still this folder's broker (a PID can be reused after a reboot).
broker_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "kafka.Kafka $folder/server.properties" || return 1
  echo "$pid"
}

stop_broker() {
  local pid
  if pid="$(broker_pid)"; then
    # SIGTERM: Kafka's shutdown hook closes the log segments cleanly; a wedged broker gets SIGKILL after 60 s.
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "Kafka (PID $pid) did not stop within 60 s of SIGTERM: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  rm -f "$pidfile"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

fail_with_log() {
  echo "$1" >&2
  if [ -f "$log" ]; then
    echo "--- last lines of $log ---" >&2
    tail -n 40 "$log" >&2
  fi
  exit 1
}

# The client port, then the controller port, of the folder's server.properties.
broker_ports() {
  sed -n 's|^listeners=PLAINTEXT://127.0.0.1:\([0-9]*\),CONTROLLER://127.0.0.1:\([0-9]*\)$|\1 \2|p' "$folder/server.properties"
}

check_ports_free() {
  local port
  for port in $(broker_ports); do
    if port_open "$port"; then
      fail_with_log "Port $port on 127.0.0.1 is taken by another process: Kafka cannot start there"
    fi
  done
}

# Starts kafka.Kafka on the folder's server.properties and waits until it serves clients.
launch_broker() {
  local port offset pid
  check_ports_free
  port="$(broker_ports | cut -d' ' -f1)"
  [ -n "$port" ] || fail_with_log "No PLAINTEXT and CONTROLLER listeners in $folder/server.properties"
  touch "$log"
  offset="$(stat -c %s "$log")"
  # A session of its own (not Maven's process group, so Ctrl-C reaches Maven, whose watcher then stops the broker);
  # the inner bash records its PID and becomes java, so kafka.pid is the broker's.
  setsid bash -c 'echo $$ > "$1"; shift; exec "$@"' launch "$pidfile" \
    "$java" -Xmx256m -Dlog4j2.configurationFile="$folder/log4j2.properties" \
    -cp "$(cat "$folder/classpath")" kafka.Kafka "$folder/server.properties" \
    </dev/null >>"$log" 2>&1 &
  for _ in $(seq 1 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  for _ in $(seq 1 $((start_timeout * 5))); do
    kill -0 "$pid" 2>/dev/null || fail_with_log "Kafka exited while starting (log: $log)"
    if port_open "$port" && tail -c +$((offset + 1)) "$log" | grep -q 'Kafka Server started'; then
      return 0
    fi
    sleep 0.2
  done
  stop_broker
  fail_with_log "Kafka did not start within $start_timeout s (TELEDROP_KAFKA_START_TIMEOUT) on 127.0.0.1:$port"
}

case "$action" in
  start)
    port="${3:?port}"; controller_port="${4:?controller port}"; classpath_file="${5:?classpath file}"
    [ -s "$classpath_file" ] || { echo "No classpath in $classpath_file (pom.xml's kafka-classpath execution writes it)" >&2; exit 1; }
    stop_broker
    rm -rf "$data" "$log" "$folder/format.log"
    mkdir -p "$data"
    cp "$classpath_file" "$folder/classpath.tmp" && mv "$folder/classpath.tmp" "$folder/classpath"
    # One JVM, both roles; internal topics with one replica and few partitions (a test broker starts in seconds).
    cat > "$folder/server.properties" <<EOF
# Written by bin/test-kafka.sh start: a single-node KRaft test broker (resume reads the client port from listeners).
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=$data
num.partitions=3
auto.create.topics.enable=true
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
    cat > "$folder/log4j2.properties" <<'EOF'
# Written by bin/test-kafka.sh start: the broker logs to its stdout, which the script appends to kafka.log.
appender.out.type=Console
appender.out.name=out
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.out.ref=out
logger.state.name=state.change.logger
logger.state.level=WARN
EOF
    check_ports_free
    # A cluster id is 16 random bytes in unpadded base64url (as StorageTool random-uuid prints, without a JVM);
    # Kafka refuses ids that start with '-'.
    cluster_id="-"
    while [ "${cluster_id:0:1}" = "-" ]; do
      cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    done
    "$java" -Xmx256m -Dlog4j2.configurationFile="$folder/log4j2.properties" -cp "$(cat "$folder/classpath")" \
      kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$folder/server.properties" \
      </dev/null >"$folder/format.log" 2>&1 \
      || { cat "$folder/format.log" >&2; exit 1; }
    launch_broker
    # Stop it when Maven (our parent) exits, however the build ends; it stops whatever broker kafka.pid names
    # then, so a broker the tests paused and resumed is stopped too.
    maven_pid="$PPID"
    setsid bash -c "while kill -0 $maven_pid 2>/dev/null; do sleep 2; done; exec bash '$(readlink -f "$0")' stop '$folder'" \
      </dev/null >>"$folder/watcher.log" 2>&1 &
    echo "Kafka (KRaft, cluster $cluster_id) on 127.0.0.1:$port, controller on 127.0.0.1:$controller_port (log: $log)"
    ;;
  stop)
    stop_broker
    ;;
  pause)
    broker_pid >/dev/null || { echo "No Kafka broker of $folder is running" >&2; exit 1; }
    stop_broker
    ;;
  resume)
    [ -f "$folder/server.properties" ] || { echo "No broker in $folder: 'start' first" >&2; exit 1; }
    if broker_pid >/dev/null; then
      echo "Kafka of $folder is already running"
    else
      launch_broker
    fi
    ;;
  *)
    echo "usage: $0 start <folder> <port> <controller-port> <classpath-file> | stop|pause|resume <folder>" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# A Spark standalone cluster on this machine (issue 18): one master and N workers on 127.0.0.1,
# started from the pyspark installed in .venv (the pip package has no sbin/start-*.sh for a
# standalone cluster, so spark-class runs in the background here, with pid files and logs).
#
#   bash scripts/spark-cluster.sh start|stop|status
#
# Then: opora analyze DIR --out OUT --engine spark --spark-master spark://127.0.0.1:7077
#
# Settings (environment):
#   OPORA_SPARK_DIR             run directory: pid files, logs, the workers' work dirs
#                               (default var/spark-cluster of the checkout)
#   OPORA_SPARK_WORKERS         number of workers (default 2)
#   OPORA_SPARK_WORKER_CORES    cores per worker (default 1)
#   OPORA_SPARK_WORKER_MEMORY   memory per worker (default 1g); an application's executors must
#                               fit in it (spark.executor.memory, 1g by default)
#   OPORA_SPARK_MASTER_PORT     the master's port (default 7077)
#   OPORA_SPARK_MASTER_UI_PORT  the master's web UI and JSON (default 8080)
#   OPORA_SPARK_DAEMON_MEMORY   heap of the master and worker processes themselves (default 512m)
#   OPORA_SPARK_START_TIMEOUT   seconds to wait for the workers to register (default 90)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${OPORA_PYTHON:-$ROOT/.venv/bin/python}"
RUN_DIR="${OPORA_SPARK_DIR:-$ROOT/var/spark-cluster}"
WORKERS="${OPORA_SPARK_WORKERS:-2}"
CORES="${OPORA_SPARK_WORKER_CORES:-1}"
MEMORY="${OPORA_SPARK_WORKER_MEMORY:-1g}"
HOST=127.0.0.1
PORT="${OPORA_SPARK_MASTER_PORT:-7077}"
UI_PORT="${OPORA_SPARK_MASTER_UI_PORT:-8080}"
TIMEOUT="${OPORA_SPARK_START_TIMEOUT:-90}"
MASTER_URL="spark://$HOST:$PORT"
JSON_URL="http://$HOST:$UI_PORT/json/"

die() { echo "ошибка: $*" >&2; exit 2; }

spark_home() {
  [ -x "$PY" ] || die "нет $PY: сначала bash scripts/setup.sh dev,spark"
  "$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))' 2>/dev/null \
    || die "pyspark не установлен в .venv: bash scripts/setup.sh dev,spark"
}

# alive NAME: the process of NAME.pid is running and is still our Spark daemon
alive() {
  local pidfile="$RUN_DIR/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] \
    && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "org.apache.spark.deploy"
}

daemons() {  # the names of the pid files: master, worker-1 … worker-N (of any earlier start too)
  echo master
  local f
  for f in "$RUN_DIR"/worker-*.pid; do [ -e "$f" ] && basename "$f" .pid; done
  return 0
}

registered() {  # how many workers the master reports ALIVE (0 when it does not answer)
  "$PY" - "$JSON_URL" <<'EOF' 2>/dev/null || echo 0
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
    state = json.load(r)
print(sum(1 for w in state.get("workers", []) if w.get("state") == "ALIVE"))
EOF
}

port_busy() {  # port_busy PORT: something listens on 127.0.0.1:PORT
  "$PY" - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
EOF
}

launch() {  # launch NAME CLASS ARGS...: spark-class in the background, its pid in NAME.pid
  local name="$1"; shift
  SPARK_HOME="$SPARK_HOME" SPARK_DAEMON_MEMORY="${OPORA_SPARK_DAEMON_MEMORY:-512m}" \
    SPARK_LOCAL_IP="$HOST" SPARK_NO_DAEMONIZE=1 \
    setsid "$SPARK_HOME/bin/spark-class" "$@" >"$RUN_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
}

stop_one() {
  local name="$1" pid i
  if alive "$name"; then
    pid="$(cat "$RUN_DIR/$name.pid")"
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do alive "$name" || break; sleep 0.2; done
    alive "$name" && kill -9 "$pid" 2>/dev/null || true
    echo "остановлен: $name (pid $pid)"
  fi
  rm -f "$RUN_DIR/$name.pid"
}

cmd_start() {
  if alive master; then
    echo "кластер уже запущен: $MASTER_URL (рабочих: $(registered); остановить: $0 stop)"
    return 0
  fi
  SPARK_HOME="$(spark_home)"
  command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ] \
    || die "не найдена Java (нужна версия 17 или новее)"
  for p in "$PORT" "$UI_PORT"; do
    port_busy "$p" && die "порт $p на $HOST уже занят другим процессом (задайте" \
      "OPORA_SPARK_MASTER_PORT / OPORA_SPARK_MASTER_UI_PORT)"
  done
  mkdir -p "$RUN_DIR"
  for name in $(daemons); do stop_one "$name" >/dev/null; done  # leftovers of a crashed start
  launch master org.apache.spark.deploy.master.Master \
    --host "$HOST" --port "$PORT" --webui-port "$UI_PORT"
  local i
  for i in $(seq 1 "$WORKERS"); do
    mkdir -p "$RUN_DIR/work-$i"
    # port 0: the worker's own port and web UI are chosen free by the system
    launch "worker-$i" org.apache.spark.deploy.worker.Worker \
      --host "$HOST" --port 0 --webui-port 0 --cores "$CORES" --memory "$MEMORY" \
      --work-dir "$RUN_DIR/work-$i" "$MASTER_URL"
  done
  local waited=0 seen=0
  while [ "$waited" -lt "$TIMEOUT" ]; do
    seen="$(registered)"
    [ "$seen" -ge "$WORKERS" ] && break
    alive master || { tail -n 20 "$RUN_DIR/master.log" >&2; cmd_stop >/dev/null; \
      die "мастер Spark не запустился (журнал: $RUN_DIR/master.log)"; }
    sleep 1; waited=$((waited + 1))
  done
  if [ "$seen" -lt "$WORKERS" ]; then
    cmd_stop >/dev/null
    die "за $TIMEOUT с зарегистрировались $seen из $WORKERS рабочих (журналы: $RUN_DIR/*.log)"
  fi
  echo "кластер Spark запущен: $WORKERS рабочих по $CORES ядр. и $MEMORY, веб-интерфейс" \
    "http://$HOST:$UI_PORT/"
  echo "$MASTER_URL"
}

cmd_stop() {
  [ -d "$RUN_DIR" ] || { echo "кластер не запущен"; return 0; }
  local any=0 name
  for name in $(daemons); do
    alive "$name" && any=1
    stop_one "$name"
  done
  [ "$any" = 1 ] || echo "кластер не запущен"
}

cmd_status() {
  if alive master; then
    echo "кластер запущен: $MASTER_URL, рабочих зарегистрировано: $(registered)" \
      "(веб-интерфейс http://$HOST:$UI_PORT/)"
    local name
    for name in $(daemons); do
      alive "$name" && echo "  $name: pid $(cat "$RUN_DIR/$name.pid")" \
        || echo "  $name: не работает"
    done
  else
    echo "кластер не запущен"
    return 3
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "использование: $0 start|stop|status" >&2; exit 2 ;;
esac

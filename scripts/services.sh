#!/usr/bin/env bash
# Installs what is missing and starts nuqta's two servers on loopback, idempotently:
#   Redis 7 (Debian redis-server, AOF on) on 127.0.0.1:6379
#   FerretDB v1.24.2 (MongoDB wire protocol, SQLite back end) on 127.0.0.1:27017
# Usage: scripts/services.sh [start|stop|status|install]   (install: only install what is missing)
# When MONGODB_URI or REDIS_URL point at another server, that service is left alone.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE="$ROOT/.nuqta"
FERRETDB_VERSION=v1.24.2
# The build carries one fix (see build_ferretdb); the name says so, so an unfixed binary is never reused.
FERRETDB_BIN="$STATE/bin/ferretdb-$FERRETDB_VERSION-idindex"
REDIS_PORT=6379
MONGO_PORT=27017
failures=0

say() { printf 'services: %s\n' "$*"; }
fail() { printf 'services: FAILED: %s\n' "$*" >&2; failures=$((failures + 1)); }

is_local() { # $1 = URL or empty; true when it names this machine's default port $2
  [ -z "$1" ] && return 0
  [[ "$1" =~ ^[a-z]+://([^@/]*@)?(127\.0\.0\.1|localhost)(:$2)?(/|$) ]]
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # $1 name, $2 command; up to 30 s
  for _ in $(seq 1 60); do
    if eval "$2"; then return 0; fi
    sleep 0.5
  done
  fail "$1 did not answer within 30 s"
  return 1
}

apt_install() {
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    fail "need root (or sudo) to install $*"; return 1
  fi
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  say "installing $* (apt-get)"
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

redis_ping() { redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_redis() {
  if ! is_local "${REDIS_URL:-}" "$REDIS_PORT"; then say "REDIS_URL points elsewhere: not starting Redis"; return; fi
  if ! command -v redis-server >/dev/null; then apt_install redis-server || { fail "could not install redis-server"; return; }; fi
  if redis_ping; then
    # Acknowledged events must survive a Redis restart, whoever started it.
    redis-cli -p "$REDIS_PORT" config set appendonly yes >/dev/null 2>&1
    say "Redis already running on 127.0.0.1:$REDIS_PORT (appendonly yes)"
    return
  fi
  mkdir -p "$STATE/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --appendonly yes --appendfsync everysec \
    --dir "$STATE/redis" --daemonize yes --pidfile "$STATE/redis/redis.pid" \
    --logfile "$STATE/redis/redis.log" --save "" >/dev/null
  wait_for Redis redis_ping && say "started Redis on 127.0.0.1:$REDIS_PORT (data in .nuqta/redis, AOF on)"
}

# FerretDB 1.24's SQLite back end indexes `_id` on the expression `_ferretdb_sjson->"_id"`
# but filters exact `{_id: <string>}` look-ups (finds, updates, deletes) on
# `_ferretdb_sjson->'$._id'`. SQLite uses an expression index only for the identical
# expression, so every look-up by `_id` scanned the whole table. Filtering on the
# index's own expression makes them index searches; data files are unchanged.
apply_id_index_fix() { # $1 = FerretDB source tree
  local file="$1/internal/backends/sqlite/metadata/metadata.go"
  sed -i "s|IDColumn = DefaultColumn + \"->'\$._id'\"|IDColumn = DefaultColumn + \`->\"_id\"\`|" "$file"
  if ! grep -q 'IDColumn = DefaultColumn + `->"_id"`' "$file"; then
    fail "could not apply the _id index fix to FerretDB $FERRETDB_VERSION ($file changed upstream?)"
    return 1
  fi
  say "applied the _id index fix to FerretDB $FERRETDB_VERSION"
}

build_ferretdb() {
  command -v go >/dev/null || { fail "Go is needed to build FerretDB (install golang)"; return 1; }
  say "building FerretDB $FERRETDB_VERSION with Go (first run only, about a minute)"
  local work="$STATE/build/ferretdb" src
  rm -rf "$work" && mkdir -p "$work" "$STATE/bin"
  (cd "$work" && go mod init nuqta-ferretdb-build >/dev/null 2>&1 \
    && go get "github.com/FerretDB/FerretDB/cmd/ferretdb@$FERRETDB_VERSION" >/dev/null 2>&1) \
    || { fail "could not download FerretDB $FERRETDB_VERSION from the Go module proxy"; return 1; }
  src=$(cd "$work" && go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB) || { fail "FerretDB module not found"; return 1; }
  # The release embeds its version from a generated file that the module zip lacks.
  rm -rf "$work/src" && cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
  echo "$FERRETDB_VERSION" >"$work/src/build/version/version.txt"
  apply_id_index_fix "$work/src" || return 1
  (cd "$work/src" && go build -o "$FERRETDB_BIN" ./cmd/ferretdb) || { fail "FerretDB build failed"; return 1; }
  rm -rf "$work"
}

start_ferretdb() {
  if ! is_local "${MONGODB_URI:-}" "$MONGO_PORT"; then say "MONGODB_URI points elsewhere: not starting FerretDB"; return; fi
  [ -x "$FERRETDB_BIN" ] || build_ferretdb || return
  local pid_file="$STATE/ferretdb/ferretdb.pid"
  if [ -f "$pid_file" ] && [ "$(readlink "/proc/$(cat "$pid_file")/exe" 2>/dev/null)" != "" ] \
    && [ "$(readlink "/proc/$(cat "$pid_file")/exe")" != "$(readlink -f "$FERRETDB_BIN")" ]; then
    say "restarting FerretDB: the running server is an earlier build"
    kill "$(cat "$pid_file")" 2>/dev/null
    for _ in $(seq 1 20); do port_open "$MONGO_PORT" || break; sleep 0.25; done
  fi
  if port_open "$MONGO_PORT"; then say "MongoDB-wire server already running on 127.0.0.1:$MONGO_PORT"; return; fi
  mkdir -p "$STATE/ferretdb/data"
  nohup "$FERRETDB_BIN" --handler=sqlite --sqlite-url="file:$STATE/ferretdb/data/" \
    --listen-addr="127.0.0.1:$MONGO_PORT" --state-dir="$STATE/ferretdb" --debug-addr=- \
    --telemetry=disable --log-level=warn >"$STATE/ferretdb/ferretdb.log" 2>&1 &
  echo $! >"$STATE/ferretdb/ferretdb.pid"
  if wait_for FerretDB "port_open $MONGO_PORT"; then
    say "started FerretDB $FERRETDB_VERSION on 127.0.0.1:$MONGO_PORT (data in .nuqta/ferretdb)"
  else
    # Its own words say why (a database file left broken by a machine that stopped mid-write names itself here).
    fail "FerretDB's last log line: $(tail -n 1 "$STATE/ferretdb/ferretdb.log" 2>/dev/null)"
  fi
}

# The browser the page tests drive (playwright-core with Debian's chromium; DEVELOPERS.md).
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  apt_install chromium || fail "could not install chromium (the page tests need /usr/bin/chromium)"
}

stop_one() { # $1 name, $2 pid file
  if [ -f "$2" ] && kill "$(cat "$2")" 2>/dev/null; then say "stopped $1"; else say "$1 was not started by this script"; fi
  rm -f "$2"
}

status() {
  if redis_ping; then say "Redis: up on 127.0.0.1:$REDIS_PORT"; else say "Redis: down"; failures=$((failures + 1)); fi
  if port_open "$MONGO_PORT"; then say "MongoDB-wire server: up on 127.0.0.1:$MONGO_PORT"; else say "MongoDB-wire server: down"; failures=$((failures + 1)); fi
}

# A local Redis Cluster of three masters (no replicas) on loopback, for `npm run test:cluster`:
# cluster-enabled servers with their data under .nuqta/redis-cluster/<port>, joined once by
# `redis-cli --cluster create`; a cluster already up is left as it is. `cluster stop` stops them.
CLUSTER_PORTS=(7001 7002 7003)

cluster_ok() { redis-cli -p "${CLUSTER_PORTS[0]}" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; }

start_cluster() {
  command -v redis-server >/dev/null || apt_install redis-server || { fail "could not install redis-server"; return; }
  local port dir
  for port in "${CLUSTER_PORTS[@]}"; do
    redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && continue
    dir="$STATE/redis-cluster/$port"
    mkdir -p "$dir"
    redis-server --bind 127.0.0.1 --port "$port" --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout 5000 --appendonly yes --appendfsync everysec --save "" --dir "$dir" \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
    wait_for "Redis Cluster node $port" "redis-cli -p $port ping 2>/dev/null | grep -q PONG" || return
  done
  if cluster_ok; then say "Redis Cluster already running on 127.0.0.1:${CLUSTER_PORTS[*]}"; return; fi
  local nodes=()
  for port in "${CLUSTER_PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$STATE/redis-cluster/create.log" 2>&1 \
    || { fail "redis-cli --cluster create failed (see .nuqta/redis-cluster/create.log)"; return; }
  wait_for "Redis Cluster" cluster_ok && say "started a Redis Cluster of three masters on 127.0.0.1:${CLUSTER_PORTS[*]} (NUQTA_REDIS_CLUSTER=$(IFS=,; echo "${nodes[*]}"))"
}

stop_cluster() {
  local port
  for port in "${CLUSTER_PORTS[@]}"; do stop_one "Redis Cluster node $port" "$STATE/redis-cluster/$port/redis.pid"; done
}

case "${1:-start}" in
  cluster) if [ "${2:-}" = stop ]; then stop_cluster; else start_cluster; fi ;;
  start) start_redis; start_ferretdb; ensure_chromium ;;
  stop) stop_one Redis "$STATE/redis/redis.pid"; stop_one FerretDB "$STATE/ferretdb/ferretdb.pid" ;;
  status) status ;;
  install)
    command -v redis-server >/dev/null || apt_install redis-server || fail "could not install redis-server"
    [ -x "$FERRETDB_BIN" ] || build_ferretdb
    ensure_chromium
    ;;
  *) echo "usage: scripts/services.sh [start|stop|status|install]" >&2; exit 2 ;;
esac
exit $((failures > 0))

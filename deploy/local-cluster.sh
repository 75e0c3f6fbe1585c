#!/usr/bin/env bash
# Starts a private PostgreSQL, N silos and one REST front end on loopback; stops them all on Ctrl+C or `stop`.
#   deploy/local-cluster.sh start [N]    (default 3 silos; front end on http://127.0.0.1:5080)
#   deploy/local-cluster.sh stop
# State lives under .data/local-cluster (PostgreSQL data, logs, pids). Needs the .NET SDK and the PostgreSQL server package.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
state="${LOCAL_CLUSTER_DIR:-$root/.data/local-cluster}"
pg_port="${LOCAL_CLUSTER_PG_PORT:-55440}"
mkdir -p "$state"

find_bin() {
  command -v "$1" 2>/dev/null && return
  ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start() {
  local silos="${1:-3}"
  local initdb pg_ctl
  initdb="$(find_bin initdb)"; pg_ctl="$(find_bin pg_ctl)"
  [ -n "$initdb" ] && [ -n "$pg_ctl" ] || { echo "Install the PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }
  if [ "$(id -u)" = 0 ]; then chmod 755 "$state"; fi
  if [ ! -f "$state/pg/PG_VERSION" ]; then
    mkdir -p "$state/pg"; [ "$(id -u)" = 0 ] && chown postgres "$state/pg"
    as_pg "$initdb" -D "$state/pg" -U postgres -A trust --no-locale -E UTF8 >/dev/null
  fi
  as_pg "$pg_ctl" start -D "$state/pg" -w -l "$state/pg/server.log" \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300" >/dev/null
  createdb_sql="SELECT 'CREATE DATABASE payments' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'payments')\\gexec"
  echo "$createdb_sql" | psql -h 127.0.0.1 -p "$pg_port" -U postgres -q >/dev/null
  export ConnectionStrings__Payments="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=payments"
  export Payments__AdminToken="${Payments__AdminToken:-local-operator-token-0123456789}"
  dotnet build -c Release "$root/Orleans.Payments.sln" >/dev/null
  for i in $(seq 1 "$silos"); do
    Payments__Cluster__SiloPort=$((11110 + i)) Payments__Cluster__GatewayPort=$((30000 + i)) Payments__Api__Enabled=false \
      nohup dotnet "$root/Silo/bin/Release/net10.0/Payments.Silo.dll" --urls "http://127.0.0.1:$((5180 + i))" \
      > "$state/silo-$i.log" 2>&1 &
    echo $! > "$state/silo-$i.pid"
  done
  nohup dotnet "$root/ApiFrontend/bin/Release/net10.0/Payments.ApiFrontend.dll" --urls "http://127.0.0.1:5080" \
    > "$state/frontend.log" 2>&1 &
  echo $! > "$state/frontend.pid"
  echo "Started $silos silos (health on 127.0.0.1:5181..) and the front end on http://127.0.0.1:5080"
  echo "Operator token: $Payments__AdminToken  — try: curl -s -H \"Authorization: Bearer \$TOKEN\" http://127.0.0.1:5080/v1/admin/cluster"
}

stop() {
  for pid in "$state"/*.pid; do
    [ -f "$pid" ] || continue
    kill -TERM "$(cat "$pid")" 2>/dev/null || true
    rm -f "$pid"
  done
  sleep 3
  local pg_ctl; pg_ctl="$(find_bin pg_ctl)"
  [ -f "$state/pg/postmaster.pid" ] && as_pg "$pg_ctl" stop -D "$state/pg" -m fast >/dev/null || true
  echo "Stopped."
}

case "${1:-start}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  *) echo "usage: $0 start [N] | stop" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# A local three-node Citus cluster (a coordinator and two workers) beside the main PostgreSQL,
# from an installed Citus: `scripts/citus-cluster.sh start` (creates it on first use), `stop`,
# `status`. Needs PostgreSQL's server packages (pg_createcluster) and the citus extension built
# for that version (docs/scaling.md says how to get it). Then:
#   CITUS_URL=postgresql://postgres@127.0.0.1:5441/postgres npm run test:citus
set -euo pipefail

VERSION="${CITUS_PG_VERSION:-$(pg_config --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')}"
NODES=("citusc:5441" "citusw1:5442" "citusw2:5443")
psql_at() { PGOPTIONS="-c client_min_messages=warning" psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "${@:2}"; }

start() {
  if [ ! -f "$(pg_config --pkglibdir)/citus.so" ]; then
    echo "Citus is not installed for PostgreSQL $VERSION ($(pg_config --pkglibdir)/citus.so is missing): see docs/scaling.md." >&2
    exit 1
  fi
  for node in "${NODES[@]}"; do
    name="${node%%:*}" port="${node##*:}"
    if ! pg_lsclusters -h | awk '{print $2}' | grep -qx "$name"; then
      pg_createcluster "$VERSION" "$name" -p "$port" -- --auth=trust >/dev/null
      cat >>"/etc/postgresql/$VERSION/$name/postgresql.conf" <<CONF
shared_preload_libraries = 'citus'
listen_addresses = '127.0.0.1'
max_connections = 200
max_prepared_transactions = 100
CONF
    fi
    pg_ctlcluster "$VERSION" "$name" start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
    psql_at "$port" -c "CREATE EXTENSION IF NOT EXISTS citus"
  done
  coordinator="${NODES[0]##*:}"
  psql_at "$coordinator" -c "SELECT citus_set_coordinator_host('127.0.0.1', $coordinator)" >/dev/null
  for node in "${NODES[@]:1}"; do
    port="${node##*:}"
    if [ "$(psql_at "$coordinator" -c "SELECT count(*) FROM pg_dist_node WHERE nodeport = $port")" = 0 ]; then
      psql_at "$coordinator" -c "SELECT citus_add_node('127.0.0.1', $port)" >/dev/null
    fi
  done
  echo "Citus cluster up: CITUS_URL=postgresql://postgres@127.0.0.1:$coordinator/postgres"
}

case "${1:-status}" in
  start) start ;;
  stop) for node in "${NODES[@]}"; do pg_ctlcluster "$VERSION" "${node%%:*}" stop 2>/dev/null || true; done ;;
  status) pg_lsclusters | grep -E "$(IFS='|'; echo "${NODES[*]%%:*}")" || echo "No Citus cluster here." ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

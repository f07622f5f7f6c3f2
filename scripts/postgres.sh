#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite: installed from Debian's packages if missing, listening on
# 127.0.0.1 only, trust authentication for the local test user. Idempotent: `start` on a running cluster just prints
# its connection string. The store tests call this script themselves, so `dotnet test` needs nothing started by hand.
#
#   scripts/postgres.sh start    install if needed, start, print the connection string
#   scripts/postgres.sh stop     stop the cluster (its data is thrown away on the next start)
#   scripts/postgres.sh status   exit 0 when running
#
# DR_PG_BIN=/folder    take pg_ctl and initdb from that folder only (nothing is installed)
# DR_PG_DATA, DR_PG_PORT   where the cluster lives (default /tmp/decision-routing-pg) and its port (default 55432)
#
# Exit codes of `start`: 0 the connection string is printed; 3 this machine cannot provide PostgreSQL (one line on
# stderr says why and how to provide it; the tests skip on it unless CI is set); anything else is a fault in this
# script or the machine, which the tests report as a failure.
set -euo pipefail

DATA="${DR_PG_DATA:-/tmp/decision-routing-pg}"
PORT="${DR_PG_PORT:-55432}"
LOG="$DATA.log"
CONNECTION="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres;Pooling=true;Timeout=15"

unavailable() { echo "postgres.sh: $*" >&2; exit 3; }

# DR_PG_BIN when set; else pg_ctl on PATH (with initdb beside it); else Debian's /usr/lib/postgresql/<version>/bin.
find_bin() {
  local dir
  if [[ -n "${DR_PG_BIN:-}" ]]; then
    [[ -x "$DR_PG_BIN/pg_ctl" && -x "$DR_PG_BIN/initdb" ]] && { echo "$DR_PG_BIN"; return 0; }
    return 1
  fi
  if dir="$(command -v pg_ctl)"; then
    dir="$(dirname "$(readlink -f "$dir")")"
    [[ -x "$dir/initdb" ]] && { echo "$dir"; return 0; }
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    if [[ -x "$dir/pg_ctl" && -x "$dir/initdb" ]]; then echo "$dir"; return 0; fi
  done
  return 1
}

install() {
  if find_bin >/dev/null; then return 0; fi
  if [[ -n "${DR_PG_BIN:-}" ]]; then
    unavailable "DR_PG_BIN=$DR_PG_BIN holds no pg_ctl and initdb; point it at PostgreSQL's bin folder, or unset it"
  fi
  if (( EUID != 0 )); then
    unavailable "PostgreSQL is not installed (no pg_ctl and initdb on PATH or in /usr/lib/postgresql/*/bin) and installing it needs root; install it, set DR_PG_BIN to its bin folder, or set DR_PG_CONNECTION to a server of your own"
  fi
  echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq postgresql; } >&2; then
    unavailable "apt-get install postgresql failed (see the apt output above); install it by hand, or set DR_PG_CONNECTION to a server of your own"
  fi
  # The package starts its own cluster on 5432; the tests use their own, so stop it.
  if command -v pg_ctlcluster >/dev/null; then
    for cluster in /etc/postgresql/*/main; do
      [[ -d "$cluster" ]] && pg_ctlcluster "$(basename "$(dirname "$cluster")")" main stop >&2 2>/dev/null || true
    done
  fi
}

# initdb and postgres refuse to run as root; run them as the postgres user when we are root.
as_owner() {
  if (( EUID == 0 )); then runuser -u postgres -- "$@"; else "$@"; fi
}

running() {
  local bin; bin="$(find_bin)" || return 1
  [[ -f "$DATA/postmaster.pid" ]] && as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
  install
  local bin; bin="$(find_bin)"
  if ! running; then
    rm -rf "$DATA" "$LOG"
    mkdir -p "$DATA"
    if (( EUID == 0 )); then chown postgres:postgres "$DATA"; fi
    touch "$LOG"; if (( EUID == 0 )); then chown postgres:postgres "$LOG"; fi
    as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
    # Loopback only, no Unix socket clutter outside the data folder, enough connections for 8 writers and a pool.
    as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DATA -c max_connections=200 -c fsync=on" \
      start >/dev/null
  fi
  echo "$CONNECTION"
}

stop() {
  local bin; bin="$(find_bin)" || exit 0
  if running; then as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) running ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

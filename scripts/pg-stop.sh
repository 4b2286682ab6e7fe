#!/usr/bin/env bash
# Stop a throw-away cluster started by scripts/pg-start.sh and delete its
# temp dir. Harmless when nothing is running.
#
#   bash scripts/pg-stop.sh              # the latest started cluster
#   bash scripts/pg-stop.sh 54331        # by port
#   bash scripts/pg-stop.sh "$DATABASE_URL"   # by URL (port taken from it)
#   bash scripts/pg-stop.sh --all        # every cluster pg-start.sh recorded
#
# The state file behaves like a stack: after the latest cluster is stopped it
# points at the most recent one still recorded, so repeated no-arg calls
# unwind repeated starts.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/pg-lib.sh
. "$HERE/pg-lib.sh"

need_root

# Stop the cluster described by record file $1, then remove its temp dir and
# the record. Tolerates an already-dead cluster or a missing data dir.
stop_cluster() {
  local rec="$1" port pid bin data base
  port="$(state_get "$rec" SDE_PG_PORT)"
  pid="$(state_get "$rec" SDE_PG_PID)"
  bin="$(state_get "$rec" SDE_PG_BIN)"
  data="$(state_get "$rec" SDE_PG_DATA)"
  base="$(state_get "$rec" SDE_PG_BASE)"
  log "stopping cluster on port ${port:-?} (data ${data:-?})"

  if [ -n "$data" ] && [ -f "$data/postmaster.pid" ] && [ -x "$bin/pg_ctl" ]; then
    as_postgres "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >&2 \
      || log "pg_ctl stop failed; falling back to signals"
  fi
  # Fallback: the recorded postmaster is still alive (pg_ctl failed or the
  # data dir vanished). Only signal it if it really is a postgres process.
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = postgres ]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      [ -d "/proc/$pid" ] || break
      sleep 0.2
    done
    if [ -d "/proc/$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi

  # Only ever rm -rf a temp dir that pg-start.sh created (name check).
  case "$base" in
    /*/"$SDE_PG_TMP_PREFIX"*) [ -d "$base" ] && rm -rf "$base" ;;
    "") ;;
    *) log "not removing unexpected dir '$base'" ;;
  esac
  rm -f "$rec"
  if [ -n "$port" ]; then rm -f "$SDE_PG_CLUSTERS_DIR/$port"; fi
}

# Point the "latest" state file at the newest remaining record, or drop it.
repoint_state() {
  local newest
  # Records are named by port; newest by mtime (skip in-flight *.tmp files).
  newest="$(find "$SDE_PG_CLUSTERS_DIR" -maxdepth 1 -type f -regex '.*/[0-9]+' \
    -printf '%T@ %f\n' 2>/dev/null | sort -rn | sed -n '1s/^[^ ]* //p' || true)"
  if [ -n "$newest" ] && [ -f "$SDE_PG_CLUSTERS_DIR/$newest" ]; then
    cp -f "$SDE_PG_CLUSTERS_DIR/$newest" "$SDE_PG_STATE.tmp"
    mv -f "$SDE_PG_STATE.tmp" "$SDE_PG_STATE"
  else
    rm -f "$SDE_PG_STATE"
  fi
}

latest_port=""
if [ -f "$SDE_PG_STATE" ]; then latest_port="$(state_get "$SDE_PG_STATE" SDE_PG_PORT)"; fi

arg="${1:-}"
case "$arg" in
  --all)
    found=0
    for rec in "$SDE_PG_CLUSTERS_DIR"/*; do
      [ -f "$rec" ] || continue
      stop_cluster "$rec"; found=1
    done
    # A state file without a record (e.g. records dir wiped) still counts.
    if [ -f "$SDE_PG_STATE" ] && [ -d "$(state_get "$SDE_PG_STATE" SDE_PG_BASE)" ]; then
      stop_cluster "$SDE_PG_STATE"; found=1
    fi
    rm -f "$SDE_PG_STATE"
    [ "$found" -eq 1 ] || log "no recorded clusters; nothing to stop"
    ;;
  "")
    if [ ! -f "$SDE_PG_STATE" ]; then
      log "no state file $SDE_PG_STATE; nothing to stop"
      exit 0
    fi
    if [ -n "$latest_port" ] && [ -f "$SDE_PG_CLUSTERS_DIR/$latest_port" ]; then
      stop_cluster "$SDE_PG_CLUSTERS_DIR/$latest_port"
    else
      stop_cluster "$SDE_PG_STATE"
    fi
    repoint_state
    ;;
  -h | --help)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
    ;;
  *)
    # Accept a bare port or any URL ending in :PORT or :PORT/db[?params].
    port="$(printf '%s' "$arg" | sed -nE 's#^([0-9]+)$#\1#p; s#^.*:([0-9]+)(/[^:]*)?$#\1#p' | sed -n 1p)"
    [ -n "$port" ] || die "cannot find a port in '$arg' (give a port, a URL, or --all)"
    if [ -f "$SDE_PG_CLUSTERS_DIR/$port" ]; then
      stop_cluster "$SDE_PG_CLUSTERS_DIR/$port"
    elif [ "$port" = "$latest_port" ]; then
      stop_cluster "$SDE_PG_STATE"
    else
      log "no cluster recorded on port $port; nothing to stop"
      exit 0
    fi
    if [ "$port" = "$latest_port" ]; then repoint_state; fi
    ;;
esac

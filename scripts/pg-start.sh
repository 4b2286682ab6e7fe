#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster (with pgvector + pg_trgm) for tests.
#
#   export DATABASE_URL=$(bash scripts/pg-start.sh)
#   ...
#   bash scripts/pg-stop.sh
#
# Idempotent: installs postgresql-15 and pgvector only if missing, then starts
# a NEW independent cluster in a fresh temp dir on a free 127.0.0.1 port every
# time it runs. The only thing printed on stdout is the connection URL.
#
# Env knobs: SDE_PG_STATE (state file, default /tmp/sde-pg/state),
# SDE_PG_MAJOR (force a PostgreSQL major), SDE_PG_PORT_BASE (default 54330),
# SDE_PG_MAX_CONNECTIONS (default 300), SDE_PGVECTOR_SUITE (default trixie).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/pg-lib.sh
. "$HERE/pg-lib.sh"

need_root
mkdir -p "$SDE_PG_CLUSTERS_DIR"

BASE="" STARTED=0 OK=0 PORT="" SDE_PG_BUILD_DIR=""
# On any failure: stop a half-started cluster and remove what we created.
cleanup() {
  if [ "$OK" -ne 1 ]; then
    if [ "$STARTED" -eq 1 ]; then
      as_postgres "$PGBIN/pg_ctl" -D "$BASE/data" -m immediate -w stop >&2 || true
    fi
    if [ -n "$BASE" ] && [ -d "$BASE" ]; then
      if [ -f "$BASE/postgres.log" ]; then
        log "last lines of $BASE/postgres.log:"
        tail -n 20 "$BASE/postgres.log" >&2 || true
      fi
      rm -rf "$BASE"
    fi
    [ -n "$PORT" ] && rm -f "$SDE_PG_CLUSTERS_DIR/$PORT"
    log "pg-start.sh FAILED"
  fi
  if [ -n "$SDE_PG_BUILD_DIR" ]; then rm -rf "$SDE_PG_BUILD_DIR"; fi
}
trap cleanup EXIT

# Keep stdout for the URL only: main runs with stdout sent to stderr. (Not
# `exec 3>&1`: a saved copy of stdout would leak into the postmaster and a
# caller's `$(pg-start.sh)` would wait for EOF forever. Bash's own save of
# fd 1 around `main >&2` is close-on-exec.)
main() {
  # ---- 1. software (serialised: concurrent starts must not build twice) ----
  exec 9>"$SDE_PG_STATE_DIR/install.lock"
  flock -w 1800 9 || die "timed out waiting for another pg-start.sh install"

  PG_MAJOR="$(pg_pick_major)"
  PGBIN="/usr/lib/postgresql/$PG_MAJOR/bin"
  if [ ! -x "$PGBIN/initdb" ]; then
    apt_install "postgresql-$PG_MAJOR"
  fi
  [ -x "$PGBIN/initdb" ] || die "$PGBIN/initdb missing after installing postgresql-$PG_MAJOR"
  pg_ensure_pgvector "$PG_MAJOR"
  flock -u 9
  exec 9>&-

  # ---- 2. a fresh cluster in its own temp dir ------------------------------
  # Drop records of clusters whose temp dir is gone (e.g. /tmp was wiped).
  for rec in "$SDE_PG_CLUSTERS_DIR"/*; do
    [ -f "$rec" ] || continue
    d="$(state_get "$rec" SDE_PG_BASE)"
    if [ -z "$d" ] || [ ! -d "$d" ]; then rm -f "$rec"; fi
  done

  BASE="$(mktemp -d "$SDE_PG_TMP/${SDE_PG_TMP_PREFIX}XXXXXXXX")"
  chown postgres:postgres "$BASE"
  DATA="$BASE/data" SOCK="$BASE/sock" LOGFILE="$BASE/postgres.log"
  as_postgres mkdir -m 700 "$SOCK"
  as_postgres touch "$LOGFILE"

  # C.UTF-8 gives UTF-8 character classes (matters for pg_trgm) without
  # depending on generated locales; fall back to plain C.
  LOCALE=C
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then LOCALE=C.UTF-8; fi
  log "initdb PostgreSQL $PG_MAJOR in $DATA"
  as_postgres "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale="$LOCALE" >&2 \
    || die "initdb failed"

  # Loopback only, private socket dir; durability is pointless for a test
  # cluster (fsync off => much faster); test files each open pools => many conns.
  cat >>"$DATA/postgresql.conf" <<CONF

# --- added by scripts/pg-start.sh (throw-away test cluster) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCK'
max_connections = ${SDE_PG_MAX_CONNECTIONS:-300}
fsync = off
synchronous_commit = off
full_page_writes = off
CONF

  # Something accepting TCP connections on 127.0.0.1:$1?
  port_in_use() { (: <>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

  # Scan upward for a free port; if the bind still loses a race with another
  # process, try the next one.
  port="${SDE_PG_PORT_BASE:-54330}"
  for _ in $(seq 1 100); do
    if port_in_use "$port" || [ -e "$SDE_PG_CLUSTERS_DIR/$port" ]; then
      port=$((port + 1)); continue
    fi
    : >"$LOGFILE"
    log "starting on 127.0.0.1:$port"
    if as_postgres "$PGBIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -o "-p $port" -w -t 60 start >&2; then
      STARTED=1 PORT="$port"
      break
    fi
    if grep -qE 'could not bind|Address already in use|could not create any TCP/IP sockets' "$LOGFILE"; then
      port=$((port + 1)); continue
    fi
    die "pg_ctl start failed (postgres.log tail follows)"
  done
  [ "$STARTED" -eq 1 ] || die "no free port found from ${SDE_PG_PORT_BASE:-54330} upward"

  PID="$(sed -n 1p "$DATA/postmaster.pid")"
  URL="postgres://postgres@127.0.0.1:$PORT/sde"

  # ---- 3. database + extensions (proves pgvector really loads) -------------
  PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres)
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE sde OWNER postgres" >&2 || die "CREATE DATABASE sde failed"
  "${PSQL[@]}" -d sde -c "CREATE EXTENSION IF NOT EXISTS vector; CREATE EXTENSION IF NOT EXISTS pg_trgm;" >&2 \
    || die "CREATE EXTENSION vector/pg_trgm failed"

  # ---- 4. state: one record per cluster + "latest" pointer -----------------
  REC="$SDE_PG_CLUSTERS_DIR/$PORT"
  cat >"$REC.tmp" <<STATE
SDE_PG_PORT=$PORT
SDE_PG_PID=$PID
SDE_PG_MAJOR=$PG_MAJOR
SDE_PG_BIN=$PGBIN
SDE_PG_BASE=$BASE
SDE_PG_DATA=$DATA
SDE_PG_SOCKDIR=$SOCK
SDE_PG_LOG=$LOGFILE
SDE_PG_URL=$URL
STATE
  mv -f "$REC.tmp" "$REC"
  cp -f "$REC" "$SDE_PG_STATE.tmp" && mv -f "$SDE_PG_STATE.tmp" "$SDE_PG_STATE"

  OK=1
  log "PostgreSQL $PG_MAJOR running: pid $PID, data $DATA, state $SDE_PG_STATE"
}

main >&2
printf '%s\n' "$URL"

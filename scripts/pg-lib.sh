# shellcheck shell=bash
# Shared helpers for scripts/pg-start.sh and scripts/pg-stop.sh.
# Sourced, not executed. Everything here logs to stderr only, because
# pg-start.sh must keep stdout clean for the DATABASE_URL it prints.

# Where the "latest cluster" state file lives; per-cluster records sit next
# to it so that several throw-away clusters can coexist.
SDE_PG_STATE="${SDE_PG_STATE:-/tmp/sde-pg/state}"
SDE_PG_STATE_DIR="$(dirname "$SDE_PG_STATE")"
# shellcheck disable=SC2034  # used by the sourcing scripts
SDE_PG_CLUSTERS_DIR="$SDE_PG_STATE_DIR/clusters"
# Parent of each cluster's temp dir. Must be traversable by the postgres
# user, hence /tmp rather than $TMPDIR (which may point somewhere private).
SDE_PG_TMP="${SDE_PG_TMP:-/tmp}"
# Temp dirs we create (and are therefore allowed to rm -rf) match this.
# shellcheck disable=SC2034  # used by the sourcing scripts
SDE_PG_TMP_PREFIX="sde-pg."

export DEBIAN_FRONTEND=noninteractive

log() { printf 'pg: %s\n' "$*" >&2; }
die() { printf 'pg: ERROR: %s\n' "$*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (installs packages and uses runuser)"
}

# Run a command as the postgres OS user (initdb/pg_ctl refuse root). cd to /
# first so postgres is not left in a cwd it cannot read. Close every fd above
# stderr: a postmaster started by pg_ctl would otherwise inherit e.g. the
# caller's $(...) stdout pipe and `URL=$(pg-start.sh)` would never return.
as_postgres() {
  (
    for fd in "/proc/$BASHPID/fd"/*; do
      fd="${fd##*/}"
      if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    cd / && exec runuser -u postgres -- "$@"
  )
}

# Read KEY from a KEY=VALUE state file without sourcing it (no code exec).
state_get() {
  local file="$1" key="$2"
  sed -n "s/^${key}=//p" "$file" | sed -n 1p
}

# ---------------------------------------------------------------- apt ------

SDE_APT_UPDATED=0
# Refresh the system package lists at most once per run.
apt_update_once() {
  [ "$SDE_APT_UPDATED" -eq 1 ] && return 0
  log "apt-get update (system lists)"
  apt-get update >&2 9>&- || die "apt-get update failed"
  SDE_APT_UPDATED=1
}

# Lists missing entirely => apt-cache knows nothing; update first.
apt_ensure_lists() {
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    apt_update_once
  fi
}

# Print the candidate version of a package ("" if none). If there is none and
# we have not refreshed yet, the lists may be stale: refresh and ask again.
apt_candidate() {
  local pkg="$1" v
  apt_ensure_lists
  v="$(apt-cache policy "$pkg" 2>/dev/null | sed -n 's/^ *Candidate: //p' | sed -n 1p)"
  if { [ -z "$v" ] || [ "$v" = "(none)" ]; } && [ "$SDE_APT_UPDATED" -eq 0 ]; then
    apt_update_once
    v="$(apt-cache policy "$pkg" 2>/dev/null | sed -n 's/^ *Candidate: //p' | sed -n 1p)"
  fi
  [ "$v" = "(none)" ] && v=""
  printf '%s' "$v"
}

pkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

# apt-get install the given packages that are not installed yet (so nothing
# already present gets upgraded as a side effect). On failure (typically
# 404s from stale lists) refresh the lists once and retry. Waits for a
# concurrent dpkg lock instead of failing. Returns non-zero on failure.
apt_try_install() {
  local missing=() p
  for p in "$@"; do pkg_installed "${p%%=*}" || missing+=("$p"); done
  [ "${#missing[@]}" -gt 0 ] || return 0
  apt_ensure_lists
  log "apt-get install -y ${missing[*]}"
  if apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2 9>&-; then
    return 0
  fi
  [ "$SDE_APT_UPDATED" -eq 1 ] && return 1
  apt_update_once
  apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2 9>&-
}
apt_install() { apt_try_install "$@" || die "apt-get install $* failed"; }

# The machine's own Debian archive mirror (e.g. http://deb.debian.org/debian),
# read from its enabled apt sources (one-line and deb822 formats). The
# security archive is skipped. We never fall back to a hard-coded host.
debian_mirror() {
  local files=() f
  [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && files+=("$f")
  done
  # One awk per file (plain POSIX awk: mawk has no ENDFILE).
  for f in "${files[@]}"; do
    case "$f" in
      *.sources) awk '
        function emit(u) { if (u ~ /^https?:\/\// && u ~ /debian/ && u !~ /security/) print u }
        function flush(   n, a, k) {
          if (!disabled) { n = split(uris, a, " "); for (k = 1; k <= n; k++) emit(a[k]) }
          uris = ""; disabled = 0
        }
        /^[ \t]*$/ { flush(); next }   # blank line ends a deb822 stanza
        $1 == "URIs:" { uris = ""; for (i = 2; i <= NF; i++) uris = uris " " $i }
        $1 == "Enabled:" && tolower($2) == "no" { disabled = 1 }
        END { flush() }' "$f" ;;
      *) awk '
        function emit(u) { if (u ~ /^https?:\/\// && u ~ /debian/ && u !~ /security/) print u }
        $1 == "deb" || $1 == "deb-src" {   # deb [opts] URI suite comps...
          i = 2
          if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
          emit($i)
        }' "$f" ;;
    esac
  done 2>/dev/null | sed 's:/*$::' | sed -n 1p
}

# ----------------------------------------------------------- postgres ------

# Which PostgreSQL major to use: $SDE_PG_MAJOR if set; else 15 if installed
# or installable (bookworm); else the distro default (e.g. 17 on trixie).
pg_pick_major() {
  if [ -n "${SDE_PG_MAJOR:-}" ]; then printf '%s' "$SDE_PG_MAJOR"; return; fi
  if [ -x /usr/lib/postgresql/15/bin/initdb ] || [ -n "$(apt_candidate postgresql-15)" ]; then
    printf '15'; return
  fi
  local dep
  dep="$(apt-cache depends postgresql 2>/dev/null | sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | sed -n 1p)"
  [ -n "$dep" ] || die "cannot find a PostgreSQL server package (postgresql-15 or the 'postgresql' default)"
  printf '%s' "$dep"
}

# Ensure the pgvector extension is installed for PostgreSQL major $1.
# Prefer the distro binary package (exists on trixie for its PG); otherwise
# build Debian's own pgvector source package (from trixie) against the
# installed server headers. Needs $PGBIN set.
pg_ensure_pgvector() {
  local v="$1"
  local control="/usr/share/postgresql/$v/extension/vector.control"
  local lib="/usr/lib/postgresql/$v/lib/vector.so"
  if [ -f "$control" ] && [ -f "$lib" ]; then
    log "pgvector already installed for PostgreSQL $v ($(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$control"))"
    return 0
  fi
  if [ -n "$(apt_candidate "postgresql-$v-pgvector")" ]; then
    apt_install "postgresql-$v-pgvector"
  else
    pg_build_pgvector "$v"
  fi
  if [ ! -f "$control" ] || [ ! -f "$lib" ]; then
    die "pgvector still missing for PostgreSQL $v after install"
  fi
}

# Build pgvector from Debian's source package. A PRIVATE apt config (its own
# sources list, lists dir and cache, all in a temp dir) is used for the
# deb-src line so the system's binary sources and lists stay untouched.
pg_build_pgvector() {
  local v="$1" mirror suite keyring src t0
  suite="${SDE_PGVECTOR_SUITE:-trixie}"
  mirror="$(debian_mirror)"
  [ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources.list{,.d/*}; cannot fetch pgvector source"
  t0=$SECONDS
  log "building pgvector for PostgreSQL $v from Debian source ($mirror $suite)"
  # Server headers + pg_config, dpkg-source (dpkg-dev), compiler. Try the
  # headers matching the installed server first so apt does not drag the
  # server itself to a newer minor release.
  local srv_ver
  srv_ver="$(dpkg-query -W -f='${Version}' "postgresql-$v" 2>/dev/null || true)"
  if ! { [ -n "$srv_ver" ] && apt_try_install "postgresql-server-dev-$v=$srv_ver"; }; then
    apt_install "postgresql-server-dev-$v"
  fi
  apt_install dpkg-dev make gcc

  SDE_PG_BUILD_DIR="$(mktemp -d "${SDE_PG_TMP}/sde-pgvector-build.XXXXXXXX")"
  local apt_dir="$SDE_PG_BUILD_DIR/apt"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.list.d"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -f "$keyring" ] || die "missing $keyring (package debian-archive-keyring)"
  printf 'deb-src [signed-by=%s] %s %s main\n' "$keyring" "$mirror" "$suite" >"$apt_dir/sources.list"
  local apt_opts=(
    -o "Dir::Etc::sourcelist=$apt_dir/sources.list"
    -o "Dir::Etc::sourceparts=$apt_dir/sources.list.d"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    # temp dir is root-only; skip the _apt download sandbox (data is signed)
    -o "APT::Sandbox::User=root"
  )
  apt-get "${apt_opts[@]}" update >&2 || die "apt-get update (private deb-src $suite) failed"
  (cd "$SDE_PG_BUILD_DIR" && apt-get "${apt_opts[@]}" source "pgvector/$suite" >&2) \
    || die "apt-get source pgvector/$suite failed"
  src="$(find "$SDE_PG_BUILD_DIR" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | sed -n 1p)"
  [ -n "$src" ] || die "pgvector source tree not found after apt-get source"
  # OPTFLAGS= : like Debian's own build, no -march=native, so the result is
  # portable (pgvector dispatches SIMD at run time anyway).
  make -C "$src" -j"$(nproc)" PG_CONFIG="$PGBIN/pg_config" OPTFLAGS= >&2 || die "pgvector build failed"
  make -C "$src" PG_CONFIG="$PGBIN/pg_config" OPTFLAGS= install >&2 || die "pgvector install failed"
  log "pgvector $(basename "$src") built and installed in $((SECONDS - t0))s"
  rm -rf "$SDE_PG_BUILD_DIR"
  SDE_PG_BUILD_DIR=""
}

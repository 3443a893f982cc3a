# Sourced by scripts/test.sh and the bench scripts: a throwaway PostgreSQL cluster on loopback in a throwaway
# work directory, owned by the postgres user when running as root (initdb refuses root); both go again on exit.
#
#   make_throwaway_work PREFIX                            sets work=/tmp/PREFIX.XXXXXX (0755); on exit (or INT,
#                                                          TERM) the cluster is stopped and the directory removed
#   start_throwaway_postgres WORKDIR [-c name=value ...]  sets PG_BIN, PG_DATA and PG_PORT
#   stop_throwaway_postgres
#   as_pg COMMAND ...                                     runs a command as the cluster's owner
#   pg_bin_dir                                            Debian's PostgreSQL bin directory, or fails

pg_bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

if [ "$(id -u)" -eq 0 ]; then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

PG_BIN=""
PG_DATA=""
PG_PORT=""
work=""

make_throwaway_work() {
  work="$(mktemp -d "/tmp/$1.XXXXXX")"
  chmod 0755 "$work"
  trap _throwaway_cleanup EXIT INT TERM
}

_throwaway_cleanup() {
  local status=$?
  stop_throwaway_postgres
  [ -z "$work" ] || rm -rf "$work"
  exit "$status"
}

# A port nothing on 127.0.0.1 answers on, from 30000-49999.
_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( (RANDOM % 20000) + 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# Settings given as arguments come after the defaults, so they win (e.g. -c fsync=off for tests; the bench
# keeps fsync on because the hub's durable checkpoints commit to this database).
start_throwaway_postgres() {
  local work="$1"; shift
  PG_BIN="$(pg_bin_dir)"
  PG_DATA="$work/pgdata"
  mkdir -p "$PG_DATA" "$work/sock" "$work/pglogs"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DATA" "$work/sock" "$work/pglogs"; fi
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; return 1; }
  local port
  for _ in 1 2 3; do
    port="$(_free_port)" || break
    if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$work/pglogs/postgres.log" -w -t 30 \
         -o "-c listen_addresses=127.0.0.1 -p $port -k $work/sock $*" start >/dev/null; then
      PG_PORT="$port"
      return 0
    fi
  done
  echo "PostgreSQL did not start:" >&2
  cat "$work/pglogs/postgres.log" >&2
  return 1
}

stop_throwaway_postgres() {
  if [ -n "$PG_BIN" ] && [ -n "$PG_DATA" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
  fi
}

# Sourced by the bench scripts: a throwaway PostgreSQL cluster on loopback, owned by the postgres user when
# running as root (initdb refuses root), removed again by stop_throwaway_postgres.
#
#   start_throwaway_postgres WORKDIR [-c name=value ...]   sets PG_BIN, PG_DATA and PG_PORT
#   stop_throwaway_postgres
#   as_pg COMMAND ...                                      runs a command as the cluster's owner

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
    port=$(( (RANDOM % 20000) + 30000 ))
    # fsync stays on: the hub's durable checkpoints commit to this database.
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

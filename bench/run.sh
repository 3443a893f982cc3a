#!/usr/bin/env bash
# Transfer benchmark (see docs/performance.md): builds Release lxa-hub and lxa-node, installs the tools it
# needs when missing, and runs bench/transfer_bench.py on loopback. Not part of the test suite.
#
#   bench/run.sh RESULT.json [--sizes 256M,1G] [--runs 3] [--skip small,concurrency] [--hub-env K=V] ...
#   bench/run.sh --help          all options
#
# The hub runs as central_hub on PostgreSQL: a throwaway cluster (apt postgresql when missing) unless
# LXA_BENCH_DATABASE_URL names an empty database. LXA_BENCH_SKIP_BUILD=1 reuses the binaries already published under bench/.build/.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$repo/bench/.build"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
[ -x /usr/bin/time ] || missing+=(time)
[ -x /usr/bin/python3 ] || missing+=(python3)
if [ -x /usr/bin/python3 ]; then
  /usr/bin/python3 -c 'import cryptography' 2>/dev/null || missing+=(python3-cryptography)
  /usr/bin/python3 -c 'import requests' 2>/dev/null || missing+=(python3-requests)
else
  missing+=(python3-cryptography python3-requests)
fi
pg_bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  return 1
}
[ -n "${LXA_BENCH_DATABASE_URL:-}" ] || pg_bin_dir >/dev/null || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]}…" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

case "${1:-}" in
  -h|--help) exec /usr/bin/python3 "$repo/bench/transfer_bench.py" --help ;;
esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "${LXA_BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$build/hub/lxa-hub.dll" ] || [ ! -f "$build/node/lxa-node.dll" ]; then
  echo "Building lxa-hub and lxa-node (Release)…" >&2
  dotnet publish "$repo/src/Hub" -c Release -o "$build/hub" -nologo -v quiet -clp:ErrorsOnly >&2
  # The node as released: ReadyToRun (deploy/build-release.sh), framework-dependent here.
  dotnet publish "$repo/src/Node" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$build/node" -nologo -v quiet -clp:ErrorsOnly >&2
fi

# --- the hub's database: LXA_BENCH_DATABASE_URL (an empty database), else a throwaway cluster ------
work="$(mktemp -d /tmp/lxa-bench.XXXXXX)"
chmod 0755 "$work"
pgdata="$work/pgdata"
PG_BIN=""
cleanup() {
  local status=$?
  if [ -n "$PG_BIN" ]; then as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM
database_url="${LXA_BENCH_DATABASE_URL:-}"
if [ -z "$database_url" ]; then
  PG_BIN="$(pg_bin_dir)"
  mkdir -p "$pgdata" "$work/sock" "$work/pglogs"
  # initdb refuses to run as root: the cluster belongs to the postgres user then.
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$pgdata" "$work/sock" "$work/pglogs"
    as_pg() { runuser -u postgres -- "$@"; }
  else
    as_pg() { "$@"; }
  fi
  as_pg "$PG_BIN/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; exit 1; }
  started=""
  for _ in 1 2 3; do
    port=$(( (RANDOM % 20000) + 30000 ))
    # fsync stays on: the hub's durable checkpoints commit to this database.
    if as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -l "$work/pglogs/postgres.log" -w -t 30 \
         -o "-c listen_addresses=127.0.0.1 -p $port -k $work/sock -c max_connections=200" start >/dev/null; then
      started=1
      break
    fi
  done
  [ -n "$started" ] || { echo "PostgreSQL did not start:" >&2; cat "$work/pglogs/postgres.log" >&2; exit 1; }
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres lxa_bench
  database_url="postgres://postgres@127.0.0.1:$port/lxa_bench"
fi

# LXA_BENCH_ENTRY: another script taking the same arguments (bench/profile/run.sh uses it).
/usr/bin/python3 "${LXA_BENCH_ENTRY:-$repo/bench/transfer_bench.py}" --hub-dll "$build/hub/lxa-hub.dll" --node-dll "$build/node/lxa-node.dll" --database-url "$database_url" "$@"

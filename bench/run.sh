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
# shellcheck source=scripts/lib/postgres.sh
. "$repo/scripts/lib/postgres.sh"
[ -n "${LXA_BENCH_DATABASE_URL:-}" ] || pg_bin_dir >/dev/null || missing+=(postgresql)
# shellcheck source=scripts/lib/native-aot.sh
. "$repo/scripts/lib/native-aot.sh"
mapfile -t -O "${#missing[@]}" missing < <(native_aot_missing_packages)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]}…" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

case "${1:-}" in
  -h|--help) exec /usr/bin/python3 "$repo/bench/transfer_bench.py" --help ;;
esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "${LXA_BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$build/hub/lxa-hub.dll" ] || [ ! -x "$build/node/lxa-node" ]; then
  echo "Building lxa-hub and lxa-node (Release)…" >&2
  dotnet publish "$repo/src/Hub" -c Release -o "$build/hub" -nologo -v quiet -clp:ErrorsOnly >&2
  # The node as released: a Native AOT executable (deploy/build-release.sh).
  publish_native_node "$repo" "$build/node" >&2
fi

# --- the hub's database: LXA_BENCH_DATABASE_URL (an empty database), else a throwaway cluster ------
make_throwaway_work lxa-bench
database_url="${LXA_BENCH_DATABASE_URL:-}"
if [ -z "$database_url" ]; then
  start_throwaway_postgres "$work" -c max_connections=200
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres lxa_bench
  database_url="postgres://postgres@127.0.0.1:$PG_PORT/lxa_bench"
fi

# LXA_BENCH_ENTRY: another script taking the same arguments (bench/profile/run.sh uses it).
/usr/bin/python3 "${LXA_BENCH_ENTRY:-$repo/bench/transfer_bench.py}" --hub-dll "$build/hub/lxa-hub.dll" --node-dll "$build/node/lxa-node" --database-url "$database_url" "$@"

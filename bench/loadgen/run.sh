#!/usr/bin/env bash
# Load generator (issue #23, docs/scaling.md): many simulated site nodes, each with its own client certificate,
# against 1 and 3 `lxa-hub serve` replicas on one throwaway PostgreSQL cluster (pg_stat_statements preloaded,
# so the report counts the statements each artifact costs) and one data root. Not part of the test suite.
#
#   bench/loadgen/run.sh [--nodes 200] [--centers 20] [--replicas 1,3] [--seconds 60] [--max-per-node 2000]
#                        [--small-kib 100] [--large-kib 4096] [--large-every 10] [--report FILE]
#
# LXA_BENCH_SKIP_BUILD=1 reuses the Release build already under bench/loadgen/bin.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/lib/postgres.sh
. "$repo/scripts/lib/postgres.sh"
if ! pg_bin_dir >/dev/null; then
  echo "Installing postgresql…" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq; else sudo apt-get update -qq; fi
  if [ "$(id -u)" -eq 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
program="$repo/bench/loadgen/bin/Release/net10.0/LxAnnotate.Bench.LoadGen.dll"
if [ "${LXA_BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$program" ]; then
  echo "Building lxa-hub and the load generator (Release)…" >&2
  dotnet build "$repo/bench/loadgen" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
fi

make_throwaway_work lxa-loadgen
# Each replica: its pool plus one lock session per open Upload stream; the nodes open one stream at a time.
start_throwaway_postgres "$work" -c max_connections=600 -c shared_preload_libraries=pg_stat_statements
export LXA_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
dotnet "$program" "$@"

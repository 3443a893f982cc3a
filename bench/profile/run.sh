#!/usr/bin/env bash
# CPU profile of one push, both sides (see docs/performance.md, "Where the push's CPU goes"):
#
#   bench/profile/run.sh OUT_DIR [--size 1G]
#
# Installs dotnet-trace into bench/.tools/ when missing, then runs bench/profile/profile_push.py through
# bench/run.sh (same Release build, same throwaway PostgreSQL) and prints the breakdown of bench/profile/analyze.py.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
[ $# -ge 1 ] || { sed -n 2,7p "${BASH_SOURCE[0]}"; exit 2; }
out="$1"; shift
tool="${DOTNET_TRACE:-}"
if [ -z "$tool" ]; then
  tool="$repo/bench/.tools/dotnet-trace"
  [ -x "$tool" ] || dotnet tool install --tool-path "$repo/bench/.tools" dotnet-trace >&2
fi
mkdir -p "$out"
DOTNET_TRACE="$tool" LXA_BENCH_ENTRY="$here/profile_push.py" "$repo/bench/run.sh" "$out" "$@"
/usr/bin/python3 "$here/analyze.py" "$out" | tee "$out/breakdown.md"

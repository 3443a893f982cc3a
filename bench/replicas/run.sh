#!/usr/bin/env bash
# Every replica test at the issue's sizes (docs/scaling.md): three real lxa-hub serve replicas on one PostgreSQL
# database and one data root behind Debian's nginx with the real lxa-node, the database failover to a promoted
# standby, two workers on one queue, the transfer lock and the expiry lease.
# Prints each test's measured line: for the large push the replica killed, the durable offset at the kill, where
# and from which offset it resumed, the bytes the node sent through nginx and how many of them again; for the
# churn test the artifacts, the kill-and-restart rounds and the node's retries.
#
#   LXA_TEST_POSTGRES='Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres' bench/replicas/run.sh
#
# LXA_TEST_REPLICA_PUSH_BYTES   size of the push whose replica is killed half way (default here 1 GiB; CI 256 MiB)
# LXA_TEST_REPLICA_CHURN_ARTIFACTS  small artifacts per node (two nodes) while replicas restart (here 500; CI 120)
# LXA_BENCH_FILTER              which tests (default: every replica test: nginx, failover, workers, lock, sweep)
# LXA_BENCH_SKIP_BUILD=1        reuse the Release build of the solution
# Needs nginx and libnginx-mod-stream (scripts/test.sh installs both) and about 2.5 x the push size free in /tmp.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ -z "${LXA_TEST_POSTGRES:-}" ]; then
  echo "bench/replicas/run.sh: set LXA_TEST_POSTGRES to a PostgreSQL server the tests may create databases on" >&2
  exit 2
fi
if [ ! -x /usr/sbin/nginx ] || [ ! -f /usr/lib/nginx/modules/ngx_stream_module.so ]; then
  echo "bench/replicas/run.sh: install nginx and libnginx-mod-stream (apt-get install nginx libnginx-mod-stream)" >&2
  exit 2
fi

export LXA_TEST_REPLICA_PUSH_BYTES="${LXA_TEST_REPLICA_PUSH_BYTES:-1073741824}"
export LXA_TEST_REPLICA_CHURN_ARTIFACTS="${LXA_TEST_REPLICA_CHURN_ARTIFACTS:-500}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
filter="${LXA_BENCH_FILTER:-FullyQualifiedName~EndToEnd.Tests.Replicas}"
if [ "${LXA_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "Building (Release)…" >&2
  dotnet build "$repo/LxAnnotate.sln" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
echo "$(date -u +%FT%TZ) push ${LXA_TEST_REPLICA_PUSH_BYTES} bytes, ${LXA_TEST_REPLICA_CHURN_ARTIFACTS} artifacts per node; load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
status=0
start=$(date +%s)
dotnet test "$repo/tests/EndToEnd.Tests" -c Release --no-build --nologo --filter "$filter" \
  --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?
end=$(date +%s)
grep -E '^\s*(size=|artifacts=|Passed |Failed |Total tests|\s*Passed:|\s*Failed:)' "$log" | sed 's/^ *//' || true
if [ "$status" -ne 0 ]; then
  grep -E 'Error Message|Assert' -A3 "$log" | head -40 >&2 || true
fi
echo "wall $((end - start)) s; load average after $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"

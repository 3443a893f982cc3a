#!/usr/bin/env bash
# Runs every test project of the solution against a throwaway PostgreSQL cluster and prints
# "N passed, N failed". Installs what a fresh Debian 12 machine with only the .NET SDK lacks.
# Exit status: 0 only when every test passed and at least one ran.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# shellcheck source=scripts/lib/postgres.sh
. "$repo/scripts/lib/postgres.sh"
# shellcheck source=scripts/lib/native-aot.sh
. "$repo/scripts/lib/native-aot.sh"

# --- packages ----------------------------------------------------------------------------------
need=()
pg_bin_dir >/dev/null || need+=(postgresql)
command -v openssl >/dev/null || need+=(openssl)
# The foreign-client test drives the hub with Debian's Python grpcio (a client this project did not write).
/usr/bin/python3 -c "import grpc, grpc_tools" >/dev/null 2>&1 || need+=(python3-grpcio python3-grpc-tools)
# Independent implementations used by interop tests (LXENC01, envelopes, Python-era senders).
/usr/bin/python3 -c "import cryptography, requests" >/dev/null 2>&1 || need+=(python3-cryptography python3-requests)
# Media processing (ffprobe/ffmpeg, Tesseract with German and English, pdftoppm), the nginx front end,
# unit verification, HTTP clients and peak-RSS measurement.
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/deu.traineddata ] || need+=(tesseract-ocr-deu tesseract-ocr-eng)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
[ -x /usr/bin/prlimit ] || need+=(util-linux)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
# nginx's stream module (TLS passed through to hub replicas, deploy/nginx-lx-annotate-stream.conf).
[ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || need+=(libnginx-mod-stream)
command -v systemd-analyze >/dev/null || need+=(systemd)
# deploy/bootstrap-host.sh's package list (its CI run then finds nothing to install).
dpkg-query -W -f='${Status}' postgresql-client 2>/dev/null | grep -q "install ok installed" || need+=(postgresql-client)
command -v curl >/dev/null || need+=(curl)
[ -x /usr/bin/time ] || need+=(time)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# The fault suite's reduced set (tests/EndToEnd.Tests/Faults): network namespaces, nftables, a shifted clock.
command -v ip >/dev/null || need+=(iproute2)
command -v nft >/dev/null || need+=(nftables)
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || need+=(faketime)
# The console's browser tests: Debian's chromium (Playwright drives it; no browser is downloaded) and node/npm for
# the test OIDC provider (npm's oidc-provider, installed by the tests into /var/cache/lxa-test).
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/node ] || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
# The release's lxa-node is a Native AOT executable (linked by clang).
mapfile -t -O "${#need[@]}" need < <(native_aot_missing_packages)
if [ "${#need[@]}" -gt 0 ]; then
  echo "Installing: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# --- throwaway PostgreSQL cluster: loopback only, random free port, removed on exit ---------------
make_throwaway_work lxa-test
start_throwaway_postgres "$work" -c max_connections=200 -c fsync=off || exit 1
export LXA_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
echo "PostgreSQL for tests on 127.0.0.1:$PG_PORT"

# --- build and test ------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build LxAnnotate.sln -c Release -nologo -v quiet -clp:ErrorsOnly

# --- release artifact: one self-contained publish, reused by every deploy test ---------------------
echo "Building the release artifact for the deploy tests"
bash deploy/build-release.sh --output "$work/release" --version ci-test >"$work/release.log" 2>&1 \
  || { cat "$work/release.log"; exit 1; }
LXA_TEST_RELEASE_ARTIFACT="$(tail -n 1 "$work/release.log")"
export LXA_TEST_RELEASE_ARTIFACT
# The end-to-end tests run the node as it is shipped: the release's Native AOT lxa-node (tests/TestSupport/Binaries.cs).
mkdir -p "$work/release-node"
tar -xzf "$LXA_TEST_RELEASE_ARTIFACT" -C "$work/release-node" --wildcards '*/node/*'
LXA_TEST_NODE_EXECUTABLE="$(echo "$work"/release-node/*/node/lxa-node)"
[ -x "$LXA_TEST_NODE_EXECUTABLE" ] || { echo "no lxa-node in $LXA_TEST_RELEASE_ARTIFACT" >&2; exit 1; }
export LXA_TEST_NODE_EXECUTABLE

# CI runs as root on a disposable Debian host: the deploy tests may run deploy/bootstrap-host.sh for real there
# (packages, the lx-annotate user, /var/lib/lx-annotate, /etc/lx-annotate). Elsewhere they check its refusal.
if [ "${CI:-}" = "true" ] && [ "$(id -u)" -eq 0 ]; then
  export LXA_TEST_HOST_BOOTSTRAP=1
fi

results="$work/results"
test_status=0
dotnet test LxAnnotate.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || test_status=$?

# --- summary from the trx files (dotnet test's own summary is per project) -----------------------
passed=0; failed=0; skipped=0; total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  get() { local v; v="$(echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p")"; echo "${v:-0}"; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$test_status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$total" -eq 0 ]; then
  exit 1
fi

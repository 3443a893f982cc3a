#!/usr/bin/env bash
# Fault suite (see docs/reliability.md): builds Release lxa-hub and lxa-node, installs the tools it needs
# when missing, and runs bench/faults/faults.py. Needs root: it mounts tmpfs file systems, makes a network
# namespace with a veth pair, and runs a PostgreSQL cluster of its own that it restarts.
#
#   sudo bench/faults/run.sh                       every fault at the issue's sizes (about 40 minutes on 2 cores)
#   sudo bench/faults/run.sh --reduced             the CI set at small sizes (a few minutes)
#   sudo bench/faults/run.sh --only hub-kill-transfer,net-partition [--reduced]
#   bench/faults/run.sh --help                     all options and fault names
#
# LXA_BENCH_SKIP_BUILD=1 reuses the binaries under bench/.build/; LXA_FAULTS_HUB_DLL and LXA_FAULTS_NODE_DLL
# name other builds (the tests pass theirs).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$repo/bench/.build"

case "${1:-}" in
  -h|--help) exec /usr/bin/python3 "$repo/bench/faults/faults.py" --help --hub-dll x --node-dll x ;;
esac
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/faults/run.sh: needs root (tmpfs mounts, a network namespace, its own PostgreSQL cluster); run it with sudo" >&2
  exit 2
fi

missing=()
command -v openssl >/dev/null || missing+=(openssl)
command -v ip >/dev/null || missing+=(iproute2)
command -v tc >/dev/null || missing+=(iproute2)
command -v nft >/dev/null || missing+=(nftables)
command -v mount >/dev/null || missing+=(mount)
command -v runuser >/dev/null || missing+=(util-linux)
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || missing+=(faketime)
[ -x /usr/bin/python3 ] || missing+=(python3)
/usr/bin/python3 -c 'import cryptography' 2>/dev/null || missing+=(python3-cryptography)
/usr/bin/python3 -c 'import requests' 2>/dev/null || missing+=(python3-requests)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# shellcheck source=scripts/lib/native-aot.sh
. "$repo/scripts/lib/native-aot.sh"
# clang and zlib1g-dev only when this script builds the binaries (the tests name their own).
[ -n "${LXA_FAULTS_HUB_DLL:-}" ] || mapfile -t -O "${#missing[@]}" missing < <(native_aot_missing_packages)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]}…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

hub_dll="${LXA_FAULTS_HUB_DLL:-$build/hub/lxa-hub.dll}"
# The node as released, a Native AOT executable; LXA_FAULTS_NODE_DLL may also name an lxa-node.dll.
node_dll="${LXA_FAULTS_NODE_DLL:-$build/node/lxa-node}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ -z "${LXA_FAULTS_HUB_DLL:-}" ] && { [ "${LXA_BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$hub_dll" ] || [ ! -f "$node_dll" ]; }; then
  echo "Building lxa-hub and lxa-node (Release)…" >&2
  dotnet publish "$repo/src/Hub" -c Release -o "$build/hub" -nologo -v quiet -clp:ErrorsOnly >&2
  publish_native_node "$repo" "$build/node" >&2
fi

exec /usr/bin/python3 "$repo/bench/faults/faults.py" --hub-dll "$hub_dll" --node-dll "$node_dll" "$@"

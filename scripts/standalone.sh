#!/usr/bin/env bash
# Starts a standalone LxAnnotate install on this host: lxa-hub (role standalone, SQLite) and an lxa-node
# watcher that talks to it over the hub's Unix socket. Dev certificates are made if absent.
# Ctrl-C (or SIGTERM) stops both.
#
#   scripts/standalone.sh [DATA_DIR]          default: .lxa/standalone under the repository
#   LXA_STANDALONE_PORT=8443                  port of the REST API (https on 127.0.0.1)
#   LXA_STANDALONE_CONFIGURATION=Release      which build to run
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="$(mkdir -p "${1:-$repo/.lxa/standalone}" && cd "${1:-$repo/.lxa/standalone}" && pwd)"
port="${LXA_STANDALONE_PORT:-8443}"
center="${LX_ANNOTATE_DEFAULT_CENTER:-local}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# LXA_STANDALONE_SKIP_BUILD=1 reuses the Release build already there (the end-to-end test does).
if [ "${LXA_STANDALONE_SKIP_BUILD:-0}" != 1 ]; then
  echo "Building (Release)…"
  dotnet build "$repo/LxAnnotate.sln" -c "${LXA_STANDALONE_CONFIGURATION:-Release}" -nologo -v quiet -clp:ErrorsOnly >/dev/null
fi
configuration="${LXA_STANDALONE_CONFIGURATION:-Release}"
bin_hub="$repo/src/Hub/bin/$configuration/net10.0/lxa-hub.dll"
bin_node="$repo/src/Node/bin/$configuration/net10.0/lxa-node.dll"

if ! command -v openssl >/dev/null; then
  echo "Installing openssl (for the dev certificates)…"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq openssl >/dev/null; else sudo apt-get update -qq && sudo apt-get install -y -qq openssl >/dev/null; fi
fi

certs="$base/certs"
bash "$repo/certs-dev/generate.sh" --out "$certs" >/dev/null

export ENDOREG_DEPLOYMENT_ROLE=standalone
export LX_ANNOTATE_ENCRYPTED_DATA_DIR="$base/data"
export LX_ANNOTATE_DEFAULT_CENTER="$center"
export LXA_HUB_API_URL="https://127.0.0.1:$port"
export LXA_HUB_TRANSFER_URL=off
export LXA_HUB_TLS_CERT_FILE="$certs/hub.crt.pem"
export LXA_HUB_TLS_KEY_FILE="$certs/hub.key.pem"
export ENFORCE_AUTH="${ENFORCE_AUTH:-0}"
unset DATABASE_URL DJANGO_DB_ENGINE LX_ANNOTATE_DATA_DIR DATA_DIR STORAGE_DIR

logs="$base/logs"
mkdir -p "$logs"
setup() { "$@" >>"$logs/setup.log" 2>&1 || { echo "Failed: $*; see $logs/setup.log"; tail -n 5 "$logs/setup.log"; exit 1; }; }
setup dotnet "$bin_hub" migrate
if ! dotnet "$bin_hub" centers list --json 2>>"$logs/setup.log" | grep -q "\"center_key\": *\"$center\""; then
  setup dotnet "$bin_hub" centers add "$center" --name "Standalone center" --actor standalone.sh
fi
hub_pid=""; node_pid=""
stop() {
  trap - INT TERM EXIT
  [ -n "$node_pid" ] && kill -TERM "$node_pid" 2>/dev/null || true
  [ -n "$hub_pid" ] && kill -TERM "$hub_pid" 2>/dev/null || true
  wait "$node_pid" 2>/dev/null || true
  wait "$hub_pid" 2>/dev/null || true
  echo "Stopped."
}
trap stop INT TERM EXIT

dotnet "$bin_hub" serve >>"$logs/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$hub_pid" 2>/dev/null || { echo "lxa-hub did not start; see $logs/hub.log"; tail -n 20 "$logs/hub.log"; exit 1; }
  sleep 0.5
done

dotnet "$bin_node" run >>"$logs/node.log" 2>&1 &
node_pid=$!

cat <<INFO
LxAnnotate standalone is running (center '$center').
  Drop folders:
    videos:          $base/data/import/video_import
    reports (PDF):   $base/data/import/report_import
    preanonymized:   $base/data/import/preanonymized_import   (each file with a <stem>.json sidecar)
  REST API:          https://127.0.0.1:$port/api/upload/   (CA: $certs/node-ca.crt.pem)
    curl --cacert $certs/node-ca.crt.pem https://127.0.0.1:$port/api/upload/JOB_ID/status/
  Outbox status:     LX_ANNOTATE_ENCRYPTED_DATA_DIR=$base/data dotnet $bin_node status
  Logs:              $logs/hub.log, $logs/node.log
Ctrl-C stops both.
INFO

# Whichever exits first ends the install; the trap stops the other.
wait -n "$hub_pid" "$node_pid" || true
echo "A process exited; see $logs."

#!/usr/bin/env bash
# Starts a standalone LxAnnotate install on this host, the whole pipeline: lxa-hub serve (role standalone,
# SQLite), lxa-hub worker (probe, overlay OCR, masked video, report anonymization) and an lxa-node watcher that
# talks to the hub over its Unix socket. Development certificates, a development hash salt and a development
# master key are made once beside each other (DATA_DIR/certs) and reused. Ctrl-C (or SIGTERM) stops all three.
# For development and trials only: it refuses any other role, and a production host gets its own secrets
# (docs/deployment.md).
#
#   scripts/standalone.sh [DATA_DIR]          default: .lxa/standalone under the repository
#   LXA_STANDALONE_PORT=8443                  port of the REST API (https on 127.0.0.1)
#   LXA_STANDALONE_CONFIGURATION=Release      which build to run
#   DJANGO_SALT[_FILE], LX_ANNOTATE_MASTER_KEY[_FILE]   your own salt / master key instead of the development ones
set -euo pipefail

# A production role never gets development secrets: this script runs role standalone or nothing.
role_given="${ENDOREG_DEPLOYMENT_ROLE:-standalone}"
if [ "${role_given,,}" != standalone ]; then
  echo "standalone.sh runs role 'standalone' only, but ENDOREG_DEPLOYMENT_ROLE=$role_given is set; a $role_given host is installed with deploy/ (docs/deployment.md)." >&2
  exit 2
fi

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

apt_install() {
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; else sudo apt-get update -qq && sudo apt-get install -y -qq "$@" >/dev/null; fi
}
if ! command -v openssl >/dev/null; then
  echo "Installing openssl (for the dev certificates and secrets)…"
  apt_install openssl
fi
# What the worker runs: ffprobe/ffmpeg, Tesseract with German and English, pdftoppm.
tools=()
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || tools+=(ffmpeg)
command -v pdftoppm >/dev/null || tools+=(poppler-utils)
langs="$(tesseract --list-langs 2>/dev/null || true)"
command -v tesseract >/dev/null || tools+=(tesseract-ocr)
grep -qx deu <<<"$langs" || tools+=(tesseract-ocr-deu)
grep -qx eng <<<"$langs" || tools+=(tesseract-ocr-eng)
if [ ${#tools[@]} -gt 0 ]; then
  echo "Installing ${tools[*]} (for the processing worker)…"
  apt_install "${tools[@]}"
fi

certs="$base/certs"
bash "$repo/certs-dev/generate.sh" --out "$certs" >/dev/null

# The worker needs a hash salt; reports and extracted values are encrypted with a master key. Made once (0600),
# reused on every start, never when the caller brings their own.
made=(); reused=()
dev_secret() { # VARIABLE FILE GENERATOR...
  local variable="$1" file="$2"; shift 2
  if [ -s "$file" ]; then reused+=("$variable"); else (umask 077 && "$@" >"$file.tmp" && mv "$file.tmp" "$file"); made+=("$variable"); fi
  chmod 0600 "$file"
  export "$variable=$file"
}
master_key() { openssl rand 32 | base64 -w0 | tr '+/' '-_'; echo; }
if [ -z "${DJANGO_SALT:-}${DJANGO_SALT_FILE:-}${DJANGO_IDENTITY_SALT_KEYRING_FILE:-}" ]; then
  dev_secret DJANGO_SALT_FILE "$certs/dev-django-salt" openssl rand -hex 32
fi
if [ -z "${LX_ANNOTATE_MASTER_KEY:-}${LX_ANNOTATE_MASTER_KEY_FILE:-}${LX_ANNOTATE_MASTER_KEYRING_FILE:-}" ]; then
  dev_secret LX_ANNOTATE_MASTER_KEY_FILE "$certs/dev-master.key" master_key
fi
[ ${#made[@]} -eq 0 ] || echo "Made a development ${made[*]} in $certs (mode 0600; for this install only, reused on the next start)."
[ ${#reused[@]} -eq 0 ] || echo "Using the development ${reused[*]} in $certs."

export ENDOREG_DEPLOYMENT_ROLE=standalone
export LX_ANNOTATE_ENCRYPTED_DATA_DIR="$base/data"
export LX_ANNOTATE_DEFAULT_CENTER="$center"
export LXA_HUB_API_URL="https://127.0.0.1:$port"
export LXA_HUB_TRANSFER_URL=off
export LXA_HUB_TLS_CERT_FILE="$certs/hub.crt.pem"
export LXA_HUB_TLS_KEY_FILE="$certs/hub.key.pem"
export ENFORCE_AUTH="${ENFORCE_AUTH:-0}"
unset DATABASE_URL DJANGO_DB_ENGINE LX_ANNOTATE_DATA_DIR DATA_DIR STORAGE_DIR

# The settings operator commands need (lxa-hub --env-file …): data root, role, center, salt and key files.
env_file="$base/standalone.env"
{
  echo "ENDOREG_DEPLOYMENT_ROLE=standalone"
  echo "LX_ANNOTATE_ENCRYPTED_DATA_DIR=$LX_ANNOTATE_ENCRYPTED_DATA_DIR"
  echo "LX_ANNOTATE_DEFAULT_CENTER=$center"
  [ -z "${DJANGO_SALT_FILE:-}" ] || echo "DJANGO_SALT_FILE=$DJANGO_SALT_FILE"
  [ -z "${LX_ANNOTATE_MASTER_KEY_FILE:-}" ] || echo "LX_ANNOTATE_MASTER_KEY_FILE=$LX_ANNOTATE_MASTER_KEY_FILE"
} >"$env_file.tmp"
chmod 0600 "$env_file.tmp"
mv "$env_file.tmp" "$env_file"

logs="$base/logs"
mkdir -p "$logs"
setup() { "$@" >>"$logs/setup.log" 2>&1 || { echo "Failed: $*; see $logs/setup.log"; tail -n 5 "$logs/setup.log"; exit 1; }; }
setup dotnet "$bin_hub" migrate
if ! dotnet "$bin_hub" centers list --json 2>>"$logs/setup.log" | grep -q "\"center_key\": *\"$center\""; then
  setup dotnet "$bin_hub" centers add "$center" --name "Standalone center" --actor standalone.sh
fi
hub_pid=""; worker_pid=""; node_pid=""
stop() {
  trap - INT TERM EXIT
  [ -n "$node_pid" ] && kill -TERM "$node_pid" 2>/dev/null || true
  [ -n "$worker_pid" ] && kill -TERM "$worker_pid" 2>/dev/null || true
  [ -n "$hub_pid" ] && kill -TERM "$hub_pid" 2>/dev/null || true
  wait "$node_pid" 2>/dev/null || true
  wait "$worker_pid" 2>/dev/null || true
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

dotnet "$bin_hub" worker >>"$logs/worker.log" 2>&1 &
worker_pid=$!
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
  Jobs and results:  dotnet $bin_hub --env-file $env_file jobs list
                     dotnet $bin_hub --env-file $env_file jobs show JOB_ID
                     (extracted values, the command that decrypts them, the masked video)
  Outbox status:     LX_ANNOTATE_ENCRYPTED_DATA_DIR=$base/data dotnet $bin_node status
  Logs:              $logs/hub.log, $logs/worker.log, $logs/node.log
Ctrl-C stops all three.
INFO

# Whichever exits first ends the install; the trap stops the others.
wait -n "$hub_pid" "$worker_pid" "$node_pid" || true
echo "A process exited; see $logs."

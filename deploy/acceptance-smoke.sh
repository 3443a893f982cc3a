#!/usr/bin/env bash
# Post-deploy acceptance smoke of the release it belongs to, with the production environment
# (deploy.sh exports the env file's variables before calling it; by hand:
#  sudo -u lx-annotate env $(grep -v '^#' /var/lib/lx-annotate/.env.systemd | xargs) deploy/acceptance-smoke.sh).
#
# Checks, one line each ("ok NAME", "skip NAME: why", "FAIL NAME: why"), in this order:
#   readyz                    GET /readyz over TLS at LXA_SMOKE_HOST:LXA_SMOKE_HTTPS_PORT (curl --resolve to LXA_SMOKE_ADDRESS)
#   hub-check                 lxa-hub data-dir check (when this release's lxa-hub has the command)
#   encrypted-storage         lxa-hub encrypted verify (when this release's lxa-hub has the command)
#   node-check                lxa-node check
#   static                    GET LXA_SMOKE_STATIC_PATH over the same front end (skipped when unset)
#   grpc-health               grpc.health.v1.Health/Check on the transfer endpoint with a node certificate
#                             (required on central_hub; skipped on other roles when no certificate is set)
# Waits up to LXA_SMOKE_WAIT_SECONDS (default 60) for /readyz: the services may still be starting.
# Exit status: 0 when nothing failed, 1 otherwise.
set -uo pipefail

release="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
hub="$release/hub/lxa-hub"
node="$release/node/lxa-node"
host="${LXA_SMOKE_HOST:-localhost}"
address="${LXA_SMOKE_ADDRESS:-127.0.0.1}"
https_port="${LXA_SMOKE_HTTPS_PORT:-443}"
transfer_port="${LXA_SMOKE_TRANSFER_PORT:-8444}"
wait_seconds="${LXA_SMOKE_WAIT_SECONDS:-60}"
role="${ENDOREG_DEPLOYMENT_ROLE:-standalone}"
failures=0

ok() { echo "ok $1"; }
skip() { echo "skip $1: $2"; }
failed() { echo "FAIL $1: $2"; failures=$((failures + 1)); }

curl_tls=(curl --silent --show-error --max-time 10)
if [ -n "${LXA_SMOKE_CA_FILE:-}" ]; then curl_tls+=(--cacert "$LXA_SMOKE_CA_FILE"); fi

# A subcommand counts as present when the binary's own help lists it.
# has_command PROGRAM [GROUP] VERB: whether the help of PROGRAM (or of its GROUP) lists VERB.
has_command() {
  local program="$1" verb="${*: -1}"
  local group=("${@:2:$#-2}")
  "$program" "${group[@]}" --help 2>/dev/null | grep -Eq "^[[:space:]]+$verb([[:space:]]|,|$)"
}

run_check() {
  local name="$1"; shift
  local output
  if output="$("$@" 2>&1)"; then
    ok "$name"
  else
    failed "$name" "$(printf '%s' "$output" | tail -n 3 | tr '\n' ' ')"
  fi
}

# /readyz first: it waits for the services that were just restarted, which the other checks need.
readyz_url="https://$host:$https_port/readyz"
deadline=$((SECONDS + wait_seconds))
readyz_body=""
readyz_status=""
body_file="$(mktemp)"
trap 'rm -f "$body_file"' EXIT
while :; do
  readyz_status="$("${curl_tls[@]}" --resolve "$host:$https_port:$address" -o "$body_file" -w '%{http_code}' "$readyz_url" 2>/dev/null)"
  readyz_body="$(cat "$body_file" 2>/dev/null)"
  [ "$readyz_status" = "200" ] && break
  [ "$SECONDS" -ge "$deadline" ] && break
  sleep 1
done
if [ "$readyz_status" = "200" ]; then
  ok readyz
else
  failed readyz "$readyz_url answered ${readyz_status:-nothing} after ${wait_seconds}s: $(printf '%s' "$readyz_body" | head -c 300)"
fi

# Releases before the verbs were grouped have 'check' and 'verify-encrypted-storage' at the top level.
if has_command "$hub" data-dir check; then run_check hub-check "$hub" data-dir check
elif has_command "$hub" check; then run_check hub-check "$hub" check
else skip hub-check "this lxa-hub has no 'data-dir check' command"; fi
if has_command "$hub" encrypted verify; then run_check encrypted-storage "$hub" encrypted verify
elif has_command "$hub" verify-encrypted-storage; then run_check encrypted-storage "$hub" verify-encrypted-storage
else skip encrypted-storage "this lxa-hub has no 'encrypted verify' command"; fi
# Kestrel binds its listeners one after another: give the hub's socket a moment after /readyz answered.
for attempt in 1 2 3 4 5; do
  "$node" check >/dev/null 2>&1 && break
  sleep 2
done
run_check node-check "$node" check

if [ -n "${LXA_SMOKE_STATIC_PATH:-}" ]; then
  static_url="https://$host:$https_port$LXA_SMOKE_STATIC_PATH"
  static_status="$("${curl_tls[@]}" --resolve "$host:$https_port:$address" -o /dev/null -w '%{http_code}' "$static_url" 2>&1)"
  if [ "$static_status" = "200" ]; then ok static; else failed static "$static_url answered $static_status"; fi
else
  skip static "LXA_SMOKE_STATIC_PATH not set"
fi

# gRPC over curl: one length-prefixed, empty HealthCheckRequest; SERVING is the message 08 01.
if [ -n "${LXA_SMOKE_NODE_CERT_FILE:-}" ] && [ -n "${LXA_SMOKE_NODE_KEY_FILE:-}" ]; then
  grpc_url="https://$host:$transfer_port/grpc.health.v1.Health/Check"
  reply="$(printf '\0\0\0\0\0' | "${curl_tls[@]}" --http2 --resolve "$host:$transfer_port:$address" \
      --cert "$LXA_SMOKE_NODE_CERT_FILE" --key "$LXA_SMOKE_NODE_KEY_FILE" \
      -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @- "$grpc_url" 2>&1 | od -An -tx1 | tr -d ' \n')"
  if [ "$reply" = "00000000020801" ]; then
    ok grpc-health
  else
    failed grpc-health "$grpc_url did not answer SERVING (reply bytes: ${reply:-none})"
  fi
elif [ "$role" = "central_hub" ]; then
  failed grpc-health "LXA_SMOKE_NODE_CERT_FILE and LXA_SMOKE_NODE_KEY_FILE must name a registered node certificate on central_hub"
else
  skip grpc-health "no node certificate configured (LXA_SMOKE_NODE_CERT_FILE)"
fi

if [ "$failures" -gt 0 ]; then
  echo "acceptance smoke: $failures check(s) failed"
  exit 1
fi
echo "acceptance smoke: passed"

#!/usr/bin/env bash
# Deploys a release artifact with automatic rollback.
#
#   sudo deploy/deploy.sh lx-annotate-<version>-linux-x64.tar.gz
#
# 1. checks the artifact against <artifact>.sha256 and the unpacked tree against its SHA256SUMS;
# 2. unpacks it into $LXA_PREFIX/releases/<version>/;
# 3. reads the env file (never printed) and runs `lxa-hub migrate` of the new release — a failure stops
#    here: nothing restarted, `current` unchanged, the schema as it was (each migration is one transaction);
#    then `lxa-hub data-dir init` (as the service user) creates what is missing of the data tree with its
#    documented modes — a failure stops here too;
# 4. switches $LXA_PREFIX/current to the new release atomically (ln -s + mv -T) and restarts the units;
# 5. runs deploy/acceptance-smoke.sh (unless RUN_POST_DEPLOY_ACCEPTANCE=0) — a failure switches `current`
#    back, restarts the previous release and exits non-zero naming what failed;
# 6. keeps the newest $LXA_KEEP_RELEASES releases (plus the current one) and removes older ones.
#
# Settings (environment of this script, not of the services):
#   LXA_PREFIX             release root (default /opt/lx-annotate)
#   LXA_ENV_FILE           service environment (default /var/lib/lx-annotate/.env.systemd)
#   LXA_SYSTEMCTL          systemctl command (default systemctl)
#   LXA_SYSTEMD_UNIT_DIR   where the release's units are installed (default /etc/systemd/system)
#   LXA_DEPLOY_UNITS       units to restart (default: the enabled ones of lx-annotate-hub, -worker, -watcher)
#   LXA_KEEP_RELEASES      releases to keep (default 5)
#   LXA_SERVICE_USER       user the data tree is prepared as when this script runs as root (default lx-annotate;
#                          when no such user exists, as the calling user)
#   RUN_POST_DEPLOY_ACCEPTANCE  0 skips the smoke test
# Exit status: 0 deployed; 1 refused or rolled back (the message says which step failed); 2 usage.
set -euo pipefail

prefix="${LXA_PREFIX:-/opt/lx-annotate}"
env_file="${LXA_ENV_FILE:-/var/lib/lx-annotate/.env.systemd}"
systemctl_cmd="${LXA_SYSTEMCTL:-systemctl}"
unit_dir="${LXA_SYSTEMD_UNIT_DIR:-/etc/systemd/system}"
keep="${LXA_KEEP_RELEASES:-5}"
run_smoke="${RUN_POST_DEPLOY_ACCEPTANCE:-1}"
long_running_units=(lx-annotate-hub.service lx-annotate-worker.service lx-annotate-watcher.service)

say() { echo "deploy: $*"; }
fail() { echo "deploy: $*" >&2; exit 1; }

if [ "$#" -ne 1 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,26p' "${BASH_SOURCE[0]}" >&2
  exit 2
fi
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || { echo "deploy: LXA_KEEP_RELEASES must be a positive number" >&2; exit 2; }
artifact="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
[ -f "$artifact" ] || fail "artifact not found: $artifact"
[ -r "$env_file" ] || fail "environment file not readable: $env_file"
read -r -a systemctl_argv <<<"$systemctl_cmd"

# --- 1. checksum of the artifact --------------------------------------------------------------------------
checksum_file="$artifact.sha256"
[ -f "$checksum_file" ] || fail "checksum file missing: $checksum_file (build-release.sh writes it beside the artifact)"
expected="$(awk 'NR==1 {print $1}' "$checksum_file")"
actual="$(sha256sum "$artifact" | awk '{print $1}')"
[ "$expected" = "$actual" ] || fail "checksum mismatch for $(basename "$artifact"): expected $expected, got $actual; not deployed"
say "checksum ok ($actual)"

mkdir -p "$prefix/releases"
exec 9>"$prefix/.deploy.lock"
flock -n 9 || fail "another deploy is running (lock $prefix/.deploy.lock)"

# --- 2. unpack ----------------------------------------------------------------------------------------------
unpack="$(mktemp -d "$prefix/releases/.unpack.XXXXXX")"
trap 'rm -rf "$unpack"' EXIT
tar -xzf "$artifact" -C "$unpack" --no-same-owner
shopt -s nullglob
tops=("$unpack"/*)
shopt -u nullglob
[ "${#tops[@]}" -eq 1 ] && [ -f "${tops[0]}/VERSION" ] || fail "artifact layout unexpected: one top directory with VERSION required"
top="${tops[0]}"
(cd "$top" && sha256sum --quiet --strict -c SHA256SUMS) >/dev/null 2>&1 \
  || fail "SHA256SUMS inside the artifact do not match its files; not deployed"
version="$(head -n 1 "$top/VERSION")"
[[ "$version" =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]] || fail "VERSION '$version' is not a valid release name"
release="$prefix/releases/$version"
if [ -d "$release" ]; then
  cmp -s "$release/SHA256SUMS" "$top/SHA256SUMS" || fail "release $version already exists with different content; not deployed"
  say "release $version already unpacked at $release"
else
  mv -T "$top" "$release"
  say "unpacked $version into $release"
fi

previous=""
if [ -L "$prefix/current" ]; then
  previous="$(readlink "$prefix/current")"
fi

# --- 3. environment (read, never echoed) and migration --------------------------------------------------------
# Parsed like systemd's EnvironmentFile (KEY=VALUE, optional surrounding quotes), not executed as shell code.
while IFS= read -r line || [ -n "$line" ]; do
  line="${line#"${line%%[![:space:]]*}"}"
  case "$line" in ''|'#'*|';'*) continue ;; esac
  key="${line%%=*}"
  value="${line#*=}"
  [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && [ "$key" != "$line" ] || continue
  if [[ "$value" =~ ^\"(.*)\"$ ]] || [[ "$value" =~ ^\'(.*)\'$ ]]; then value="${BASH_REMATCH[1]}"; fi
  export "$key=$value"
done <"$env_file"

say "migrating the database with $version"
if ! "$release/hub/lxa-hub" migrate 9>&-; then
  fail "migration with $version failed; nothing was restarted, current is still ${previous:-unset}, the schema is as before"
fi

# The data tree the services and the smoke's `lxa-hub data-dir check` expect (a release without the command skips
# this; releases before the verbs were grouped call it `init-data-dir`).
service_user="${LXA_SERVICE_USER:-lx-annotate}"
init_data_dir=()
if "$release/hub/lxa-hub" data-dir --help 2>/dev/null | grep -Eq '^[[:space:]]+init([[:space:]]|,|$)'; then
  init_data_dir=(data-dir init)
elif "$release/hub/lxa-hub" --help 2>/dev/null | grep -Eq '^[[:space:]]+init-data-dir([[:space:]]|,|$)'; then
  init_data_dir=(init-data-dir)
fi
if [ "${#init_data_dir[@]}" -gt 0 ]; then
  as_user=()
  if [ "$(id -u)" -eq 0 ] && id -u "$service_user" >/dev/null 2>&1; then as_user=(runuser -u "$service_user" --); fi
  if ! init_output="$("${as_user[@]}" "$release/hub/lxa-hub" "${init_data_dir[@]}" 2>&1 9>&-)"; then
    printf '%s\n' "$init_output" >&2
    fail "${init_data_dir[*]} with $version failed; nothing was restarted, current is still ${previous:-unset}"
  fi
  say "data tree prepared (lxa-hub ${init_data_dir[*]})"
fi

# --- 4. switch and restart --------------------------------------------------------------------------------------
switch_to() {
  local target="$1" link="$prefix/.current.$$"
  ln -sfn "$target" "$link"
  mv -T "$link" "$prefix/current"
}

install_units() {
  local from="$1/deploy/systemd"
  [ -d "$from" ] || return 0
  mkdir -p "$unit_dir"
  local unit changed=0
  for unit in "$from"/*; do
    if ! cmp -s "$unit" "$unit_dir/$(basename "$unit")"; then
      install -m 0644 "$unit" "$unit_dir/$(basename "$unit")"
      changed=1
    fi
  done
  if [ "$changed" -eq 1 ]; then
    "${systemctl_argv[@]}" daemon-reload 9>&-
  fi
}

units=()
if [ -n "${LXA_DEPLOY_UNITS:-}" ]; then
  read -r -a units <<<"$LXA_DEPLOY_UNITS"
else
  for unit in "${long_running_units[@]}"; do
    if "${systemctl_argv[@]}" is-enabled --quiet "$unit" 2>/dev/null 9>&-; then units+=("$unit"); fi
  done
fi

restart_units() {
  local unit status=0
  for unit in "${units[@]}"; do
    # 9>&-: the deploy lock must not be inherited by anything that outlives this script.
    "${systemctl_argv[@]}" restart "$unit" 9>&- || { echo "deploy: restarting $unit failed" >&2; status=1; }
  done
  return "$status"
}

rollback() {
  local reason="$1"
  if [ -z "$previous" ]; then
    fail "$reason; no previous release to roll back to (current stays $version, check the services)"
  fi
  echo "deploy: $reason; rolling back to $(basename "$previous")" >&2
  switch_to "$previous"
  install_units "$previous"
  if restart_units; then
    fail "rolled back to $(basename "$previous") because: $reason"
  fi
  fail "rolled back to $(basename "$previous") because: $reason; restarting the previous release failed too, check the services"
}

switch_to "$release"
touch "$release"   # pruning keeps the most recently deployed releases
say "current -> $release"
install_units "$release"
if [ "${#units[@]}" -eq 0 ]; then
  say "no unit enabled; nothing to restart (set LXA_DEPLOY_UNITS or enable the units)"
elif ! restart_units; then
  rollback "restarting ${units[*]} with $version failed"
fi
say "restarted ${units[*]:-nothing}"

# --- 5. acceptance smoke ----------------------------------------------------------------------------------------
if [ "$run_smoke" != "0" ]; then
  say "running acceptance smoke"
  if ! smoke_output="$("$release/deploy/acceptance-smoke.sh" 2>&1 9>&-)"; then
    printf '%s\n' "$smoke_output" >&2
    failed="$(printf '%s\n' "$smoke_output" | sed -n 's/^FAIL //p' | paste -sd ';' -)"
    rollback "acceptance smoke of $version failed: ${failed:-see above}"
  fi
  printf '%s\n' "$smoke_output"
else
  say "acceptance smoke skipped (RUN_POST_DEPLOY_ACCEPTANCE=0)"
fi

# --- 6. prune -----------------------------------------------------------------------------------------------------
mapfile -t releases < <(find "$prefix/releases" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%T@ %p\n' | sort -rn | cut -d' ' -f2-)
kept=0
for dir in "${releases[@]}"; do
  if [ "$dir" = "$release" ] || [ "$dir" = "$previous" ] || [ "$kept" -lt "$keep" ]; then
    kept=$((kept + 1))
    continue
  fi
  rm -rf "$dir"
  say "removed old release $(basename "$dir")"
done
say "deployed $version"

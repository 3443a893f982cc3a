#!/usr/bin/env bash
# A stand-in for systemctl on machines without a running systemd (CI containers): deploy.sh calls it through
# LXA_SYSTEMCTL. It really starts and stops the programs the installed unit files name.
#
#   supervisor-systemctl.sh start|stop|restart|is-active|is-enabled|daemon-reload [--quiet] UNIT
#
# Reads UNIT from $LXA_SYSTEMD_UNIT_DIR (where deploy.sh installs the release's units); takes ExecStart= and
# EnvironmentFile= from it, with the path prefixes in $LXA_SUPERVISOR_PATH_MAP rewritten
# ("/opt/lx-annotate=/tmp/x/opt /var/lib/lx-annotate=/tmp/x/data"), and runs the program detached with only the
# environment file's variables (as systemd does), output appended to $LXA_SUPERVISOR_STATE/UNIT.log and its pid
# in UNIT.pid. Every unit is treated as Type=simple: readiness is the acceptance smoke's business here.
# A unit is "enabled" when $LXA_SUPERVISOR_STATE/enabled/UNIT exists. With LXA_SUPERVISOR_RUN_AS_UNIT_USER=1 (and
# run as root) the program runs as the unit's User=/Group= (setpriv), as systemd would; otherwise as the caller.
set -euo pipefail

state="${LXA_SUPERVISOR_STATE:?LXA_SUPERVISOR_STATE must name a directory}"
unit_dir="${LXA_SYSTEMD_UNIT_DIR:?LXA_SYSTEMD_UNIT_DIR must name the unit directory}"
mkdir -p "$state"

verb="${1:-}"; shift || true
quiet=0
if [ "${1:-}" = "--quiet" ]; then quiet=1; shift; fi
unit="${1:-}"

rewrite() {
  local value="$1" pair
  for pair in ${LXA_SUPERVISOR_PATH_MAP:-}; do
    value="${value//"${pair%%=*}"/"${pair#*=}"}"
  done
  printf '%s' "$value"
}

unit_key() {
  sed -n "s/^$1=//p" "$unit_dir/$unit" | tail -n 1
}

alive() {
  local pid
  [ -f "$state/$unit.pid" ] || return 1
  pid="$(cat "$state/$unit.pid")"
  [ -d "/proc/$pid" ] || return 1
  # An exited child nobody reaped yet (no init reaps in some containers) is a zombie, not a running service.
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ]
}

stop_unit() {
  alive || { rm -f "$state/$unit.pid"; return 0; }
  local pid
  pid="$(cat "$state/$unit.pid")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    alive || { rm -f "$state/$unit.pid"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$state/$unit.pid"
}

start_unit() {
  alive && return 0
  [ -f "$unit_dir/$unit" ] || { echo "supervisor: unit $unit not installed in $unit_dir" >&2; return 5; }
  local exec_start env_file
  exec_start="$(rewrite "$(unit_key ExecStart)")"
  env_file="$(rewrite "$(unit_key EnvironmentFile)")"
  local -a environment=("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "HOME=$state" "LANG=C.UTF-8")
  if [ -n "$env_file" ]; then
    local line
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in ''|'#'*) continue ;; esac
      [[ "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] && environment+=("$line")
    done <"$env_file"
  fi
  local -a argv
  read -r -a argv <<<"$exec_start"
  local user group
  user="$(unit_key User)"; group="$(unit_key Group)"
  if [ "${LXA_SUPERVISOR_RUN_AS_UNIT_USER:-0}" = 1 ] && [ "$(id -u)" -eq 0 ] && [ -n "$user" ]; then
    argv=(setpriv --reuid "$user" --regid "${group:-$user}" --init-groups -- "${argv[@]}")
  fi
  echo "--- $(date -u +%FT%TZ) start $exec_start" >>"$state/$unit.log"
  setsid env -i "${environment[@]}" "${argv[@]}" >>"$state/$unit.log" 2>&1 </dev/null &
  echo "$!" >"$state/$unit.pid"
}

case "$verb" in
  daemon-reload) exit 0 ;;
  start) start_unit ;;
  stop) stop_unit ;;
  restart) stop_unit; start_unit ;;
  is-active)
    if alive; then [ "$quiet" -eq 1 ] || echo active; exit 0; fi
    [ "$quiet" -eq 1 ] || echo inactive; exit 3 ;;
  is-enabled)
    if [ -e "$state/enabled/$unit" ]; then [ "$quiet" -eq 1 ] || echo enabled; exit 0; fi
    [ "$quiet" -eq 1 ] || echo disabled; exit 1 ;;
  *) echo "supervisor: unsupported command '$verb'" >&2; exit 2 ;;
esac

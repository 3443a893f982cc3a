#!/usr/bin/env bash
# Prepares a Debian/Ubuntu host for LxAnnotate: the system packages the services call, the lx-annotate
# system user and group, the runtime tree (tmpfiles.d) and the release directory. Safe to run again: it
# installs only what is missing, and says what it installed and what was already there.
#
#   sudo deploy/bootstrap-host.sh [--prefix /opt/lx-annotate] [--no-tmpfiles]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="/opt/lx-annotate"
tmpfiles=1
while [ "$#" -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --no-tmpfiles) tmpfiles=0; shift ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "bootstrap-host.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "bootstrap-host.sh: run as root (sudo)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
  echo "bootstrap-host.sh: needs a Debian or Ubuntu host (apt-get, dpkg-query)" >&2
  exit 1
fi

packages=(ffmpeg tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu poppler-utils nginx openssl postgresql-client curl ca-certificates)
missing=()
present=()
for package in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)" = "install ok installed" ]; then
    present+=("$package")
  else
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  for package in "${missing[@]}"; do
    echo "  installed $package $(dpkg-query -W -f='${Version}' "$package")"
  done
else
  echo "Packages: nothing to install"
fi
[ "${#present[@]}" -eq 0 ] || echo "Already installed: ${present[*]}"

if getent group lx-annotate >/dev/null; then
  echo "Group lx-annotate: exists"
else
  groupadd --system lx-annotate
  echo "Group lx-annotate: created"
fi
if getent passwd lx-annotate >/dev/null; then
  echo "User lx-annotate: exists"
else
  useradd --system --gid lx-annotate --home-dir /var/lib/lx-annotate --no-create-home \
    --shell /usr/sbin/nologin --comment "LxAnnotate services" lx-annotate
  echo "User lx-annotate: created"
fi

install -d -m 0755 -o root -g root "$prefix" "$prefix/releases"
echo "Release directory: $prefix/releases"
install -d -m 0750 -o root -g lx-annotate /etc/lx-annotate
echo "Configuration directory: /etc/lx-annotate (certificates and keys go here, group lx-annotate, mode 0640)"

if [ "$tmpfiles" -eq 1 ]; then
  install -m 0644 "$here/tmpfiles.d/lx-annotate.conf" /etc/tmpfiles.d/lx-annotate.conf
  if command -v systemd-tmpfiles >/dev/null; then
    systemd-tmpfiles --create /etc/tmpfiles.d/lx-annotate.conf
    echo "Runtime tree: /var/lib/lx-annotate created with the modes of tmpfiles.d/lx-annotate.conf"
  else
    echo "Runtime tree: systemd-tmpfiles not found; installed /etc/tmpfiles.d/lx-annotate.conf for the next boot"
  fi
fi

env_file=/var/lib/lx-annotate/.env.systemd
if [ -e "$env_file" ]; then
  echo "Environment file: $env_file exists (left as it is)"
else
  install -m 0640 -o root -g lx-annotate "$here/.env.systemd.example" "$env_file"
  echo "Environment file: $env_file created from the example; edit it before the first deploy"
fi
echo "Host ready. Next: deploy/deploy.sh lx-annotate-<version>-linux-x64.tar.gz"

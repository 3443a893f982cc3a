#!/usr/bin/env bash
# Makes a development PKI for LxAnnotate: a node CA, a hub server certificate and node client
# certificates. For development and tests only: production certificates come from the operator's PKI.
#
#   certs-dev/generate.sh [--out DIR] [--hub-name NAME]... [--node NODE_KEY]... [--force]
#
# Existing keys and certificates are kept unless --force is given. ECDSA P-256 / SHA-256.
# Validity: CA 3650 days, hub and node certificates LXA_DEV_CERT_DAYS (default 825) days.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$script_dir/out"
force=""
hub_names=()
nodes=()
ca_days=3650
leaf_days="${LXA_DEV_CERT_DAYS:-825}"

usage() {
  sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

die() {
  echo "generate.sh: $*" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || die "--out needs a directory"; out="$2"; shift 2 ;;
    --hub-name) [ $# -ge 2 ] || die "--hub-name needs a name or IP address"; hub_names+=("$2"); shift 2 ;;
    --node) [ $# -ge 2 ] || die "--node needs a node key"; nodes+=("$2"); shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

command -v openssl >/dev/null || die "openssl is not installed (apt install openssl)"
[[ "$leaf_days" =~ ^[1-9][0-9]{0,4}$ ]] || die "LXA_DEV_CERT_DAYS must be a positive number of days"

# Node keys follow the center-key syntax: they end up in a URI SAN and in the hub's database.
for key in ${nodes[@]+"${nodes[@]}"}; do
  [[ "$key" =~ ^[a-z0-9][a-z0-9_-]{0,63}$ ]] \
    || die "invalid node key '$key': lower-case letters, digits, '_' and '-', starting with a letter or digit, at most 64"
done

# Each --hub-name becomes one SAN entry; anything else (commas, spaces) could inject into the openssl config.
hub_san="DNS:localhost,IP:127.0.0.1,IP:::1"
hub_dns=()
for name in ${hub_names[@]+"${hub_names[@]}"}; do
  case "$name" in
    localhost|127.0.0.1|::1) continue ;;
  esac
  if [[ "$name" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || [[ "$name" =~ ^[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}$ ]]; then
    hub_san="$hub_san,IP:$name"
  elif [[ "$name" =~ ^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$ ]] && [ "${#name}" -le 253 ]; then
    hub_san="$hub_san,DNS:$name"
    hub_dns+=("$name")
  else
    die "invalid --hub-name '$name': a DNS name or an IP address"
  fi
done
hub_cn="localhost"
[ "${#hub_dns[@]}" -gt 0 ] && hub_cn="${hub_dns[0]}"

mkdir -p "$out/nodes"
out="$(cd "$out" && pwd)"
work="$(mktemp -d "$out/.generate.XXXXXX")"
trap 'rm -rf "$work"' EXIT

ca_key="$out/node-ca.key.pem"
ca_crt="$out/node-ca.crt.pem"

report() { printf '%-5s %s\n' "$1" "${2#"$out"/}"; }

# openssl is chatty on stderr even when it succeeds; show what it said only when it fails.
ossl() {
  if ! openssl "$@" 2>"$work/openssl.log"; then
    cat "$work/openssl.log" >&2
    die "openssl $1 failed"
  fi
}

# Keys are born with mode 0600 (umask), never readable by others even for a moment.
new_key() {
  (umask 077 && ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1")
}

random_serial() {
  echo "0x$(openssl rand -hex 16)"
}

# Both files of a pair exist, or neither: a lone key or certificate is an earlier run gone wrong.
pair_state() {
  local crt="$1" key="$2"
  if [ -e "$crt" ] && [ -e "$key" ]; then echo present
  elif [ -e "$crt" ] || [ -e "$key" ]; then echo partial
  else echo absent
  fi
}

# Issues a leaf certificate signed by the CA into $work, then moves key and certificate into place.
# Arguments: certificate path, key path, subject, extension lines.
issue_leaf() {
  local crt="$1" key="$2" subject="$3" extensions="$4" name
  name="$(basename "$crt" .crt.pem)"
  new_key "$work/$name.key.pem"
  printf '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n' >"$work/$name.req.cnf"
  ossl req -new -key "$work/$name.key.pem" -subj "$subject" -config "$work/$name.req.cnf" -out "$work/$name.csr"
  printf '[ext]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n%s\n' \
    "$extensions" >"$work/$name.ext.cnf"
  ossl x509 -req -in "$work/$name.csr" -CA "$ca_crt" -CAkey "$ca_key" -set_serial "$(random_serial)" \
    -days "$leaf_days" -sha256 -extfile "$work/$name.ext.cnf" -extensions ext -out "$work/$name.crt.pem"
  chmod 0644 "$work/$name.crt.pem"
  mv -f "$work/$name.key.pem" "$key"
  mv -f "$work/$name.crt.pem" "$crt"
  report made "$key"
  report made "$crt"
}

# --- node CA --------------------------------------------------------------------------------------
case "$(pair_state "$ca_crt" "$ca_key")" in
  present) [ -n "$force" ] || { report kept "$ca_key"; report kept "$ca_crt"; } ;;
  partial) [ -n "$force" ] || die "only one of node-ca.key.pem / node-ca.crt.pem exists in $out; remove it or use --force" ;;
esac
if [ -n "$force" ] || [ ! -e "$ca_crt" ]; then
  new_key "$work/node-ca.key.pem"
  cat >"$work/ca.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
O = LxAnnotate development
CN = LxAnnotate Development Node CA
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
EOF
  ossl req -new -x509 -key "$work/node-ca.key.pem" -config "$work/ca.cnf" -sha256 -days "$ca_days" \
    -set_serial "$(random_serial)" -out "$work/node-ca.crt.pem"
  chmod 0644 "$work/node-ca.crt.pem"
  mv -f "$work/node-ca.key.pem" "$ca_key"
  mv -f "$work/node-ca.crt.pem" "$ca_crt"
  report made "$ca_key"
  report made "$ca_crt"
fi

# --- hub server certificate -----------------------------------------------------------------------
hub_crt="$out/hub.crt.pem"
hub_key="$out/hub.key.pem"
case "$(pair_state "$hub_crt" "$hub_key")" in
  present)
    if [ -z "$force" ]; then
      report kept "$hub_key"
      report kept "$hub_crt"
      sans="$(openssl x509 -in "$hub_crt" -noout -ext subjectAltName 2>/dev/null || true)"
      for name in ${hub_dns[@]+"${hub_dns[@]}"}; do
        case "$sans" in
          *"DNS:$name,"*|*"DNS:$name") ;;
          *) echo "note: the kept hub.crt.pem does not name '$name'; re-run with --force to re-issue it" ;;
        esac
      done
    fi
    ;;
  partial) [ -n "$force" ] || die "only one of hub.key.pem / hub.crt.pem exists in $out; remove it or use --force" ;;
esac
if [ -n "$force" ] || [ ! -e "$hub_crt" ]; then
  issue_leaf "$hub_crt" "$hub_key" "/CN=$hub_cn" "extendedKeyUsage = serverAuth
subjectAltName = $hub_san"
fi

# --- node client certificates ---------------------------------------------------------------------
# With --force the CA is new, so every node certificate already here is re-issued too: none is left
# signed by a CA that no longer exists.
if [ -n "$force" ]; then
  for existing in "$out"/nodes/*.crt.pem; do
    [ -e "$existing" ] || continue
    nodes+=("$(basename "$existing" .crt.pem)")
  done
fi
declare -A seen=()
for key in ${nodes[@]+"${nodes[@]}"}; do
  [ -z "${seen[$key]:-}" ] || continue
  seen[$key]=1
  node_crt="$out/nodes/$key.crt.pem"
  node_key="$out/nodes/$key.key.pem"
  case "$(pair_state "$node_crt" "$node_key")" in
    present) if [ -z "$force" ]; then report kept "$node_key"; report kept "$node_crt"; continue; fi ;;
    partial) [ -n "$force" ] || die "only one of nodes/$key.key.pem / nodes/$key.crt.pem exists in $out; remove it or use --force" ;;
  esac
  issue_leaf "$node_crt" "$node_key" "/CN=$key" "extendedKeyUsage = clientAuth
subjectAltName = URI:urn:lxannotate:node:$key"
done

# A kept certificate may come from an earlier CA (its files were removed by hand) or have expired.
for existing in "$hub_crt" "$out"/nodes/*.crt.pem; do
  [ -e "$existing" ] || continue
  if ! openssl verify -CAfile "$ca_crt" "$existing" >/dev/null 2>&1; then
    echo "note: ${existing#"$out"/} does not verify against node-ca.crt.pem (another CA, or expired); re-run with --force to re-issue it"
  fi
done

#!/usr/bin/env bash
# Renders deploy/nginx-lx-annotate.conf (or another template): replaces every @@NAME@@ placeholder with the
# value of a variable and writes the result to standard output. Operators and the tests produce the real file
# this way. Only the variables a template uses are required.
#
#   usage: deploy/render-nginx-conf.sh [TEMPLATE] > /etc/nginx/conf.d/lx-annotate.conf
#   TLS terminated at nginx (http {} context):  deploy/nginx-lx-annotate.conf (the default)
#   TLS passed through to the replicas (stream {} context):
#          deploy/render-nginx-conf.sh deploy/nginx-lx-annotate-stream.conf > /etc/nginx/stream.d/lx-annotate.conf
#
# Variables (the hub's own names where it has one, so `set -a; . .env.systemd; set +a` covers most):
#   NGINX_SERVER_NAME           server_name, e.g. hub.example.org
#   NGINX_HTTPS_LISTEN          listen address of the API server, e.g. 443 or 127.0.0.1:8443 (default 443)
#   NGINX_TRANSFER_LISTEN       listen address of the node (mTLS) server, e.g. 8444 (default 8444)
#   NGINX_TLS_CERT_FILE         server certificate chain (PEM)
#   NGINX_TLS_KEY_FILE          its private key (PEM)
#   LXA_HUB_NODE_CA_FILE        CA that issues node client certificates (PEM)
#   NGINX_HUB_API_UPSTREAM      host:port of the hub's http:// API listener, e.g. 127.0.0.1:8080, or a
#                               comma-separated list, one per replica: 10.0.0.11:8080,10.0.0.12:8080
#   NGINX_HUB_TRANSFER_UPSTREAM host:port (or a list, one per replica) of the hubs' transfer listeners: the
#                               http:// ones for nginx-lx-annotate.conf, the https:// (mTLS) ones for the stream template
#   NGINX_STREAM_ACCESS_LOG     the stream template's access log (default /var/log/nginx/lx-annotate-stream.log)
#   LX_ANNOTATE_ENCRYPTED_DATA_DIR  the protected root (aliased by /protected_media/)
#   NGINX_STATIC_ROOT           directory served under /static/
#   NGINX_UPLOAD_MAX_BODY       client_max_body_size for /api/upload/ (default 1025m: LXA_HUB_UPLOAD_MAX_BYTES + form)
#   NGINX_TRANSFER_MAX_BODY     client_max_body_size for /api/media/hub/transfers/ (default 51g)
#   ENDOREG_HUB_TRANSFER_MTLS_META_KEY / ENDOREG_HUB_TRANSFER_MTLS_META_VALUE  the proxy attestation header
#                               (a header name, or the original's Django form HTTP_X_CLIENT_CERT_VERIFIED)
#   LXA_HUB_FORWARDED_CERT_HEADER  header carrying the client certificate (default X-SSL-Client-Cert)
set -euo pipefail

template="${1:-$(dirname "$0")/nginx-lx-annotate.conf}"

# The original's env files name the attestation header as Django reads it (request.META key, e.g.
# HTTP_X_CLIENT_CERT_VERIFIED); nginx sets headers by their name (X-CLIENT-CERT-VERIFIED, case does not matter).
header_name() {
    local value="$1"
    if [[ "$value" =~ ^[Hh][Tt][Tt][Pp]_([A-Za-z0-9_]+)$ ]]; then
        value="${BASH_REMATCH[1]}"
        value="${value//_/-}"
    fi
    printf '%s' "$value"
}
if [[ ! -r "$template" ]]; then
    echo "render-nginx-conf: cannot read template '$template'" >&2
    exit 2
fi

declare -A values=(
    [SERVER_NAME]="${NGINX_SERVER_NAME:-}"
    [HTTPS_LISTEN]="${NGINX_HTTPS_LISTEN:-443}"
    [TRANSFER_LISTEN]="${NGINX_TRANSFER_LISTEN:-8444}"
    [TLS_CERT_FILE]="${NGINX_TLS_CERT_FILE:-}"
    [TLS_KEY_FILE]="${NGINX_TLS_KEY_FILE:-}"
    [NODE_CA_FILE]="${LXA_HUB_NODE_CA_FILE:-}"
    [HUB_API_UPSTREAM]="${NGINX_HUB_API_UPSTREAM:-}"
    [HUB_TRANSFER_UPSTREAM]="${NGINX_HUB_TRANSFER_UPSTREAM:-}"
    [PROTECTED_ROOT]="${LX_ANNOTATE_ENCRYPTED_DATA_DIR:-}"
    [STATIC_ROOT]="${NGINX_STATIC_ROOT:-}"
    [UPLOAD_MAX_BODY]="${NGINX_UPLOAD_MAX_BODY:-1025m}"
    [TRANSFER_MAX_BODY]="${NGINX_TRANSFER_MAX_BODY:-51g}"
    [MTLS_META_KEY]="$(header_name "${ENDOREG_HUB_TRANSFER_MTLS_META_KEY:-}")"
    [MTLS_META_VALUE]="${ENDOREG_HUB_TRANSFER_MTLS_META_VALUE:-}"
    [FORWARDED_CERT_HEADER]="$(header_name "${LXA_HUB_FORWARDED_CERT_HEADER:-X-SSL-Client-Cert}")"
    [STREAM_ACCESS_LOG]="${NGINX_STREAM_ACCESS_LOG:-/var/log/nginx/lx-annotate-stream.log}"
)
declare -A sources=(
    [SERVER_NAME]=NGINX_SERVER_NAME [HTTPS_LISTEN]=NGINX_HTTPS_LISTEN [TRANSFER_LISTEN]=NGINX_TRANSFER_LISTEN
    [TLS_CERT_FILE]=NGINX_TLS_CERT_FILE [TLS_KEY_FILE]=NGINX_TLS_KEY_FILE [NODE_CA_FILE]=LXA_HUB_NODE_CA_FILE
    [HUB_API_UPSTREAM]=NGINX_HUB_API_UPSTREAM [HUB_TRANSFER_UPSTREAM]=NGINX_HUB_TRANSFER_UPSTREAM
    [PROTECTED_ROOT]=LX_ANNOTATE_ENCRYPTED_DATA_DIR [STATIC_ROOT]=NGINX_STATIC_ROOT
    [UPLOAD_MAX_BODY]=NGINX_UPLOAD_MAX_BODY [TRANSFER_MAX_BODY]=NGINX_TRANSFER_MAX_BODY
    [MTLS_META_KEY]=ENDOREG_HUB_TRANSFER_MTLS_META_KEY [MTLS_META_VALUE]=ENDOREG_HUB_TRANSFER_MTLS_META_VALUE
    [FORWARDED_CERT_HEADER]=LXA_HUB_FORWARDED_CERT_HEADER [STREAM_ACCESS_LOG]=NGINX_STREAM_ACCESS_LOG
)
template_text="$(cat "$template")"

# One upstream `server` line per replica. Passive health checks (nginx OSS has no active ones): a replica that
# fails one attempt (connection refused or reset before the request was passed on, or no connection within the
# connect timeout) is skipped for fail_timeout; then one request probes it again. One refusal is enough on a
# LAN (nothing listens: the process is gone); 10 s is about how long systemd takes to restart a replica
# (RestartSec=5s plus start-up), so a restarted replica is back in rotation soon after it listens.
# With a single server nginx ignores both parameters: one value renders and behaves as before.
server_lines() {
    local list="$1" entry out="" first=1
    IFS=',' read -r -a entries <<<"$list"
    for entry in "${entries[@]}"; do
        if [[ $first -eq 0 ]]; then
            out+=$'\n    '
        fi
        out+="server ${entry} max_fails=1 fail_timeout=10s;"
        first=0
    done
    printf '%s' "$out"
}

# A list of host:port entries: each a host name, an IPv4 address or a bracketed IPv6 address, and a port;
# no empty entry, no entry twice. The messages name the variable and the entry's position, never its value.
check_upstreams() {
    local name="$1" value="$2" entry position=0 seen=","
    if [[ "$value" == *, || "$value" == ,* ]]; then
        echo "render-nginx-conf: $name has an empty entry" >&2
        return 2
    fi
    IFS=',' read -r -a entries <<<"$value"
    for entry in "${entries[@]}"; do
        position=$((position + 1))
        if [[ -z "$entry" ]]; then
            echo "render-nginx-conf: $name has an empty entry" >&2
            return 2
        fi
        if ! [[ "$entry" =~ ^([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):([0-9]{1,5})$ ]] || (( 10#${BASH_REMATCH[2]} < 1 || 10#${BASH_REMATCH[2]} > 65535 )); then
            echo "render-nginx-conf: $name entry $position is not host:port" >&2
            return 2
        fi
        if [[ "$seen" == *",$entry,"* ]]; then
            echo "render-nginx-conf: $name names entry $position twice" >&2
            return 2
        fi
        seen+="$entry,"
    done
}

# The upstream lists fill @@HUB_API_SERVERS@@ / @@HUB_TRANSFER_SERVERS@@; a template that takes one address
# (@@HUB_API_UPSTREAM@@) gets it only when the variable holds one.
uses() {
    [[ "$template_text" == *"@@$1@@"* ]]
}
required() {
    uses "$1" || { [[ "$1" == HUB_*_UPSTREAM ]] && uses "${1%_UPSTREAM}_SERVERS"; }
}
status=0
for name in "${!values[@]}"; do
    required "$name" || continue
    value="${values[$name]}"
    if [[ -z "$value" ]]; then
        echo "render-nginx-conf: ${sources[$name]} is required" >&2
        status=2
    # A value ends up inside an nginx directive: whitespace, quotes, ';', braces, '$', '#' or '\' would change
    # the configuration's meaning, so they are refused rather than escaped. (The value itself is never printed.)
    elif [[ "$value" =~ [[:space:]\;\{\}\"\'\$\#\\\&] ]]; then
        echo "render-nginx-conf: ${sources[$name]} contains whitespace, a quote or one of ; { } \$ # \\ &" >&2
        status=2
    fi
done
for name in HUB_API_UPSTREAM HUB_TRANSFER_UPSTREAM; do
    value="${values[$name]}"
    # (A value refused above is not checked again.)
    if [[ -n "$value" && ! "$value" =~ [[:space:]\;\{\}\"\'\$\#\\\&] ]] && required "$name"; then
        if ! check_upstreams "${sources[$name]}" "$value"; then
            status=2
        elif uses "$name" && [[ "$value" == *,* ]]; then
            echo "render-nginx-conf: ${sources[$name]} is a list; this template takes one host:port" >&2
            status=2
        fi
    fi
done
for name in PROTECTED_ROOT STATIC_ROOT TLS_CERT_FILE TLS_KEY_FILE NODE_CA_FILE STREAM_ACCESS_LOG; do
    uses "$name" || continue
    if [[ -n "${values[$name]}" && "${values[$name]}" != /* ]]; then
        echo "render-nginx-conf: ${sources[$name]} must be an absolute path" >&2
        status=2
    fi
done
if [[ $status -ne 0 ]]; then
    exit $status
fi

rendered="$template_text"
for name in HUB_API HUB_TRANSFER; do
    if uses "${name}_SERVERS"; then
        rendered="${rendered//@@${name}_SERVERS@@/$(server_lines "${values[${name}_UPSTREAM]}")}"
    fi
done
for name in "${!values[@]}"; do
    rendered="${rendered//@@${name}@@/${values[$name]%/}}"
done

if [[ "$rendered" =~ @@[A-Z_]+@@ ]]; then
    echo "render-nginx-conf: the template has a placeholder this script does not know: ${BASH_REMATCH[0]}" >&2
    exit 2
fi

printf '%s\n' "$rendered"

#!/usr/bin/env bash
# Renders deploy/nginx-lx-annotate.conf: replaces every @@NAME@@ placeholder with the value of a variable
# and writes the result to standard output. Operators and the tests produce the real file this way.
#
#   usage: deploy/render-nginx-conf.sh [TEMPLATE] > /etc/nginx/conf.d/lx-annotate.conf
#
# Variables (the hub's own names where it has one, so `set -a; . .env.systemd; set +a` covers most):
#   NGINX_SERVER_NAME           server_name, e.g. hub.example.org
#   NGINX_HTTPS_LISTEN          listen address of the API server, e.g. 443 or 127.0.0.1:8443 (default 443)
#   NGINX_TRANSFER_LISTEN       listen address of the node (mTLS) server, e.g. 8444 (default 8444)
#   NGINX_TLS_CERT_FILE         server certificate chain (PEM)
#   NGINX_TLS_KEY_FILE          its private key (PEM)
#   LXA_HUB_NODE_CA_FILE        CA that issues node client certificates (PEM)
#   NGINX_HUB_API_UPSTREAM      host:port of the hub's http:// API listener, e.g. 127.0.0.1:8080
#   NGINX_HUB_TRANSFER_UPSTREAM host:port of the hub's http:// transfer listener, e.g. 127.0.0.1:8081
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
)
declare -A sources=(
    [SERVER_NAME]=NGINX_SERVER_NAME [HTTPS_LISTEN]=NGINX_HTTPS_LISTEN [TRANSFER_LISTEN]=NGINX_TRANSFER_LISTEN
    [TLS_CERT_FILE]=NGINX_TLS_CERT_FILE [TLS_KEY_FILE]=NGINX_TLS_KEY_FILE [NODE_CA_FILE]=LXA_HUB_NODE_CA_FILE
    [HUB_API_UPSTREAM]=NGINX_HUB_API_UPSTREAM [HUB_TRANSFER_UPSTREAM]=NGINX_HUB_TRANSFER_UPSTREAM
    [PROTECTED_ROOT]=LX_ANNOTATE_ENCRYPTED_DATA_DIR [STATIC_ROOT]=NGINX_STATIC_ROOT
    [UPLOAD_MAX_BODY]=NGINX_UPLOAD_MAX_BODY [TRANSFER_MAX_BODY]=NGINX_TRANSFER_MAX_BODY
    [MTLS_META_KEY]=ENDOREG_HUB_TRANSFER_MTLS_META_KEY [MTLS_META_VALUE]=ENDOREG_HUB_TRANSFER_MTLS_META_VALUE
    [FORWARDED_CERT_HEADER]=LXA_HUB_FORWARDED_CERT_HEADER
)

status=0
for name in "${!values[@]}"; do
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
for name in PROTECTED_ROOT STATIC_ROOT TLS_CERT_FILE TLS_KEY_FILE NODE_CA_FILE; do
    if [[ -n "${values[$name]}" && "${values[$name]}" != /* ]]; then
        echo "render-nginx-conf: ${sources[$name]} must be an absolute path" >&2
        status=2
    fi
done
if [[ $status -ne 0 ]]; then
    exit $status
fi

rendered="$(cat "$template")"
for name in "${!values[@]}"; do
    rendered="${rendered//@@${name}@@/${values[$name]%/}}"
done

if [[ "$rendered" =~ @@[A-Z_]+@@ ]]; then
    echo "render-nginx-conf: the template has a placeholder this script does not know: ${BASH_REMATCH[0]}" >&2
    exit 2
fi

printf '%s\n' "$rendered"

#!/usr/bin/env bash
# Test helper: repacks a release artifact under another version (same binaries), optionally with one file
# replaced by garbage, with consistent SHA256SUMS and <artifact>.sha256 — a release the checksums accept.
#
#   make-release-variant.sh ARTIFACT OUTPUT_DIR VERSION [RELATIVE_PATH_TO_CORRUPT]
set -euo pipefail
artifact="$1"; out="$2"; version="$3"; corrupt="${4:-}"
work="$(mktemp -d "${TMPDIR:-/tmp}/lxa-variant.XXXXXX")"
trap 'rm -rf "$work"' EXIT
tar -xzf "$artifact" -C "$work"
top="$(ls "$work")"
name="lx-annotate-$version-linux-x64"
mv "$work/$top" "$work/$name"
echo "$version" >"$work/$name/VERSION"
if [ -n "$corrupt" ]; then
  [ -f "$work/$name/$corrupt" ] || { echo "make-release-variant: $corrupt not in the release" >&2; exit 1; }
  printf 'not an assembly' >"$work/$name/$corrupt"
fi
(cd "$work/$name" && find . -type f ! -name SHA256SUMS -print0 | LC_ALL=C sort -z | xargs -0 sha256sum >SHA256SUMS)
mkdir -p "$out"
tar -C "$work" -I 'gzip -1' -cf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "$out/$name.tar.gz"

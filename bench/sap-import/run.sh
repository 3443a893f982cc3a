#!/usr/bin/env bash
# Measures `lxa-node sap-import` on a synthetic export: peak RSS and wall time from /usr/bin/time -v.
# Usage: bench/sap-import/run.sh [ROWS] [TEXT_BYTES]   (defaults: 100000 rows, ~2000 bytes of text per letter)
# GC_HEAP_LIMIT_MB=N caps the managed heap (DOTNET_GCHeapHardLimit): the run fails with OutOfMemory if the
# conversion needed more, which shows the bound independently of how lazily the GC returns memory.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
rows="${1:-100000}"
text_bytes="${2:-2000}"
work="$(mktemp -d /tmp/lxa-sap-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

dotnet build "$repo/src/Node" -c Release -o "$work/bin" -v quiet -nologo >/dev/null
/usr/bin/python3 "$repo/bench/sap-import/generate.py" "$work/export.zip" "$rows" "$text_bytes"
unzip -l "$work/export.zip" | tail -1 | awk '{printf "archive: %.1f MB uncompressed, ", $1 / 1e6}'
stat -c '%s' "$work/export.zip" | awk '{printf "%.1f MB zip, '"$rows"' rows\n", $1 / 1e6}'

mkdir -p "$work/root"
limit=()
if [[ -n "${GC_HEAP_LIMIT_MB:-}" ]]; then
  limit=(DOTNET_GCHeapHardLimit="$(printf '0x%x' $((GC_HEAP_LIMIT_MB * 1024 * 1024)))")
  echo "managed heap capped at ${GC_HEAP_LIMIT_MB} MB"
fi
env -i PATH="$PATH" HOME="$work" DOTNET_CLI_TELEMETRY_OPTOUT=1 "${limit[@]}" \
  ENDOREG_DEPLOYMENT_ROLE=standalone LX_ANNOTATE_ENCRYPTED_DATA_DIR="$work/root" \
  /usr/bin/time -v -o "$work/time.txt" dotnet "$work/bin/lxa-node.dll" sap-import "$work/export.zip" >"$work/out.txt"
head -1 "$work/out.txt"
du -sm "$work/root/import/preanonymized_import" | awk '{print "output: " $1 " MB"}'
grep -E 'Maximum resident set size|Elapsed \(wall clock\)|User time|System time' "$work/time.txt" | sed 's/^\s*//'

#!/usr/bin/env bash
# Builds the release artifact lx-annotate-<version>-linux-x64.tar.gz: self-contained lxa-hub and lxa-node (a
# Native AOT executable; no .NET runtime needed on the host), the deploy/ files, VERSION and SHA256SUMS, plus
# <artifact>.sha256 beside it for deploy.sh to check. Needs the .NET SDK, clang and zlib1g-dev.
#
#   deploy/build-release.sh [--output DIR] [--version V]
#
# The version defaults to `git describe --always --dirty --tags`. Prints the artifact's path as the last line.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
output="$repo/artifacts"
version=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --output) output="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "build-release.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ -z "$version" ]; then
  version="$(git -C "$repo" describe --always --dirty --tags 2>/dev/null || true)"
fi
if [ -z "$version" ]; then
  echo "build-release.sh: no version: not a git checkout; pass --version" >&2
  exit 2
fi
if ! [[ "$version" =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]]; then
  echo "build-release.sh: version '$version' may only contain letters, digits, '.', '_', '+' and '-'" >&2
  exit 2
fi

# shellcheck source=scripts/lib/native-aot.sh
. "$repo/scripts/lib/native-aot.sh"
missing="$(native_aot_missing_packages | tr '\n' ' ')"
if [ -n "$missing" ]; then
  echo "build-release.sh: lxa-node is published as a Native AOT executable, which needs: apt-get install ${missing% }" >&2
  exit 2
fi

name="lx-annotate-$version-linux-x64"
mkdir -p "$output"
output="$(cd "$output" && pwd)"
stage="$(mktemp -d "${TMPDIR:-/tmp}/lxa-release.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
tree="$stage/$name"
mkdir -p "$tree"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
publish() {
  local project="$1" dest="$2"
  shift 2
  echo "Publishing $project (self-contained linux-x64)"
  dotnet publish "$repo/src/$project" -c Release -r linux-x64 --self-contained true \
    -p:DebugType=none -p:GenerateDocumentationFile=false -p:InformationalVersion="$version" \
    -o "$dest" -nologo -v quiet -clp:ErrorsOnly "$@"
}
publish Hub "$tree/hub"
# The node as a Native AOT executable: every push is a new process, which then starts without a JIT
# (docs/performance.md, "The node as a Native AOT executable").
publish Node "$tree/node" -p:PublishAot=true
# Its separate debug symbols (lxa-node.dbg, about 30 MB) stay out of the release; exception stack traces keep their
# method names without them.
rm -f "$tree/node/"*.dbg

# Everything in deploy/ (units, scripts, env example, and the nginx template with its renderer) except this
# build script, which belongs to the repository, not to the host.
mkdir -p "$tree/deploy"
cp -R "$repo/deploy/." "$tree/deploy/"
rm -f "$tree/deploy/build-release.sh"
cp "$repo/docs/deployment.md" "$tree/deploy/deployment.md"

echo "$version" > "$tree/VERSION"
(cd "$tree" && find . -type f ! -name SHA256SUMS -print0 | LC_ALL=C sort -z | xargs -0 sha256sum > SHA256SUMS)

artifact="$output/$name.tar.gz"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$artifact.tmp" "$name"
mv -f "$artifact.tmp" "$artifact"
(cd "$output" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "Built $(du -h "$artifact" | cut -f1) release $version"
echo "$artifact"

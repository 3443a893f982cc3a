# shellcheck shell=bash
# What a Native AOT publish of lxa-node needs besides the .NET SDK: a C toolchain to link the native executable
# (clang) and the zlib headers. Sourced by scripts/test.sh, bench/run.sh, bench/faults/run.sh and
# deploy/build-release.sh.

# Prints the Debian packages still missing for a Native AOT publish, one per line (nothing when all are there).
native_aot_missing_packages() {
  command -v clang >/dev/null || echo clang
  [ -f /usr/include/zlib.h ] || echo zlib1g-dev
}

# Publishes lxa-node from the repository at $1 as a Native AOT executable into $2 (emptied first), as released.
publish_native_node() {
  local repo="$1" dest="$2"
  shift 2
  rm -rf "$dest"
  dotnet publish "$repo/src/Node" -c Release -r linux-x64 -p:PublishAot=true -o "$dest" -nologo -v quiet -clp:ErrorsOnly "$@"
}

#!/usr/bin/env bash
# Builds a fuzz target (libFuzzer + AddressSanitizer) from the TokenscopeFormats sources.
# Usage: Tests/Fuzz/build.sh OUT_BINARY [gguf|safetensors]   (default: gguf)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/tokenscope-gguf-fuzz}
target=${2:-gguf}
case "$target" in
  gguf) main=Tests/Fuzz/GGUFFuzz.swift ;;
  safetensors) main=Tests/Fuzz/SafetensorsFuzz.swift ;;
  *) echo "unknown target '$target' (gguf or safetensors)" >&2; exit 2 ;;
esac
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name TokenscopeFormats \
  $(find Sources/TokenscopeFormats -name '*.swift') "$main" -o "$out"
echo "built $out"

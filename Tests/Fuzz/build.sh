#!/usr/bin/env bash
# Builds the GGUF fuzz target (libFuzzer + AddressSanitizer) from the TokenscopeFormats sources.
# Usage: Tests/Fuzz/build.sh OUT_BINARY
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/tokenscope-gguf-fuzz}
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name TokenscopeFormats \
  $(find Sources/TokenscopeFormats -name '*.swift') Tests/Fuzz/GGUFFuzz.swift -o "$out"
echo "built $out"

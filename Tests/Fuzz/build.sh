#!/usr/bin/env bash
# Builds a fuzz target (libFuzzer + AddressSanitizer) from the TokenscopeFormats sources (and, for
# the tokenizer target, the TokenscopeTokenizers sources in the same module).
# Usage: Tests/Fuzz/build.sh OUT_BINARY [gguf|safetensors|tokenizer]   (default: gguf)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/tokenscope-gguf-fuzz}
target=${2:-gguf}
case "$target" in
  gguf) main=Tests/Fuzz/GGUFFuzz.swift ;;
  safetensors) main=Tests/Fuzz/SafetensorsFuzz.swift ;;
  tokenizer) main=Tests/Fuzz/TokenizerFuzz.swift ;;
  *) echo "unknown target '$target' (gguf, safetensors or tokenizer)" >&2; exit 2 ;;
esac
extra=()
if [ "$target" = tokenizer ]; then
  # One module: the tokenizer sources' `import TokenscopeFormats` names the module itself.
  extra=($(find Sources/TokenscopeTokenizers -name '*.swift'))
fi
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name TokenscopeFormats -package-name Tokenscope \
  $(find Sources/TokenscopeFormats -name '*.swift') "${extra[@]}" "$main" -o "$out"
echo "built $out"

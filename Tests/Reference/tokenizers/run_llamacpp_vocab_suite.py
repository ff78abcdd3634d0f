"""Runs llama.cpp's tokenizer test vocabularies through the built `tokenscope` binary.

llama.cpp's repository ships `models/ggml-vocab-NAME.gguf` (vocabulary-only GGUF files of real
models) with `ggml-vocab-NAME.gguf.inp` (test strings separated by `__ggml_vocab_test__` lines) and
`.out` (the expected ids, one line of space-separated ids per string, made with the model's HF
tokenizer and without special tokens). Nothing of llama.cpp is committed here: point the script at
a copy of its `models` folder (a git checkout, or the `vendor/llama.cpp/models` folder of the
llama-cpp-python source distribution).

For every vocabulary that has both test files, each string goes through
`tokenscope tokenize --model FILE --no-special --json --file -` and its ids are compared with the
`.out` line. Prints a table (vocabulary, tokenizer model and pre-tokenizer from the file, strings
passed) and, with -v, the first differences.

Usage: python3 Tests/Reference/tokenizers/run_llamacpp_vocab_suite.py MODELS_DIR [BINARY] [-v]
       (BINARY defaults to .build/release/tokenscope)
Exit status 1 when any string differs or a vocabulary fails to load.

Last run (2026-12-02, the llama.cpp copy vendored in llama-cpp-python 0.3.36; 15 vocabularies with
test files): 46/46 for bert-bge, command-r, deepseek-coder, deepseek-llm, falcon, gpt-2, llama-bpe,
llama-spm, mpt, phi-3, qwen2, refact and starcoder, 50/50 for qwen35; gemma-4 (tokenizer kind
`gemma4`, BPE on raw UTF-8) is refused with an error naming the kind and the supported ones.
"""
import glob
import json
import os
import subprocess
import sys

import gguf  # PyPI `gguf`, to show what each file says its tokenizer is


def read_tests(inp_path, out_path):
    with open(inp_path, encoding="utf-8", newline="") as f:
        texts = f.read().split("\n__ggml_vocab_test__\n")
    # The file ends with a separator line: the last element is empty.
    if texts and texts[-1] == "":
        texts.pop()
    with open(out_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    expected = [[int(x) for x in line.split()] for line in lines]
    return texts, expected


def describe(path):
    reader = gguf.GGUFReader(path)

    def text(key):
        field = reader.fields.get(key)
        if field is None:
            return "-"
        return bytes(field.parts[field.data[0]]).decode("utf-8", "replace")

    return text("tokenizer.ggml.model"), text("tokenizer.ggml.pre")


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = "-v" in sys.argv
    if not args:
        print(__doc__)
        sys.exit(2)
    models = args[0]
    binary = args[1] if len(args) > 1 else ".build/release/tokenscope"
    rows = []
    failed = False
    for inp in sorted(glob.glob(os.path.join(models, "ggml-vocab-*.gguf.inp"))):
        path = inp[: -len(".inp")]
        out = path + ".out"
        if not (os.path.exists(path) and os.path.exists(out)):
            continue
        name = os.path.basename(path)[len("ggml-vocab-"): -len(".gguf")]
        model, pre = describe(path)
        texts, expected = read_tests(inp, out)
        passed = 0
        error = ""
        for n, (text, ids) in enumerate(zip(texts, expected)):
            run = subprocess.run(
                [binary, "tokenize", "--model", path, "--no-special", "--json", "--file", "-"],
                input=text.encode("utf-8"), capture_output=True)
            if run.returncode != 0:
                error = run.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
                error = error[0] if error else f"exit {run.returncode}"
                break
            got = json.loads(run.stdout)["ids"]
            if got == ids:
                passed += 1
            elif verbose:
                print(f"{name} #{n} {text!r}\n  expected {ids}\n  got      {got}")
        total = len(texts)
        failed = failed or passed != total
        rows.append((name, model, pre, f"{passed}/{total}", error))
    width = max((len(r[0]) for r in rows), default=10)
    print(f"{'vocabulary':<{width}}  {'model':<6}  {'pre':<16}  passed")
    for name, model, pre, score, error in rows:
        print(f"{name:<{width}}  {model:<6}  {pre:<16}  {score}  {error}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

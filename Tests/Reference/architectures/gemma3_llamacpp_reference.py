#!/usr/bin/env python3
"""llama.cpp's view of the real Gemma 3 270M GGUF (Q4_K_M), through `llama-cpp-python` (PyPI,
built from source), as golden files for the Swift tests.

Two goldens, both independent of Tokenscope:

1. Logits. llama.cpp tokenizes each prompt itself the way `tokenscope` reads a raw prompt (BOS
   first because the file sets `add_bos_token`, special tokens parsed) and evaluates it in one batch
   with logits for every position. llama.cpp rounds activations to 8 bits before its quantised
   products and keeps its KV cache in f16, so its logits sit up to ~1.7 from a float pass: the Swift
   test compares the ids, top-1 and the KL divergence, not logit values. For each of the last
   MAX_POSITIONS positions the file keeps the log-sum-exp over all 262 144 logits, the K largest
   logits (ids uint32, then logits float32, little-endian) in `gemma3-llamacpp-NAME.bin`, K the
   smallest multiple of 64 whose tokens hold all but REST of the mass (at most MAX_K), and the mass
   outside them. With the log-sum-exp they give the reference probabilities of the top-K tokens
   exactly and the mass of all the others as one bucket.

2. Tokenization. The tokenizer corpus (Tests/TokenscopeTokenizersTests/Fixtures/corpus.txt) and the
   edge strings (edge-strings.json), tokenized with add_bos=False, special=False (the text as
   literal text; llama.cpp still splits Gemma's user-defined tokens out of it):
   `gemma3-corpus.u32` (little-endian uint32 ids) and `gemma3-edge.json`.

Usage: python3 Tests/Reference/architectures/gemma3_llamacpp_reference.py [GEMMA.gguf]
Needs: pip install llama-cpp-python numpy
"""
import json
import os
import struct
import sys

import numpy as np
from llama_cpp import Llama

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
    "~/.cache/tokenscope/models/gemma-3-270m-q4_k_m.gguf")
LOGITS_OUT = os.path.join(HERE, "../../TokenscopeTransformerTests/Fixtures/gemma3")
TOKENS_OUT = os.path.join(HERE, "../../TokenscopeTokenizersTests/Fixtures")
REST = 0.02
MAX_K = 2048
MAX_POSITIONS = 8

PROMPTS = [
    ("capital", "The capital of France is"),
    ("story", "Once upon a time, there was a little"),
    ("code", "def fibonacci(n):\n    if n < 2:\n        return n\n    return"),
    ("digits", "In 1969, 12345 people counted to 42, then 43, 44,"),
    ("turn", "<start_of_turn>user\nWhat is the capital of France?<end_of_turn>\n<start_of_turn>model\n"),
]


def logits_goldens():
    llm = Llama(model_path=MODEL, logits_all=True, n_ctx=512, n_batch=512, n_threads=2, seed=0, verbose=False)
    out = {"model": os.path.basename(MODEL), "vocab": llm.n_vocab(), "rest_target": REST,
           "llama_cpp_python": __import__("llama_cpp").__version__, "prompts": []}
    for name, text in PROMPTS:
        ids = llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)
        llm.reset()
        llm.eval(ids)
        logits = np.array(llm.scores[:len(ids)], dtype=np.float64)  # (positions, vocab)
        positions = list(range(max(0, len(ids) - MAX_POSITIONS), len(ids)))
        file = f"gemma3-llamacpp-{name}.bin"
        entries = []
        with open(os.path.join(LOGITS_OUT, file), "wb") as f:
            for position in positions:
                row = logits[position]
                order = np.argsort(-row, kind="stable")
                m = row.max()
                lse = float(m + np.log(np.exp(row - m).sum()))
                held = np.cumsum(np.exp(row[order[:MAX_K]] - lse))
                k = min(MAX_K, 64 * (int(np.searchsorted(held, 1 - REST)) // 64 + 1))
                top = order[:k]
                rest = float(1 - held[k - 1])
                entries.append({"position": position, "logsumexp": lse, "rest_mass": max(rest, 0.0),
                                "top1": int(top[0]), "k": k})
                f.write(struct.pack(f"<{k}I", *[int(i) for i in top]))
                f.write(struct.pack(f"<{k}f", *[float(row[i]) for i in top]))
        out["prompts"].append({"name": name, "text": text, "ids": [int(i) for i in ids], "file": file,
                               "positions": entries})
        print(name, len(ids), "ids; top-1 at the end:", entries[-1]["top1"],
              repr(llm.detokenize([entries[-1]["top1"]]).decode("utf-8", "replace")),
              "rest mass max: %.4f" % max(e["rest_mass"] for e in entries), "k:", [e["k"] for e in entries])
    with open(os.path.join(LOGITS_OUT, "gemma3-llamacpp.json"), "w") as f:
        json.dump(out, f, indent=1)


def tokenizer_goldens():
    llm = Llama(model_path=MODEL, vocab_only=True, verbose=False)
    with open(os.path.join(TOKENS_OUT, "corpus.txt"), "rb") as f:
        corpus = f.read()
    ids = llm.tokenize(corpus, add_bos=False, special=False)
    np.asarray(ids, dtype="<u4").tofile(os.path.join(TOKENS_OUT, "gemma3-corpus.u32"))
    print("corpus:", len(corpus), "bytes,", len(ids), "tokens")
    with open(os.path.join(TOKENS_OUT, "edge-strings.json")) as f:
        strings = json.load(f)
    edge = [llm.tokenize(s.encode("utf-8"), add_bos=False, special=False) if s else [] for s in strings]
    with open(os.path.join(TOKENS_OUT, "gemma3-edge.json"), "w") as f:
        json.dump(edge, f, separators=(",", ":"))
    print("edge strings:", len(strings))


if __name__ == "__main__":
    what = os.environ.get("ONLY", "both")
    if what in ("both", "logits"):
        logits_goldens()
    if what in ("both", "tokens"):
        tokenizer_goldens()

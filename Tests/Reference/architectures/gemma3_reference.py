#!/usr/bin/env python3
"""Golden logits of the real Gemma 3 270M GGUF (Q4_K_M) from HF `transformers`, which loads the
GGUF by dequantising every weight to float32 and runs its own Gemma 3 code in float32: a float
reference on the same weights Tokenscope reads. Token ids come from the tokenizer transformers
converts from the same file (checked against llama-cpp-python's when that is installed).

    pip install torch transformers accelerate gguf numpy sentencepiece
    python3 Tests/Reference/architectures/gemma3_reference.py GEMMA.gguf OUT.json

The output keeps, per prompt and position, the 32 largest logits with their ids and the
log-sum-exp of all 262 144 (so a test can check top-1, the top logits and the normaliser without a
262 144-wide golden per position).
"""
import json
import os
import sys

import numpy as np
import torch
import transformers

PROMPTS = [
    "The capital of France is",
    "Once upon a time, there was a little",
    "def fibonacci(n):\n    if n < 2:\n        return n\n    return",
    "1, 2, 3, 4, 5, 6, 7, 8,",
    "The quick brown fox jumps over the lazy dog. " * 6,
]
# Longer than the 512-position sliding window: only its last positions are kept, where local layers
# no longer see the start.
LONG = " ".join(f"Item {i}: the {w} is {c}." for i, (w, c) in enumerate(
    [(w, c) for w in ("sky", "sea", "grass", "sun", "rose", "coal", "snow", "lemon") for c in ("blue", "green", "red", "bright", "dark")] * 2))
LONG_KEPT = 16
TOP = 32


def main():
    path, out = sys.argv[1], sys.argv[2]
    folder, name = os.path.dirname(os.path.abspath(path)), os.path.basename(path)
    tok = transformers.AutoTokenizer.from_pretrained(folder, gguf_file=name)
    model = transformers.AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    model.eval()
    model.config._attn_implementation = "eager"
    try:
        import llama_cpp
        llm = llama_cpp.Llama(model_path=path, vocab_only=True, verbose=False)
    except Exception:  # not installed here: ids from transformers alone
        llm = None
    result = {"file": name, "transformers": transformers.__version__, "prompts": []}
    for text in PROMPTS + [LONG]:
        ids = tok(text)["input_ids"]
        first = len(ids) - LONG_KEPT if text == LONG else 0
        assert text != LONG or len(ids) > 600, len(ids)
        if llm is not None:
            ref = llm.tokenize(text.encode(), add_bos=True, special=False)
            assert ref == ids, (text, ref, ids)
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0].to(torch.float64).numpy()
        positions = []
        for row in logits[first:]:
            top = np.argsort(-row)[:TOP]
            m = row.max()
            lse = float(m + np.log(np.exp(row - m).sum()))
            positions.append({"ids": top.tolist(), "logits": [float(f"{row[i]:.7g}") for i in top], "logsumexp": lse})
        result["prompts"].append({"text": text, "ids": ids, "first_position": first, "positions": positions,
                                  "llama_cpp_ids": llm is not None})
        print(text[:30], len(ids), "top-1", tok.decode([positions[-1]["ids"][0]]))
    with open(out, "w") as f:
        json.dump(result, f, separators=(",", ":"))


if __name__ == "__main__":
    main()

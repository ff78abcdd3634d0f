"""llama.cpp's logits for a few prompts, through `llama-cpp-python` (PyPI), as golden files.

Independent of Tokenscope: llama.cpp tokenizes the prompts itself (add_bos=False, special=True, the
raw-prompt convention) and evaluates each prompt in one batch with logits for every position.
llama.cpp rounds activations to 8 bits before its quantised products, so its logits differ from a
float pass by up to ~1.5: the Swift test compares top-1 and the KL divergence, not logit values.

For each stored position the files keep the reference's log-sum-exp over the whole vocabulary and
its TOP_K largest logits (ids as uint16, logits as float32, little-endian). With the log-sum-exp
those give the exact reference probabilities of the top-K tokens and the mass of all the others,
enough for KL(reference ‖ ours) over the top-K tokens plus one bucket for the rest.

Usage: python3 Tests/Reference/forward/llamacpp_reference.py [MODEL.gguf] [OUT_DIR]
"""
import json
import os
import struct
import sys

import numpy as np
from llama_cpp import Llama

MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
    "~/.cache/tokenscope/models/SmolLM2-135M-Instruct.Q4_1.gguf")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "../../TokenscopeTransformerTests/Fixtures")
TOP_K = 512
MAX_POSITIONS = 12

PROMPTS = [
    ("capital", "The capital of France is"),
    ("digits", "In 1969, 12345 people counted to 42."),
    ("chat", "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"),
    ("story", "Once upon a time, a curious student opened a terminal and watched a language model think. "
              "Every token it chose had a probability, and every head looked back at the words before it"),
]


def main():
    llm = Llama(model_path=MODEL, logits_all=True, n_ctx=512, n_batch=512, n_threads=2, seed=0, verbose=False)
    out = {"model": os.path.basename(MODEL), "vocab": llm.n_vocab(), "top_k": TOP_K,
           "llama_cpp_python": __import__("llama_cpp").__version__, "prompts": []}
    for name, text in PROMPTS:
        ids = llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)
        llm.reset()
        llm.eval(ids)
        logits = np.array(llm.scores[:len(ids)], dtype=np.float64)  # (positions, vocab)
        positions = list(range(max(0, len(ids) - MAX_POSITIONS), len(ids)))
        file = f"llamacpp-{name}.bin"
        entries = []
        with open(os.path.join(OUT, file), "wb") as f:
            for position in positions:
                row = logits[position]
                top = np.argsort(-row, kind="stable")[:TOP_K]
                m = row.max()
                lse = float(m + np.log(np.exp(row - m).sum()))
                rest = float(1 - np.exp(row[top] - lse).sum())
                entries.append({"position": position, "logsumexp": lse, "rest_mass": max(rest, 0.0),
                                "top1": int(top[0])})
                f.write(struct.pack(f"<{TOP_K}H", *[int(i) for i in top]))
                f.write(struct.pack(f"<{TOP_K}f", *[float(row[i]) for i in top]))
        out["prompts"].append({"name": name, "text": text, "ids": [int(i) for i in ids], "file": file,
                               "positions": entries})
        print(name, ids, "top-1 at the end:", entries[-1]["top1"], "rest mass max:",
              max(e["rest_mass"] for e in entries))
    with open(os.path.join(OUT, "llamacpp-golden.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()

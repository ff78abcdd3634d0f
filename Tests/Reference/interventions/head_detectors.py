"""Head-detector scores of SmolLM2 from the float64 numpy forward pass (Tests/Reference/forward).

Independent of Tokenscope: rebuilds the detectors' repeated random sequence (SplitMix64, as
documented on `InductionSequence`), runs the numpy forward pass keeping every layer's attention,
and scores every head:
  previous  = mean over queries q >= 1 of A[q, q-1]
  first     = mean over q >= 1 of A[q, 0]
  current   = mean over q >= 1 of A[q, q]
  induction = mean over the second copy (q in [N, 2N)) of A[q, q-N+1]
and the same four scores on the repeated digit prompts a learner types ("73914" ten times, and
"7 3 9 1 4" ten times with spaces), tokenized by HF `tokenizers` and scored with the general
induction definition: for every query q whose token occurred earlier at j (j + 1 < q), the summed
weight on those keys j + 1, averaged over the queries that have one.
Writes Tests/TokenscopeTransformerTests/Fixtures/head-detectors-golden.json.
Usage: python3 Tests/Reference/interventions/head_detectors.py [MODEL.gguf] [OUT_DIR]
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "forward"))
import numpy_forward as nf  # noqa: E402  (loads the model named by argv[1] or the cache)

OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "../../TokenscopeTransformerTests/Fixtures")
LENGTH, SEED, LOW, HIGH = 50, 0, 1000, 20000
MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def uniform(seed, position):
    state = (seed + position * GOLDEN) & MASK
    state = (state + GOLDEN) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    z = z ^ (z >> 31)
    return (z >> 11) * 2.0 ** -53


def sequence(length=LENGTH, seed=SEED, low=LOW, high=HIGH):
    ids, seen, draw = [], set(), 0
    while len(ids) < length:
        token = low + int(uniform(seed, draw) * (high - low))
        draw += 1
        if token not in seen:
            seen.add(token)
            ids.append(token)
    return ids + ids


REPEATED = {
    "digits": "73914" * 10,
    "spaced": " ".join(["7 3 9 1 4"] * 10),
}


def general_scores(ids):
    """The four scores of every head over `ids`, induction by its general definition."""
    keep = {layer: None for layer in range(nf.L)}
    nf.forward(ids, keep)
    T = len(ids)
    q = np.arange(1, T)
    targets = []  # per query: the keys after the token's earlier occurrences
    for i in range(T):
        targets.append([j + 1 for j in range(i) if ids[j] == ids[i] and j + 1 < i])
    scores = {"previous": [], "first": [], "current": [], "induction": []}
    for layer in range(nf.L):
        a = keep[layer]
        scores["previous"].append(a[:, q, q - 1].mean(axis=1).tolist())
        scores["first"].append(a[:, q, 0].mean(axis=1).tolist())
        scores["current"].append(a[:, q, q].mean(axis=1).tolist())
        rows = [a[:, i, t].sum(axis=1) for i, t in enumerate(targets) if t]
        scores["induction"].append(np.mean(rows, axis=0).tolist())
    return scores


def main():
    repeated = {}
    for name, text in REPEATED.items():
        ids = nf.tokenizer.encode(text).ids
        repeated[name] = {"text": text, "ids": ids, "scores": general_scores(ids)}
        best = sorted(((s, l, h) for l, row in enumerate(repeated[name]["scores"]["induction"]) for h, s in enumerate(row)), reverse=True)[:3]
        print(name, "best induction:", ", ".join(f"L{l}.H{h} {s:.3f}" for s, l, h in best))
    ids = sequence()
    n = LENGTH
    keep = {layer: None for layer in range(nf.L)}
    nf.forward(ids, keep)
    scores = {"previous": [], "first": [], "current": [], "induction": []}
    q = np.arange(1, 2 * n)
    second = np.arange(n, 2 * n)
    for layer in range(nf.L):
        a = keep[layer]  # (heads, T, T)
        scores["previous"].append(a[:, q, q - 1].mean(axis=1).tolist())
        scores["first"].append(a[:, q, 0].mean(axis=1).tolist())
        scores["current"].append(a[:, q, q].mean(axis=1).tolist())
        scores["induction"].append(a[:, second, second - n + 1].mean(axis=1).tolist())
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "head-detectors-golden.json"), "w") as f:
        json.dump({"model": os.path.basename(nf.MODEL), "length": LENGTH, "seed": SEED, "vocabulary": [LOW, HIGH],
                   "ids": ids, "scores": scores, "repeated": repeated}, f, indent=1)
    strong = [(l, h, s) for l, row in enumerate(scores["induction"]) for h, s in enumerate(row) if s >= 0.5]
    print("induction >= 0.5:", ", ".join(f"L{l}.H{h} {s:.3f}" for l, h, s in sorted(strong, key=lambda t: -t[2])))


if __name__ == "__main__":
    main()

"""Float64 numpy forward pass of SmolLM2 (Llama) over weights dequantized by the `gguf` package.

Independent of Tokenscope: writes golden logits and greedy continuations for the Swift tests.
Usage: python3 Tests/Reference/forward/numpy_forward.py [MODEL.gguf] [OUT_DIR]
"""
import json
import os
import sys

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import smollm_tokenizer  # noqa: E402

MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
    "~/.cache/tokenscope/models/SmolLM2-135M-Instruct.Q4_1.gguf")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "../../TokenscopeTransformerTests/Fixtures")

tokenizer, reader = smollm_tokenizer.load(MODEL)
tensors = {t.name: t for t in reader.tensors}


def weight(name):
    t = tensors[name]
    w = dequantize(t.data, t.tensor_type).astype(np.float64)
    return w.reshape([int(d) for d in reversed(t.shape)]) if w.ndim == 1 and len(t.shape) > 1 else w


def scalar(key):
    return reader.fields[key].parts[reader.fields[key].data[0]][0]


L = int(scalar("llama.block_count"))
H = int(scalar("llama.attention.head_count"))
KV = int(scalar("llama.attention.head_count_kv"))
D = int(scalar("llama.embedding_length"))
HS = D // H
BASE = float(scalar("llama.rope.freq_base"))
EPS = float(scalar("llama.attention.layer_norm_rms_epsilon"))

emb = weight("token_embd.weight")  # (vocab, D)
out_norm = weight("output_norm.weight")
blocks = []
for l in range(L):
    p = f"blk.{l}."
    blocks.append({k: weight(p + k + ".weight") for k in
                   ["attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm", "ffn_gate", "ffn_up", "ffn_down"]})


def rms(x, w):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + EPS) * w


def rope(x, heads):
    # x: (T, heads*HS); rotate consecutive pairs (x[2i], x[2i+1]) by pos * BASE^(-2i/HS).
    T = x.shape[0]
    x = x.reshape(T, heads, HS // 2, 2)
    pos = np.arange(T, dtype=np.float64)[:, None]
    inv = BASE ** (-2.0 * np.arange(HS // 2, dtype=np.float64) / HS)
    ang = pos * inv[None, :]
    c, s = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
    a, b = x[..., 0], x[..., 1]
    return np.stack([a * c - b * s, a * s + b * c], axis=-1).reshape(T, heads * HS)


def forward(ids, keep=None):
    """Logits (T, vocab) for every position; keep collects per-layer data."""
    x = emb[ids]  # (T, D)
    T = len(ids)
    mask = np.triu(np.full((T, T), -np.inf), 1)
    norms = []
    for l, b in enumerate(blocks):
        h = rms(x, b["attn_norm"])
        q = rope(h @ b["attn_q"].T, H)
        k = rope(h @ b["attn_k"].T, KV)
        v = h @ b["attn_v"].T
        outs = []
        probs = []
        for head in range(H):
            g = head // (H // KV)
            qh = q[:, head * HS:(head + 1) * HS]
            kh = k[:, g * HS:(g + 1) * HS]
            vh = v[:, g * HS:(g + 1) * HS]
            s = qh @ kh.T / np.sqrt(HS) + mask
            s = np.exp(s - s.max(axis=-1, keepdims=True))
            s /= s.sum(axis=-1, keepdims=True)
            probs.append(s)
            outs.append(s @ vh)
        attn = np.concatenate(outs, axis=-1) @ b["attn_output"].T
        x = x + attn
        h = rms(x, b["ffn_norm"])
        g = h @ b["ffn_gate"].T
        u = h @ b["ffn_up"].T
        mlp = (g / (1 + np.exp(-g)) * u) @ b["ffn_down"].T
        x = x + mlp
        norms.append(np.linalg.norm(x, axis=-1))
        if keep is not None and l in keep:
            keep[l] = np.stack(probs)  # (heads, T, T)
    logits = rms(x, out_norm) @ emb.T
    return logits, np.stack(norms)  # (T, vocab), (L, T)


def main():
    PROMPTS = [
        ("capital", "The capital of France is", True),
        ("digits", "In 1969, 12345 people counted to 42.", True),
        ("chat", "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n", False),
        ("story", "Once upon a time, a curious student opened a terminal and watched a language model think. "
                  "Every token it chose had a probability, and every head looked back at the words before it", False),
    ]

    os.makedirs(OUT, exist_ok=True)
    index = {"model": os.path.basename(MODEL), "vocab": int(emb.shape[0]), "prompts": []}
    for name, text, all_positions in PROMPTS:
        ids = tokenizer.encode(text).ids
        keep = {0: None, 15: None} if name == "capital" else None
        logits, norms = forward(ids, keep)
        entry = {"name": name, "text": text, "ids": ids}
        if all_positions:
            logits.astype("<f4").tofile(os.path.join(OUT, f"logits-{name}.f32"))
            entry["logits"] = f"logits-{name}.f32"
            entry["logits_positions"] = list(range(len(ids)))
        else:
            logits[-1:].astype("<f4").tofile(os.path.join(OUT, f"logits-{name}.f32"))
            entry["logits"] = f"logits-{name}.f32"
            entry["logits_positions"] = [len(ids) - 1]
        if keep is not None:
            for layer, probs in keep.items():
                probs.astype("<f4").tofile(os.path.join(OUT, f"attention-{name}-layer{layer}.f32"))
            entry["attention_layers"] = sorted(keep)
            entry["residual_norms_last"] = [float(n) for n in norms[:, -1]]
        # Greedy continuation, recomputing the whole sequence each step (no cache to get wrong).
        seq = list(ids)
        continuation, gaps = [], []
        last = logits[-1]
        for _ in range(32):
            order = np.argsort(-last)
            continuation.append(int(order[0]))
            gaps.append(float(last[order[0]] - last[order[1]]))
            seq.append(int(order[0]))
            last = forward(seq)[0][-1]
        entry["greedy"] = continuation
        entry["greedy_gaps"] = gaps
        entry["greedy_text"] = tokenizer.decode(continuation)
        index["prompts"].append(entry)
        print(name, len(ids), repr(entry["greedy_text"]), "min gap %.3f" % min(gaps), flush=True)

    with open(os.path.join(OUT, "forward-golden.json"), "w") as f:
        json.dump(index, f, indent=1)


if __name__ == "__main__":
    main()

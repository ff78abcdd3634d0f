"""Golden dequantisation fixtures from the `gguf` package's reference `quants.dequantize`.

Writes Tests/TokenscopeKernelsTests/Fixtures/quants.bin and quants.json: for every tensor type, a few
random blocks (raw bytes) and the values gguf dequantizes them to; and, from the real default model,
a few rows of a Q4_1, a Q8_0 and an F32 tensor as (file offset, byte count, expected values).
Usage: python3 Tests/Reference/quants/make_quant_fixtures.py [MODEL.gguf]
"""
import json
import os
import sys

import numpy as np
from gguf import GGMLQuantizationType as T, GGUFReader
from gguf.constants import GGML_QUANT_SIZES
from gguf.quants import dequantize

OUT = os.path.join(os.path.dirname(__file__), "../../TokenscopeKernelsTests/Fixtures")
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
    "~/.cache/tokenscope/models/SmolLM2-135M-Instruct.Q4_1.gguf")
rng = np.random.default_rng(1234)
blob = bytearray()
entries = []


def add(name, type_id, raw, values):
    global blob
    entry = {"name": name, "type": int(type_id), "offset": len(blob), "bytes": len(raw), "count": int(values.size)}
    blob += bytes(raw)
    entry["values_offset"] = len(blob)
    blob += values.astype("<f4").tobytes()
    entries.append(entry)


for qtype in [T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q4_K, T.Q5_K, T.Q6_K, T.Q8_K]:
    block, size = GGML_QUANT_SIZES[qtype]
    blocks = 3
    raw = bytearray(rng.integers(0, 256, size=size * blocks, dtype=np.uint8).tobytes())
    # Keep every f16/f32 scale finite and moderate: overwrite scale fields with sane values.
    def put_f16(pos, value):
        raw[pos:pos + 2] = np.float16(value).tobytes()
    for b in range(blocks):
        base = b * size
        if qtype in (T.Q8_0, T.Q4_0, T.Q5_0):
            put_f16(base, rng.uniform(-0.1, 0.1))
        elif qtype in (T.Q4_1, T.Q5_1):
            put_f16(base, rng.uniform(-0.1, 0.1)); put_f16(base + 2, rng.uniform(-1, 1))
        elif qtype in (T.Q4_K, T.Q5_K):
            put_f16(base, rng.uniform(0, 0.05)); put_f16(base + 2, rng.uniform(0, 0.05))
        elif qtype == T.Q6_K:
            put_f16(base + 208, rng.uniform(-0.05, 0.05))
        elif qtype == T.Q8_K:
            raw[base:base + 4] = np.float32(rng.uniform(-0.05, 0.05)).tobytes()
    if qtype == T.F32:
        raw = bytearray(rng.standard_normal(blocks * 16).astype("<f4").tobytes())
    elif qtype == T.F16:
        raw = bytearray(rng.standard_normal(blocks * 16).astype("<f2").tobytes())
    elif qtype == T.BF16:
        raw = bytearray((rng.standard_normal(blocks * 16).astype("<f4").view("<u4") >> 16).astype("<u2").tobytes())
    if qtype == T.Q8_K:
        # gguf has no Q8_K dequantizer: ggml's is y = d * q (f32 d, 256 int8, 16 int16 sums unused).
        b = np.frombuffer(bytes(raw), dtype=np.uint8).reshape(blocks, size)
        d = b[:, :4].copy().view("<f4")
        q = b[:, 4:260].copy().view(np.int8).astype(np.float32)
        values = (d * q).reshape(-1)
    else:
        values = dequantize(np.frombuffer(bytes(raw), dtype=np.uint8), qtype).reshape(-1)
    add(qtype.name, qtype.value, raw, values)

reader = GGUFReader(MODEL)
real = []
for name, rows in [("blk.0.attn_q.weight", [0, 1, 575]), ("token_embd.weight", [0, 7042, 49151]), ("blk.0.attn_norm.weight", [0])]:
    t = next(t for t in reader.tensors if t.name == name)
    block, size = GGML_QUANT_SIZES[t.tensor_type]
    columns = int(t.shape[0])
    row_bytes = columns // block * size
    data = np.asarray(t.data)
    flat = data.reshape(-1) if data.dtype == np.uint8 else data.reshape(-1).view(np.uint8)
    for r in rows:
        raw = flat[r * row_bytes:(r + 1) * row_bytes]
        values = dequantize(raw, t.tensor_type).reshape(-1)
        entry = {"name": f"{name} row {r}", "type": int(t.tensor_type), "file_offset": int(t.data_offset) + r * row_bytes,
                 "bytes": row_bytes, "count": columns, "values_offset": len(blob)}
        blob += values.astype("<f4").tobytes()
        real.append(entry)

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "quants.bin"), "wb") as f:
    f.write(blob)
with open(os.path.join(OUT, "quants.json"), "w") as f:
    json.dump({"generated": entries, "model": real}, f, indent=1)
print(len(entries), "generated types,", len(real), "real rows,", len(blob), "bytes")

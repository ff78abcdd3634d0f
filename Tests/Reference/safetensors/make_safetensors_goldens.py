#!/usr/bin/env python3
"""Golden values for the safetensors reader, read independently with the `safetensors` PyPI package
(numpy backend) from the real all-MiniLM-L6-v2 model.safetensors.

Usage: python3 Tests/Reference/safetensors/make_safetensors_goldens.py [MODEL_FOLDER]
Writes Tests/TokenscopeFormatsTests/Fixtures/minilm-safetensors-goldens.json.
Needs: pip install numpy safetensors
"""
import hashlib, json, os, sys
import numpy as np
from safetensors import safe_open

cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(cache, "tokenscope/models/all-MiniLM-L6-v2")
path = os.path.join(folder, "model.safetensors")
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
out = os.path.join(root, "Tests/TokenscopeFormatsTests/Fixtures/minilm-safetensors-goldens.json")

# Elements to sample: (tensor, index in the file's own row-major order). Corners and a few interior ones.
picks = {
    "embeddings.word_embeddings.weight": [(0, 0), (101, 0), (101, 383), (2023, 17), (30521, 383)],
    "embeddings.position_embeddings.weight": [(0, 0), (511, 383)],
    "embeddings.LayerNorm.weight": [(0,), (383,)],
    "embeddings.position_ids": [(0, 0), (0, 511)],
    "encoder.layer.0.attention.self.query.weight": [(0, 0), (383, 383), (17, 200)],
    "encoder.layer.0.attention.self.query.bias": [(0,), (5,)],
    "encoder.layer.5.intermediate.dense.weight": [(1535, 383), (700, 1)],
    "encoder.layer.5.output.dense.weight": [(383, 1535), (0, 1535)],
}

tensors, values = [], []
with safe_open(path, framework="numpy") as f:
    names = list(f.keys())
    for name in names:
        t = f.get_slice(name)
        tensors.append({"name": name, "dtype": t.get_dtype(), "shape": list(t.get_shape())})
    for name, indices in picks.items():
        array = f.get_tensor(name)
        for index in indices:
            flat = int(np.ravel_multi_index(index, array.shape))
            v = array[index]
            entry = {"tensor": name, "index": list(index), "flat": flat}
            if array.dtype == np.float32:
                entry["bits"] = int(np.float32(v).view(np.uint32))
                entry["value"] = float(v)
            else:
                entry["int"] = int(v)
            values.append(entry)
    # Sums in float64 of a few whole tensors: every byte of the view must match.
    sums = {name: float(np.sum(f.get_tensor(name).astype(np.float64)))
            for name in ["embeddings.LayerNorm.bias", "encoder.layer.3.attention.output.dense.weight", "encoder.layer.5.output.LayerNorm.weight"]
            if name in names}

with open(path, "rb") as fh:
    header_length = int.from_bytes(fh.read(8), "little")

golden = {
    "file_bytes": os.path.getsize(path),
    "header_length": header_length,
    "tensor_count": len(tensors),
    "tensors": tensors,
    "values": values,
    "float64_sums": sums,
    "source": "safetensors %s + numpy %s" % (__import__("safetensors").__version__, np.__version__),
}
with open(out, "w") as fh:
    json.dump(golden, fh, indent=1)
    fh.write("\n")
print("wrote", out, len(tensors), "tensors,", len(values), "values")

"""HF `tokenizers` single `encode` throughput on one thread, to set beside `tokenscope bench tokenizer`.

Encodes the whole file as one text (as the Swift benchmark does), once to warm up, then repeatedly
for about SECONDS, and prints the median run. Tokenizers: SmolLM2's byte-level BPE built from the GGUF
(Tests/Reference/smollm_tokenizer.py) and all-MiniLM-L6-v2's WordPiece (its tokenizer.json,
truncation and padding off).
Usage: RAYON_NUM_THREADS=1 python3 Tests/Reference/tokenizers/bench_hf_tokenizers.py [FILE] [SECONDS]
"""
import os
import statistics
import sys
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import smollm_tokenizer  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

HERE = os.path.dirname(__file__)
FILE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../TokenscopeTokenizersTests/Fixtures/corpus.txt")
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
MODELS = os.path.expanduser("~/.cache/tokenscope/models")

with open(FILE, "rb") as f:
    data = f.read()
text = data.decode("utf-8", errors="replace")

bpe, _ = smollm_tokenizer.load(os.path.join(MODELS, "SmolLM2-135M-Instruct.Q4_1.gguf"))
wordpiece = Tokenizer.from_file(os.path.join(MODELS, "all-MiniLM-L6-v2", "tokenizer.json"))
wordpiece.no_truncation()
wordpiece.no_padding()

for name, tok in (("byte-level BPE (SmolLM2)", bpe), ("WordPiece (all-MiniLM-L6-v2)", wordpiece)):
    count = len(tok.encode(text).ids)  # warm-up
    times = []
    end = time.perf_counter() + SECONDS
    while time.perf_counter() < end or len(times) < 3:
        start = time.perf_counter()
        count = len(tok.encode(text).ids)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"{name}: {len(data)} bytes, {count} tokens, {median:.4f} s (median of {len(times)}), "
          f"{len(data) / 1e6 / median:.2f} MB/s, {count / median:.0f} tokens/s")

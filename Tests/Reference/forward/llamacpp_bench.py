"""llama.cpp's speed on this machine through llama-cpp-python, for Docs/PERFORMANCE.md.

Same protocol as `tokenscope bench`: time to first token for "The capital of France is", prefill of
a 128-token prompt (best of 3), 64 greedy decode steps (per second of wall-clock time, and per second
of the process's CPU time, which a busy machine changes less), peak RSS. Python's own start-up and the
import of llama_cpp are excluded from the time to first token (it is counted from just before the
model loads), so this favours llama.cpp slightly.
Usage: python3 Tests/Reference/forward/llamacpp_bench.py [MODEL.gguf] [THREADS] [PREFILL] [DECODE]
(PREFILL and DECODE: the prompt length and decode steps, 128 and 64 by default, as `tokenscope
bench --prefill-tokens --decode-tokens`.)
"""
import json
import os
import resource
import sys
import time

import numpy as np
from llama_cpp import Llama

MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
    "~/.cache/tokenscope/models/SmolLM2-135M-Instruct.Q4_1.gguf")
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
PREFILL = int(sys.argv[3]) if len(sys.argv) > 3 else 128
DECODE = int(sys.argv[4]) if len(sys.argv) > 4 else 64

start = time.perf_counter()
llm = Llama(model_path=MODEL, n_ctx=max(512, PREFILL + 64), n_batch=512, n_threads=THREADS, n_threads_batch=THREADS, verbose=False)
load_ms = (time.perf_counter() - start) * 1000
short = llm.tokenize(b"The capital of France is", add_bos=False, special=True)
llm.eval(short)
first = int(np.argmax(llm.scores[llm.n_tokens - 1]))
ttft_ms = (time.perf_counter() - start) * 1000

text = b"The quick brown fox jumps over the lazy dog while the teacher explains attention. " * (PREFILL // 8 + 2)
prompt = llm.tokenize(text, add_bos=False, special=True)[:PREFILL]
prefill, prefill_cpu = 0.0, 0.0
for _ in range(3):
    llm.reset()
    t, cpu = time.perf_counter(), time.process_time()
    llm.eval(prompt)
    prefill = max(prefill, len(prompt) / (time.perf_counter() - t))
    prefill_cpu = max(prefill_cpu, len(prompt) / (time.process_time() - cpu))

llm.reset()
llm.eval(short)
t, cpu = time.perf_counter(), time.process_time()
for _ in range(DECODE):
    token = int(np.argmax(llm.scores[llm.n_tokens - 1]))
    llm.eval([token])
decode = DECODE / (time.perf_counter() - t)
decode_cpu = DECODE / (time.process_time() - cpu)
print(json.dumps({"load_ms": load_ms, "ttft_ms": ttft_ms, "prefill_tokens_per_second": prefill,
                  "prefill_tokens_per_cpu_second": prefill_cpu,
                  "decode_tokens_per_second": decode, "decode_tokens_per_cpu_second": decode_cpu, "threads": THREADS, "prefill_tokens": len(prompt),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))

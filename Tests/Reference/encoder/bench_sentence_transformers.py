#!/usr/bin/env python3
"""sentence-transformers throughput on the sentences `tokenscope bench encoder` embeds (one per
line of --file), on --threads CPU threads: prints {"name", "sentences_per_second",
"tokens_per_second"} as JSON. Called by `tokenscope bench encoder` in the same run.

    pip install torch sentence-transformers
"""
import argparse
import json
import time

import torch
from sentence_transformers import SentenceTransformer, __version__


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--file", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with open(args.file, encoding="utf-8") as f:
        texts = f.read().split("\n")
    model = SentenceTransformer(args.model, device="cpu")
    tokens = sum(len(ids) for ids in model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)["input_ids"])
    model.encode(texts[:32], batch_size=args.batch_size)  # warm-up
    start = time.perf_counter()
    model.encode(texts, batch_size=args.batch_size, convert_to_numpy=True)
    seconds = time.perf_counter() - start
    print(json.dumps({"name": f"sentence-transformers {__version__} (torch {torch.__version__}, {args.threads} threads)",
                      "sentences_per_second": len(texts) / seconds, "tokens_per_second": tokens / seconds}))


if __name__ == "__main__":
    main()

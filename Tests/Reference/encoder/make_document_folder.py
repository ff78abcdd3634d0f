#!/usr/bin/env python3
"""Writes a document folder of about N megabytes for the indexing benchmark (Docs/PERFORMANCE.md).

The text comes from the Velmora corpus (Assets/Corpora/velmora), varied so that no two chunks are
the same: every file is a seeded shuffle of the corpus sentences regrouped into paragraphs of 2-8
sentences, with numbers redrawn and some names swapped for others from the corpus. Deterministic
for a seed, so every run indexes the same bytes.

    python3 make_document_folder.py OUT_FOLDER [--megabytes 5] [--seed 7]
"""

import argparse
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "Assets", "Corpora", "velmora"))


def sentences():
    out = []
    for name in sorted(os.listdir(CORPUS)):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
            for paragraph in f.read().split("\n\n"):
                paragraph = paragraph.strip()
                if not paragraph or paragraph.startswith("#"):
                    continue
                out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", paragraph) if s.strip()]
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--megabytes", type=float, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = sentences()
    names = sorted({w for s in pool for w in re.findall(r"\b[A-Z][a-z]{3,}\b", s)})
    os.makedirs(args.out, exist_ok=True)
    target = int(args.megabytes * 1_000_000)
    written, file_number = 0, 0
    while written < target:
        paragraphs = []
        size = 0
        while size < 50_000:
            chosen = [rng.choice(pool) for _ in range(rng.randint(2, 8))]
            text = " ".join(chosen)
            text = re.sub(r"\d+", lambda m: str(rng.randint(1, 9 * 10 ** len(m.group()))), text)
            swap_from, swap_to = rng.choice(names), rng.choice(names)
            text = text.replace(swap_from, swap_to)
            paragraphs.append(text)
            size += len(text.encode("utf-8")) + 2
        body = f"# Notes {file_number:03d}\n\n" + "\n\n".join(paragraphs) + "\n"
        with open(os.path.join(args.out, f"notes-{file_number:03d}.md"), "w", encoding="utf-8") as f:
            f.write(body)
        written += len(body.encode("utf-8"))
        file_number += 1
    print(f"{file_number} files, {written} bytes in {args.out}")


if __name__ == "__main__":
    main()

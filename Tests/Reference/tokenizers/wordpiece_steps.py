#!/usr/bin/env python3
"""WordPiece cuts, step by step, as BERT's reference WordpieceTokenizer makes them (google-research/bert
tokenization.py: greedy longest-match-first, "##" for pieces inside a word), written from the algorithm
and vocab.txt alone, independent of Tokenscope. Prints, for each word, the steps as
(rest, piece, longer prefixes tried that are not in the vocabulary) — the goldens of
Tests/TokenscopeExplorerTests/EncoderExplorerTests.swift (WordPiece cuts).

Usage: python3 wordpiece_steps.py ~/.cache/tokenscope/models/all-MiniLM-L6-v2/vocab.txt WORD...
Words must already be normalised (lower case, no accents, no punctuation).
"""
import sys


def steps(word, vocab):
    out, start = [], 0
    while start < len(word):
        lead = "##" if start > 0 else ""
        end = len(word)
        while end > start and lead + word[start:end] not in vocab:
            end -= 1
        if end == start:
            return None  # [UNK]
        out.append((lead + word[start:], lead + word[start:end], len(word) - end))
        start = end
    return out


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        vocab = {line.rstrip("\n") for line in f}
    for word in sys.argv[2:]:
        print(word, steps(word, vocab))


if __name__ == "__main__":
    main()

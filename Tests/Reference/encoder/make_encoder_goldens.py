#!/usr/bin/env python3
"""Golden sentence embeddings of all-MiniLM-L6-v2 from `sentence-transformers` on CPU, for
`SentenceEncoderTests`: the encoder's tokens and its 384-dimensional unit vectors for a set of
texts written here (everyday sentences, technical ones, questions, and edge cases: the empty
string, whitespace only, a 1 000-word text past the 256-token truncation, accents, CJK, emoji,
special tokens spelled in the text, repeated punctuation).

    pip install torch sentence-transformers
    python3 Tests/Reference/encoder/make_encoder_goldens.py [--model DIR] [--out DIR]

Writes `minilm-sentences.json` (`{"model", "max_seq_length", "dimension", "texts": [...],
"tokens": [[ids]...]}`) and `minilm-embeddings.f16` (texts × 384 little-endian float16, row-major).
float16 keeps the fixture small; its rounding moves a cosine by less than 1e-6.
"""
import argparse
import json
import os
import random

import numpy as np
import torch
from sentence_transformers import SentenceTransformer

SUBJECTS = ["The old lighthouse keeper", "A small brown dog", "My neighbour", "The committee", "Every student",
            "The river", "A quiet engineer", "The new library", "Our train", "The weather forecast",
            "A curious child", "The bakery on the corner", "The orchestra", "Her grandmother", "The museum guard"]
VERBS = ["painted", "forgot", "described", "repaired", "ignored", "celebrated", "measured", "borrowed",
         "explained", "followed", "cancelled", "discovered", "cleaned", "photographed", "praised"]
OBJECTS = ["the blue fence near the harbour", "a recipe for lemon cake", "the broken clock in the hall",
           "an argument about taxes", "the first snow of winter", "a map of the northern islands",
           "the noisy printer upstairs", "a letter from an old friend", "the results of the election",
           "a song about the sea", "the schedule for next week", "the garden behind the school"]
ENDINGS = ["", " yesterday", " before dinner", " without telling anyone", " for the third time",
           " with great care", " in the rain", " after a long delay"]

HANDWRITTEN = [
    "How do I reset my password?",
    "I forgot my login credentials and cannot sign in.",
    "What is the capital of France?",
    "Paris is the capital and largest city of France.",
    "The cat sat on the mat.",
    "A feline rested on the rug.",
    "Stock markets fell sharply after the announcement.",
    "Photosynthesis converts light energy into chemical energy.",
    "The transformer architecture relies on self-attention.",
    "Neural networks learn representations from data.",
    "Can you recommend a good Italian restaurant nearby?",
    "Where can I find cheap flights to Tokyo?",
    "The quick brown fox jumps over the lazy dog.",
    "To be, or not to be, that is the question.",
    "E = mc^2 relates mass and energy.",
    "def add(a, b): return a + b",
    "SELECT name FROM users WHERE age > 30;",
    "https://example.com/path?query=1&other=2",
    "user@example.org wrote on 2024-03-15 at 10:45.",
    "The meeting is at 3:30 pm in room 4B.",
    "I love this product! It works perfectly.",
    "Terrible service, I will never come back.",
    "Rain is expected tomorrow afternoon.",
    "The sun will shine all weekend.",
    "He plays the violin in a string quartet.",
    "She is training for a marathon in April.",
    "Water boils at 100 degrees Celsius at sea level.",
    "The mitochondria is the powerhouse of the cell.",
    "Please turn off the lights when you leave.",
    "Don't forget to water the plants!",
]

EDGE_CASES = [
    "",
    " ",
    "\t\n",
    ".",
    "a",
    "Hello",
    "!!!???...",
    "Café crème brûlée à la française, déjà vu, naïve façade.",
    "Über den Wolken muss die Freiheit wohl grenzenlos sein.",
    "El niño comió jalapeños en São Paulo.",
    "Ångström, Øresund, Łódź, Škoda, Dvořák.",
    "東京は日本の首都です。",
    "我喜欢学习自然语言处理。",
    "한국어 문장도 시험해 봅니다.",
    "日本語と English が混ざった文章です。",
    "Привет, как дела?",
    "Γειά σου κόσμε.",
    "مرحبا بالعالم",
    "שלום עולם",
    "नमस्ते दुनिया",
    "I love pizza 🍕🍕🍕 and coffee ☕!",
    "👍",
    "🏳️‍🌈 👨‍👩‍👧‍👦 🇫🇷",
    "[CLS] a sentence with special tokens spelled in it [SEP]",
    "[MASK] is unknown [UNK] here",
    "ALL CAPS SHOUTING SENTENCE",
    "mIxEd CaSe WoRdS",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "a" * 150,
    "word " * 300,
    "1234567890 3.14159 -42 1e10",
    "   leading and trailing spaces   ",
    "tabs\tand\nnewlines\r\ninside",
    "zero\u200bwidth\u200bspaces",
    "\u00a0non-breaking\u00a0spaces\u00a0",
    "combining: e\u0301 vs \u00e9",
]


def long_text(rng):
    words = []
    while len(words) < 1000:
        words += f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(ENDINGS)}.".split()
    return " ".join(words[:1000])


def texts():
    rng = random.Random(20261202)
    out = list(HANDWRITTEN) + list(EDGE_CASES)
    out.append(long_text(rng))
    out.append(long_text(rng) + " Ünïcödé at the very end 🎉")
    while len(out) < 520:
        s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(ENDINGS)}."
        if rng.random() < 0.2:
            s = s + " " + rng.choice(HANDWRITTEN)
        if rng.random() < 0.1:
            s = s.lower()
        if s not in out:
            out.append(s)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=os.path.expanduser("~/.cache/tokenscope/models/all-MiniLM-L6-v2"))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../../TokenscopeTransformerTests/Fixtures/encoder"))
    args = parser.parse_args()
    torch.set_num_threads(2)
    model = SentenceTransformer(args.model, device="cpu")
    all_texts = texts()
    embeddings = model.encode(all_texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=False)
    norms = np.linalg.norm(embeddings, axis=1)
    assert np.allclose(norms[norms > 0], 1, atol=1e-4), "the model's Normalize module should give unit vectors"
    tokens = [model.tokenizer(t, truncation=True, max_length=model.max_seq_length)["input_ids"] for t in all_texts]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "minilm-sentences.json"), "w", encoding="utf-8") as f:
        json.dump({"model": "all-MiniLM-L6-v2", "reference": f"sentence-transformers {__import__('sentence_transformers').__version__}",
                   "max_seq_length": model.max_seq_length, "dimension": int(embeddings.shape[1]),
                   "texts": all_texts, "tokens": tokens}, f, ensure_ascii=False, separators=(",", ":"))
    embeddings.astype("<f2").tofile(os.path.join(args.out, "minilm-embeddings.f16"))
    print(f"{len(all_texts)} texts, max_seq_length {model.max_seq_length}, longest {max(map(len, tokens))} tokens")


if __name__ == "__main__":
    main()

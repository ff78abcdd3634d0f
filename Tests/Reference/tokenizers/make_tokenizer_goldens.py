"""Golden token ids from HF `tokenizers` for a synthetic mixed corpus and edge strings.

Writes Tests/TokenscopeTokenizersTests/Fixtures/: corpus.txt (>= 1 MB of deterministic synthetic
prose, code and numbers), edge-strings.json (>= 200 strings), and the ids HF `tokenizers` gives for
them with SmolLM2's byte-level BPE (built from the GGUF as MODEL-FACTS.md says):
smollm-corpus.u32 (little-endian uint32 ids) and smollm-edge.json.

And for all-MiniLM-L6-v2's WordPiece (its tokenizer.json, truncation and padding turned off, the
default `encode(text)`, so with [CLS] ... [SEP]): minilm-corpus.u32, minilm-edge.json (ids and the
reference's `decode(ids)` of every edge string, plus invalid-UTF-8 byte strings decoded with
errors="replace" first) and minilm-corpus-decode.json (length and SHA-256 of the corpus decode).
Usage: python3 Tests/Reference/tokenizers/make_tokenizer_goldens.py [MODEL.gguf] [MINILM_FOLDER]
       (set ONLY=wordpiece or ONLY=splits to write just those files)

Pre-tokenizer splits (splits.json): HF `pre_tokenizers.Split(Regex(LLAMA3), "isolated")` and the GPT-2
`ByteLevel(add_prefix_space=False)` regex split on every edge string (pieces as strings; GPT-2 pieces in
the byte-level alphabet), and on the whole corpus as the count and SHA-256 of the pieces' UTF-8 byte
lengths (little-endian uint32).
"""
import hashlib
import json
import os
import random
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import smollm_tokenizer  # noqa: E402

MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
    "~/.cache/tokenscope/models/SmolLM2-135M-Instruct.Q4_1.gguf")
MINILM = sys.argv[2] if len(sys.argv) > 2 else os.path.expanduser("~/.cache/tokenscope/models/all-MiniLM-L6-v2")
ONLY = os.environ.get("ONLY", "")
OUT = os.path.join(os.path.dirname(__file__), "../../TokenscopeTokenizersTests/Fixtures")

WORDS = """the of and to in is was that for it as with be on by at this had not are but from or have an they
which one you were all her she there would their we him been has when who will no more if out so up said what
its about than into them can only other time new some could these two may first then do any like my now over
such our man me even most made after also did many before must through back years where much your way well
down should because each just those people how too little state good very make world still own see men work
long get here between both life being under never day same another know while last might us great old year
off come since against go came right used take three attention token model layer head embedding probability
language transformer softmax gradient vector matrix teacher student terminal projector sample temperature
nucleus curious learner strawberry counting letters Paris France London Berlin Tokyo river mountain ocean
""".split()
UNICODE_WORDS = ["café", "naïve", "résumé", "Zürich", "São Paulo", "東京", "北京大学", "こんにちは", "한국어",
                 "Привет", "мир", "مرحبا", "שלום", "नमस्ते", "ελληνικά", "ﬁne", "Ångström", "½", "²", "Ⅻ",
                 "😀", "👩‍💻", "🇫🇷", "👍🏽", "e\u0301", "n\u0303o", "\u200b", "Ⅷ"]
CODE = [
    "func forward(_ x: [Float]) -> [Float] {\n    return x.map { $0 * 2 }\n}\n",
    "def softmax(x):\n\treturn np.exp(x) / np.exp(x).sum()\n",
    "for (int i = 0; i < n; ++i) { y[i] += a * x[i]; }\r\n",
    "let url = \"https://example.org/path?q=1&r=2\"\n",
    "if (a != b && c <= d) || !e { print(\"ok\") }\n",
    "SELECT name, COUNT(*) FROM tokens WHERE id > 42 GROUP BY name;\n",
    "    // MARK: - Attention\n    var scores = [Float](repeating: 0, count: 64)\n",
    "x = {'key': [1, 2, 3], \"other\": None}  # comment\n",
]


def sentence(rng):
    n = rng.randint(4, 18)
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(UNICODE_WORDS))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), str(rng.randint(0, 10 ** rng.randint(1, 9))))
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), rng.choice(["don't", "I'm", "we'll", "they've", "it's", "you'd", "She'S", "WE'LL"]))
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    return text + rng.choice([".", "!", "?", "...", ";", ":", ",", " —"])


def corpus(rng, size):
    parts = []
    total = 0
    while total < size:
        r = rng.random()
        if r < 0.7:
            chunk = " ".join(sentence(rng) for _ in range(rng.randint(1, 6))) + rng.choice(["\n", "\n\n", " ", "\r\n", "\n\t"])
        elif r < 0.9:
            chunk = rng.choice(CODE)
        else:
            chunk = " ".join(f"{rng.uniform(-1e6, 1e6):.{rng.randint(0, 6)}f}" for _ in range(rng.randint(2, 10))) + "\n"
        parts.append(chunk)
        total += len(chunk.encode("utf-8"))
    return "".join(parts)


def edge_strings():
    s = ["", " ", "  ", "\n", "\r\n", "\t", " \t \n ", "a", "A", "hello", " hello", "hello ", "Hello, world!"]
    s += [" " * n for n in (3, 5, 8, 16, 33)]
    s += ["\n" * n for n in (2, 3, 7)]
    s += ["word" + " " * n + "next" for n in range(1, 9)]
    s += ["tab\tseparated\tvalues", "line1\r\nline2\r\n", "trailing spaces   ", "   leading spaces", "mixed \t\n whitespace\u00a0nbsp"]
    s += ["don't", "I'm", "we'll", "they've", "it's", "you'd", "DON'T", "I'M", "She'S", "'s", "'", "''", "rock 'n' roll", "'tis"]
    s += [str(n) for n in (0, 7, 42, 123, 2024, 1234567890)] + ["3.14159", "-42", "1,000,000", "1e-9", "0x1F", "v1.2.3", "٣٤٥", "१२३", "Ⅻ", "½ + ¼ = ¾"]
    s += UNICODE_WORDS
    s += ["👩‍👩‍👧‍👦", "🏳️‍🌈", "🧑🏿‍🚀", "❤️", "✈️", "👨‍❤️‍💋‍👨", "🤖 robots 🤖", "emoji😀inside"]
    s += ["日本語のテキスト", "中文字符和English混合", "한국어 텍스트", "العربية من اليمين إلى اليسار", "עברית", "Ελληνικά γράμματα", "Кириллица и латиница"]
    s += ["e\u0301\u0301\u0301", "Z\u0351\u0352\u0353algo", "a\u0308o\u0308u\u0308", "\u0301 leading combining", "ﬁﬂ ligatures"]
    s += ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|im_start|>user\nHi<|im_end|>\n", "text<|im_end|>more", "<|im_start", "<|unknown|>", "<<|im_end|>>"]
    s += ["strawberry", "Strawberry", " strawberry", "STRAWBERRY", "antidisestablishmentarianism", "pneumonoultramicroscopicsilicovolcanoconiosis"]
    s += ["a" * 50, "ab" * 40, "🙂" * 10, "!" * 30, "." * 17, "-" * 25, "=" * 12, "#" * 8]
    s += ["https://example.com/a/b?c=d#e", "user@example.org", "C:\\Windows\\Path", "/usr/local/bin", "snake_case_name", "camelCaseName", "SCREAMING_CASE"]
    s += ["(parens)", "[brackets]", "{braces}", "<angle>", "\"quoted\"", "`backticks`", "a+b=c", "x*y/z", "50%", "$100", "€20", "£5", "¥1000"]
    rng = random.Random(7)
    while len(s) < 260:
        s.append(sentence(rng))
    return s


# Byte strings with invalid UTF-8: WordPiece sees them as Python's errors="replace" decoding (the same
# maximal-subpart replacement as Swift's String(decoding:as:)), so U+FFFD, which BERT's clean-up removes.
INVALID_UTF8 = [b"ab\xffcd", b"\xff\xfe", b"caf\xc3", b"\xe2\x82 euro", b"ok \xc3\x28 no", b"\xf0\x9f\x98 x\x80y",
                b"\xed\xa0\x80 surrogate", b"\xc0\xaf overlong", b"plain"]


def wordpiece_goldens(text, edges):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(MINILM, "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    enc = tok.encode(text)
    np.asarray(enc.ids, dtype="<u4").tofile(os.path.join(OUT, "minilm-corpus.u32"))
    decoded = tok.decode(enc.ids).encode("utf-8")
    with open(os.path.join(OUT, "minilm-corpus-decode.json"), "w") as f:
        json.dump({"bytes": len(decoded), "sha256": hashlib.sha256(decoded).hexdigest()}, f)
    edge = []
    for e in edges:
        ids = tok.encode(e).ids
        edge.append({"ids": ids, "decode": tok.decode(ids)})
    invalid = []
    for b in INVALID_UTF8:
        ids = tok.encode(b.decode("utf-8", errors="replace")).ids
        invalid.append({"hex": b.hex(), "ids": ids})
    with open(os.path.join(OUT, "minilm-edge.json"), "w") as f:
        json.dump({"edge": edge, "invalid_utf8": invalid}, f, ensure_ascii=False)
    print(len(enc.ids), "WordPiece corpus ids")


LLAMA3 = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
          r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def split_goldens(text, edges):
    from tokenizers import Regex, pre_tokenizers
    llama3 = pre_tokenizers.Split(Regex(LLAMA3), behavior="isolated")
    gpt2 = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    out = {"llama3": [[p for p, _ in llama3.pre_tokenize_str(e)] for e in edges],
           "gpt2": [[p for p, _ in gpt2.pre_tokenize_str(e)] for e in edges]}
    pieces = llama3.pre_tokenize_str(text)
    lengths = np.asarray([len(p.encode("utf-8")) for p, _ in pieces], dtype="<u4")
    out["llama3_corpus"] = {"count": len(pieces), "sha256": hashlib.sha256(lengths.tobytes()).hexdigest()}
    with open(os.path.join(OUT, "splits.json"), "w") as f:
        json.dump(out, f, ensure_ascii=False)
    print(len(pieces), "Llama 3 corpus pieces")


rng = random.Random(2026)
text = corpus(rng, 1_100_000)
edges = edge_strings()
os.makedirs(OUT, exist_ok=True)
if ONLY:
    with open(os.path.join(OUT, "corpus.txt"), encoding="utf-8", newline="") as f:
        assert f.read() == text, "corpus.txt differs from the generated corpus"
if ONLY in ("", "wordpiece"):
    wordpiece_goldens(text, edges)
if ONLY in ("", "splits"):
    split_goldens(text, edges)
if ONLY == "":
    tokenizer, _ = smollm_tokenizer.load(MODEL)
    with open(os.path.join(OUT, "corpus.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(text)
    ids = tokenizer.encode(text).ids
    np.asarray(ids, dtype="<u4").tofile(os.path.join(OUT, "smollm-corpus.u32"))
    with open(os.path.join(OUT, "edge-strings.json"), "w", encoding="utf-8") as f:
        json.dump(edges, f, ensure_ascii=False, indent=0)
    with open(os.path.join(OUT, "smollm-edge.json"), "w") as f:
        json.dump([tokenizer.encode(e).ids for e in edges], f)
    print(len(text.encode("utf-8")), "corpus bytes,", len(ids), "ids,", len(edges), "edge strings")

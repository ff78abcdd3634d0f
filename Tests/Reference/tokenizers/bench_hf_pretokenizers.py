"""HF `tokenizers` throughput for byte-level BPE vocabularies with each pre-tokenizer, to set beside
`tokenscope bench tokenizer --model FILE.gguf`.

For a GGUF byte-level BPE file (`tokenizer.ggml.model = gpt2`), builds the HF tokenizer the way the
model's own tokenizer.json is built: BPE(vocab, merges, ignore_merges as llama.cpp sets it) and a
pre-tokenizer Sequence of Split(Regex(pattern), "isolated") for the file's `tokenizer.ggml.pre`
(the same pattern list Tokenscope's PreTokenizerCatalog uses, read from its Swift source) followed
by ByteLevel(use_regex=False), the file's control and user-defined tokens added. Prints the SHA-256 of the ids (uint32 LE) to compare. Encodes the whole corpus as one text on one thread, once to warm
up, then for about SECONDS, and prints the median run.

Usage: RAYON_NUM_THREADS=1 python3 Tests/Reference/tokenizers/bench_hf_pretokenizers.py FILE.gguf [CORPUS] [SECONDS]
"""
import hashlib
import os
import re
import statistics
import sys
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
import gguf  # noqa: E402
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.join(HERE, "../../../Sources/TokenscopeTokenizers/PreTokenizers/PreTokenizerCatalog.swift")
SCANNERS = {
    ".gpt2": r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+",
    ".llama3(digits: 3)": r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
    ".llama3(digits: 1)": r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
    ".singleDigits": r"\p{N}",
}


def catalog():
    """name → list of patterns, aliases, names ignoring merges, from the Swift catalog."""
    src = open(CATALOG, encoding="utf-8").read()
    stages = {}
    for m in re.finditer(r'case "([^"]+)":\n\s*\[\n(.*?)\n\s*\]', src, re.S):
        patterns = []
        for stage in re.finditer(r'(\.regex\(try SplitRegex\(##"(.*?)"##\)\)|\.gpt2|\.llama3\(digits: \d\)|\.singleDigits)', m.group(2)):
            patterns.append(stage.group(2) if stage.group(2) is not None else SCANNERS[stage.group(1)])
        stages[m.group(1)] = patterns
    aliases = dict(re.findall(r'^\s*"([^"]+)": "([^"]+)",', src.split("public static let aliases")[1].split("\n    ]")[0], re.M))
    ignoring = set(re.findall(r'"([^"]+)"', src.split("static let ignoringMerges: Set<String> = [")[1].split("]")[0]))
    return stages, aliases, ignoring


def field(reader, key):
    f = reader.fields.get(key)
    if f is None:
        return None
    if f.types[0] == gguf.GGUFValueType.ARRAY:
        return [bytes(f.parts[i]).decode("utf-8") for i in f.data]
    return bytes(f.parts[f.data[0]]).decode("utf-8")


def build(path, control_tokens=True):
    """The HF tokenizer for a GGUF file; without `control_tokens` their spellings stay text (as with
    llama.cpp's `special=False`)."""
    reader = gguf.GGUFReader(path)
    tokens = field(reader, "tokenizer.ggml.tokens")
    merges = [tuple(m.split(" ", 1)) for m in field(reader, "tokenizer.ggml.merges")]
    pre = field(reader, "tokenizer.ggml.pre") or "default"
    stages, aliases, ignoring = catalog()
    canonical = aliases.get(pre, pre)
    patterns = stages[canonical]
    vocab = {}
    for i, t in enumerate(tokens):
        vocab.setdefault(t, i)
    bpe = models.BPE(vocab, merges, ignore_merges=(pre in ignoring or canonical in ignoring))
    tok = Tokenizer(bpe)
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Split(Regex(p), behavior="isolated") for p in patterns]
        + [pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    # Control tokens are special added tokens; user-defined ones are added tokens split out of the
    # text first (as llama.cpp does even without special-token parsing).
    ttype = reader.fields.get("tokenizer.ggml.token_type")
    types = [int(ttype.parts[i][0]) for i in ttype.data] if ttype else []
    tok.add_tokens([AddedToken(t, special=False, normalized=False) for t, k in zip(tokens, types) if k == 4])
    if control_tokens:
        tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t, k in zip(tokens, types) if k == 3])
    return tok, pre


def main():
    path = sys.argv[1]
    corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "../../TokenscopeTokenizersTests/Fixtures/corpus.txt")
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    tok, pre = build(path)
    text = open(corpus, "rb").read().decode("utf-8", errors="replace")
    ids = tok.encode(text, add_special_tokens=False).ids
    count = len(ids)
    digest = hashlib.sha256(b"".join(i.to_bytes(4, "little") for i in ids)).hexdigest()[:16]
    times = []
    end = time.perf_counter() + seconds
    while True:
        t0 = time.perf_counter()
        tok.encode(text, add_special_tokens=False)
        times.append(time.perf_counter() - t0)
        if time.perf_counter() > end:
            break
    median = statistics.median(times)
    size = len(text.encode("utf-8"))
    print(f"{os.path.basename(path)} pre {pre}: {count} tokens, median {median:.3f} s over {len(times)} runs, {size / median / 1e6:.2f} MB/s, ids sha256 {digest}")


if __name__ == "__main__":
    main()

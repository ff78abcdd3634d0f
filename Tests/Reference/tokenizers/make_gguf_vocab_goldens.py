"""Golden ids from llama.cpp for small vocabulary-only GGUF files of every tokenizer kind.

Writes Tests/TokenscopeTokenizersTests/Fixtures/gguf-vocab-goldens.json: small vocabularies of our
own (trained here with HF `tokenizers` on the start of Fixtures/corpus.txt, so nothing of another
project is committed), the test strings, and for each case (a tokenizer kind, and for byte-level
BPE each pre-tokenizer name llama.cpp implements) the ids llama.cpp gives:
`Llama(model_path, vocab_only=True).tokenize(text, add_bos=False, special=False)` from PyPI
`llama-cpp-python` (built from source). The Swift tests write the same GGUF files from the JSON
with their own writer, open them through `TokenizerLoader` and compare.

Cases:
- `bpe/NAME`: byte-level BPE (`tokenizer.ggml.model = gpt2`) with `tokenizer.ggml.pre = NAME`,
  one shared vocabulary (every byte, trained merges, `<|endoftext|>` control, `<|user|>`
  user-defined: split out of the text even without special-token parsing).
- `spm/prefix`, `spm/gemma`: SentencePiece BPE (`llama`) with `<0xNN>` byte fallback, scores, and
  `add_space_prefix` true (Llama 2) or false with user-defined whitespace runs and tags (Gemma 3).
- `wpm`: WordPiece (`bert`) in llama.cpp's GGUF spelling (`▁` marks word starts); its ids come
  from HF `tokenizers` (see the note in main()).

With REFERENCE=hf (when llama-cpp-python cannot be built) the ids come from HF `tokenizers`
instead: byte-level BPE as Tests/Reference/tokenizers/bench_hf_pretokenizers.py builds it from the
GGUF file (the catalog's split patterns run by HF's regex engine, added tokens from the token
types), WordPiece from the same vocabulary in HF spelling; SentencePiece cases are then left out,
and so are pre-tokenizers whose llama.cpp patterns read Unicode categories differently from HF's
regex engine (HF_DIFFERENT below). The fixture records which reference made it.

Usage: [REFERENCE=hf] python3 Tests/Reference/tokenizers/make_gguf_vocab_goldens.py
Needs: pip install llama-cpp-python tokenizers gguf numpy
"""
import json
import os
import sys
import tempfile

import gguf
from tokenizers import Tokenizer, models, pre_tokenizers, trainers, normalizers

REFERENCE = os.environ.get("REFERENCE", "llama.cpp")
if REFERENCE == "llama.cpp":
    from llama_cpp import Llama
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_hf_pretokenizers  # noqa: E402

# llama.cpp reads \p{Lu}…\p{Lo} as \p{L} and uses "a letter that is not a-z" for upper case:
# on non-ASCII letters these differ from HF's regex engine by design.
HF_DIFFERENT = {"tekken", "gpt-4o", "minimax-m2", "granite-embed-multi-97m", "youtu", "llama4"}

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "../../TokenscopeTokenizersTests/Fixtures")
OUT = os.path.join(FIXTURES, "gguf-vocab-goldens.json")

# Pre-tokenizer names to test: every canonical name of Sources/.../PreTokenizerCatalog.swift
# plus the aliases users meet most.
PRE_NAMES = """bailingmoe bloom chameleon chatglm-bpe codeshell command-r dbrx deepseek-coder deepseek-llm
deepseek-v3 default exaone exaone-moe falcon gpt-2 gpt-4o gpt3-finnish granite-docling
granite-embed-multi-97m grok-2 hunyuan hunyuan-dense hy_v4 jais jais-2 joyai-llm laguna llama-bpe
mellum2 minerva-7b minicpm5 minimax-m2 mpt olmo poro-chat qwen2 qwen35 refact seed-coder smaug-bpe
smollm solar-open spark2_5 stablelm2 starcoder tekken trillion ufakzeka viking youtu
llama3 deepseek-r1-qwen phi-2 roberta-bpe gigachat megrez exaone4 llama4 glm4""".split()

STRINGS = [
    "", " ", "  ", "   ", "\t", "\n", "\n\n", "\n\n\n", "\t\n", " \n \n", "Hello world", " Hello world",
    "Hello World", "HELLO WORLD!", "hello, world. How are you?", "It's we're they've I'm you'll he'd",
    "IT'S WE'RE THEY'VE", "don't  stop   me    now", "1", "12", "123", "1234", "12345678",
    "3.14159 and 2,718", "x = a+b*c-d/e; y <= z >= w", "def f(x):\n    return x ** 2\n",
    "if (a && b || !c) { d->e = f[g]; }", "email: someone@example.com, url: https://example.org/a?b=c",
    "Änderung über Straße", "naïve café résumé", "Ελληνικά γράμματα", "русский текст, да",
    "中文字符测试", "日本語のテキスト、カタカナ", "한국어 텍스트", "عربي نص", "हिन्दी पाठ",
    "emoji 🦙🔥 and ✨ sparkles", "tabs\tand\ttabs", "trailing spaces   ", "   leading spaces",
    "line one\r\nline two\rline three", "<|endoftext|> is text here", "say <|user|> hi", "a<|user|>b",
    "CamelCaseWords and snake_case_words", "$100 + 50% ~ 3^2 | `code`", "…。，、！？",
    "ﬁne ﬂow №5 ½ ⅓ Ⅻ", "repeated!!! ??? ...", "IMGIMGAZ <sentinel:12>", "e\u0301 combining",
    "<b>bold</b>\n\n\n<i>x</i>", "a  \n\n  b", "    indented code\n\tx",
]

SPECIAL_BPE = [("<|endoftext|>", 3), ("<|user|>", 4)]


def corpus_text(limit=300_000):
    with open(os.path.join(FIXTURES, "corpus.txt"), encoding="utf-8") as f:
        text = f.read(limit)
    # A few scripts the synthetic corpus lacks, so merges exist for them too.
    extra = " ".join(STRINGS) * 20
    return [text, extra]


# MARK: - Vocabularies

def train_bpe():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(vocab_size=900, show_progress=False, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  special_tokens=[])
    tok.train_from_iterator(corpus_text(), trainer)
    state = json.loads(tok.to_str())["model"]
    vocab = state["vocab"]
    tokens = [None] * len(vocab)
    for t, i in vocab.items():
        tokens[i] = t
    merges = [m if isinstance(m, str) else " ".join(m) for m in state["merges"]]
    types = [1] * len(tokens)
    for text, kind in SPECIAL_BPE:
        tokens.append(text)
        types.append(kind)
    return tokens, types, merges


def byte_decoder():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


def spm_vocab(bpe_tokens, user_defined):
    """SentencePiece-style vocabulary: <unk>, <s>, </s>, 256 byte tokens, user-defined tokens, then
    the trained BPE pieces that are whole UTF-8 strings, with ▁ for spaces and falling scores."""
    decode = byte_decoder()
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    types = [2, 3, 3] + [6] * 256
    scores = [0.0, 0.0, 0.0] + [0.0] * 256
    for text in user_defined:
        tokens.append(text)
        types.append(4)
        scores.append(0.0)
    seen = set(tokens)
    rank = 0
    for t in bpe_tokens:
        if t in ("<|endoftext|>", "<|user|>"):
            continue
        try:
            text = bytes(decode[c] for c in t).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            continue
        piece = text.replace(" ", "▁")
        if piece in seen or any(ch in piece for ch in "\n\r\t"):
            continue
        seen.add(piece)
        tokens.append(piece)
        types.append(1)
        scores.append(-float(rank))
        rank += 1
    return tokens, types, scores


def wpm_vocab():
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=700, show_progress=False,
                                        special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    tok.train_from_iterator(corpus_text(), trainer)
    vocab = tok.get_vocab()
    hf = [None] * len(vocab)
    for t, i in vocab.items():
        hf[i] = t
    # llama.cpp's converter spelling: ▁ before word starts, ## dropped, [..] kept.
    tokens, types = [], []
    for t in hf:
        if t.startswith("[") and t.endswith("]"):
            tokens.append(t)
            types.append(3 if t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]") else 1)
        elif t.startswith("##"):
            tokens.append(t[2:])
            types.append(1)
        else:
            tokens.append("▁" + t)
            types.append(1)
    return tokens, types


# MARK: - GGUF files

def write_gguf(path, arch, kind, tokens, types, merges=None, scores=None, pre=None, extra=None):
    w = gguf.GGUFWriter(path, arch)
    w.add_block_count(1)
    w.add_context_length(512)
    w.add_embedding_length(64)
    w.add_feed_forward_length(128)
    w.add_head_count(4)
    w.add_layer_norm_eps(1e-5)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_tokenizer_model(kind)
    if pre is not None:
        w.add_tokenizer_pre(pre)
    w.add_token_list(tokens)
    w.add_token_types(types)
    if scores is not None:
        w.add_token_scores(scores)
    if merges is not None:
        w.add_token_merges(merges)
    for key, value in (extra or {}).items():
        if isinstance(value, bool):
            w.add_bool(key, value)
        else:
            w.add_uint32(key, value)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def run_hf(path, kind, wpm_tokens=None):
    if kind == "gpt2":
        tok, _ = bench_hf_pretokenizers.build(path, control_tokens=False)
    else:
        vocab = {}
        for i, t in enumerate(wpm_tokens):
            if t.startswith("▁"):
                t = t[1:]
            elif not (t.startswith("[") and t.endswith("]")):
                t = "##" + t
            vocab.setdefault(t, i)
        tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
        tok.normalizer = normalizers.BertNormalizer(lowercase=True)
        tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return [tok.encode(text, add_special_tokens=False).ids for text in STRINGS]


def run_llama(path):
    llm = Llama(model_path=path, vocab_only=True, verbose=False)
    out = []
    for text in STRINGS:
        out.append(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))
    del llm
    return out


def main():
    bpe_tokens, bpe_types, merges = train_bpe()
    gemma_user = ["\n\n", "\n\n\n", "  ", "   ", "\t\t", "<b>", "</b>", "<i>", "</i>"]
    spm_tokens, spm_types, spm_scores = spm_vocab(bpe_tokens, [])
    gemma_tokens, gemma_types, gemma_scores = spm_vocab(bpe_tokens, gemma_user)
    wpm_tokens, wpm_types = wpm_vocab()
    result = {
        "strings": STRINGS,
        "vocabularies": {
            "bpe": {"tokens": bpe_tokens, "token_type": bpe_types, "merges": merges},
            "spm": {"tokens": spm_tokens, "token_type": spm_types, "scores": spm_scores},
            "gemma": {"tokens": gemma_tokens, "token_type": gemma_types, "scores": gemma_scores},
            "wpm": {"tokens": wpm_tokens, "token_type": wpm_types},
        },
        "reference": REFERENCE,
        "cases": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        def case(name, vocabulary, kind, arch, pre=None, extra=None):
            v = result["vocabularies"][vocabulary]
            if REFERENCE == "hf" and (kind == "llama" or pre in HF_DIFFERENT):
                return
            path = os.path.join(tmp, name.replace("/", "_") + ".gguf")
            write_gguf(path, arch, kind, v["tokens"], v["token_type"], v.get("merges"), v.get("scores"), pre, extra)
            # WordPiece follows HF `tokenizers` (what BERT models are made with, and what Tokenscope's
            # WordPiece matches exactly): llama.cpp's WPM drops Hangul vowel jamo and Devanagari vowel
            # signs after NFD, so it differs from HF on 2 of these strings.
            reference = "hf" if REFERENCE == "hf" or kind == "bert" else "llama.cpp"
            ids = run_llama(path) if reference == "llama.cpp" else run_hf(path, kind, v["tokens"])
            result["cases"].append({"name": name, "vocabulary": vocabulary, "model": kind, "architecture": arch,
                                    "pre": pre, "keys": extra or {}, "reference": reference, "ids": ids})
            print(name, sum(len(x) for x in ids), "tokens", file=sys.stderr)

        for pre in PRE_NAMES:
            case("bpe/" + pre, "bpe", "gpt2", "gpt2", pre=pre)
        case("spm/prefix", "spm", "llama", "llama", pre="default",
             extra={"tokenizer.ggml.bos_token_id": 1, "tokenizer.ggml.eos_token_id": 2, "tokenizer.ggml.unknown_token_id": 0,
                    "tokenizer.ggml.add_bos_token": True})
        case("spm/gemma", "gemma", "llama", "llama", pre="default",
             extra={"tokenizer.ggml.bos_token_id": 1, "tokenizer.ggml.eos_token_id": 2, "tokenizer.ggml.unknown_token_id": 0,
                    "tokenizer.ggml.add_bos_token": True, "tokenizer.ggml.add_space_prefix": False})
        wpm = result["vocabularies"]["wpm"]["tokens"]
        case("wpm", "wpm", "bert", "bert",
             extra={"tokenizer.ggml.unknown_token_id": wpm.index("[UNK]"), "tokenizer.ggml.cls_token_id": wpm.index("[CLS]"),
                    "tokenizer.ggml.seperator_token_id": wpm.index("[SEP]"), "tokenizer.ggml.padding_token_id": wpm.index("[PAD]")})
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, separators=(",", ":"))
    print("wrote", OUT, os.path.getsize(OUT), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()

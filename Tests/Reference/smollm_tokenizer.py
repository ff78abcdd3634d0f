"""HF `tokenizers` built from a GGUF's byte-level BPE vocabulary, as MODEL-FACTS.md describes.

Shared by the reference scripts: BPE(vocab, merges) + Sequence[Digits(individual), ByteLevel] +
ByteLevel decoder + the control tokens as special tokens.
"""
import gguf
from tokenizers import Tokenizer, decoders, models, pre_tokenizers
from tokenizers import AddedToken


def field_strings(reader, name):
    field = reader.fields[name]
    return [bytes(field.parts[i]).decode("utf-8") for i in field.data]


def field_ints(reader, name):
    field = reader.fields[name]
    return [int(field.parts[i][0]) for i in field.data]


def load(path):
    reader = gguf.GGUFReader(path)
    tokens = field_strings(reader, "tokenizer.ggml.tokens")
    merges = field_strings(reader, "tokenizer.ggml.merges")
    types = field_ints(reader, "tokenizer.ggml.token_type")
    vocab = {t: i for i, t in enumerate(tokens)}
    pairs = [tuple(m.split(" ", 1)) for m in merges]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=pairs))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    specials = [AddedToken(t, special=True, normalized=False) for t, k in zip(tokens, types) if k in (3, 4)]
    tok.add_special_tokens(specials)
    return tok, reader

#!/usr/bin/env python3
"""Writes small random-weight models of each architecture Tokenscope runs (Gemma 3 is checked on
its real file instead: gemma3_reference.py), in both formats it
reads (an HF folder: config.json, model.safetensors, tokenizer.json; and a GGUF file with
llama.cpp's tensor names), plus golden logits from HF `transformers` on the same weights.

The models are tiny (width 32, 2 blocks, a 300-token byte-level BPE vocabulary) so the fixtures
stay small and tests fast; every weight, norm and bias is random (not the library's init, which
leaves norms at 1 and biases at 0 and would hide a missing bias). The golden prompts are token ids,
so the check needs no tokenizer.

    pip install torch transformers tokenizers safetensors gguf numpy
    python3 Tests/Reference/architectures/make_generated_models.py [--out DIR] [--gpt2-small DIR]

`--gpt2-small DIR` also writes GPT-2 small's real shapes (124M random weights, ~500 MB) there, for
a one-off check outside the test suite.
"""
import argparse
import json
import os

import gguf
import numpy as np
import torch
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers
import transformers

CORPUS = [
    "The capital of France is Paris. The capital of Italy is Rome.",
    "Once upon a time there was a small model that wanted to think.",
    "1 2 3 4 5 6 7 8 9 10, and the tokens go on; def f(x): return x * 2",
] * 20
VOCAB = 300
PROMPTS_SEED = 1234


def make_tokenizer():
    """A byte-level BPE tokenizer with <|endoftext|> at id 0, like GPT-2's in miniature."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(CORPUS, trainer=trainer)
    return tok


def randomise(model, seed):
    """Every parameter random: matrices ~ N(0, 1/√in), norm weights 1 + N(0, 0.1²), biases N(0, 0.1²)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 1:
                base = 1.0 if ("norm" in name or "ln_" in name) and name.endswith("weight") else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=g))
            else:
                fan_in = p.shape[1] if "c_" not in name else p.shape[0]  # GPT-2 Conv1D is [in, out]
                p.copy_(torch.randn(p.shape, generator=g) / np.sqrt(fan_in))
    model.eval()


def tokenizer_metadata(w, tok):
    vocab = tok.get_vocab()
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    merges = json.loads(tok.to_str())["model"]["merges"]
    merges = [m if isinstance(m, str) else " ".join(m) for m in merges]
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt2")
    w.add_token_list(tokens)
    w.add_token_merges(merges)
    w.add_token_types([3 if t == "<|endoftext|>" else 1 for t in tokens])
    w.add_eos_token_id(vocab["<|endoftext|>"])


def f32(t):
    return t.detach().to(torch.float32).numpy().copy()


def write_gguf_gpt2(model, cfg, tok, path):
    w = gguf.GGUFWriter(path, "gpt2")
    w.add_name("generated gpt2")
    w.add_block_count(cfg.n_layer)
    w.add_context_length(cfg.n_positions)
    w.add_embedding_length(cfg.n_embd)
    w.add_feed_forward_length(4 * cfg.n_embd)
    w.add_head_count(cfg.n_head)
    w.add_layer_norm_eps(cfg.layer_norm_epsilon)
    tokenizer_metadata(w, tok)
    sd = model.state_dict()
    t = lambda n: f32(sd["transformer." + n])
    w.add_tensor("token_embd.weight", t("wte.weight"))
    w.add_tensor("position_embd.weight", t("wpe.weight"))
    w.add_tensor("output_norm.weight", t("ln_f.weight"))
    w.add_tensor("output_norm.bias", t("ln_f.bias"))
    w.add_tensor("output.weight", t("wte.weight"))  # llama.cpp's converter writes the tied head out
    for i in range(cfg.n_layer):
        p, b = f"h.{i}.", f"blk.{i}."
        w.add_tensor(b + "attn_norm.weight", t(p + "ln_1.weight"))
        w.add_tensor(b + "attn_norm.bias", t(p + "ln_1.bias"))
        w.add_tensor(b + "attn_qkv.weight", t(p + "attn.c_attn.weight").T.copy())  # Conv1D [in, out] -> [out, in]
        w.add_tensor(b + "attn_qkv.bias", t(p + "attn.c_attn.bias"))
        w.add_tensor(b + "attn_output.weight", t(p + "attn.c_proj.weight").T.copy())
        w.add_tensor(b + "attn_output.bias", t(p + "attn.c_proj.bias"))
        w.add_tensor(b + "ffn_norm.weight", t(p + "ln_2.weight"))
        w.add_tensor(b + "ffn_norm.bias", t(p + "ln_2.bias"))
        w.add_tensor(b + "ffn_up.weight", t(p + "mlp.c_fc.weight").T.copy())
        w.add_tensor(b + "ffn_up.bias", t(p + "mlp.c_fc.bias"))
        w.add_tensor(b + "ffn_down.weight", t(p + "mlp.c_proj.weight").T.copy())
        w.add_tensor(b + "ffn_down.bias", t(p + "mlp.c_proj.bias"))
    finish(w)


def permute(weights, n_head, n_head_kv):
    """llama.cpp's converter's reordering of Llama's Q and K rows, so rotary turns consecutive pairs."""
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:]).swapaxes(1, 2).reshape(weights.shape)


def write_gguf_qwen(model, cfg, tok, path, arch):
    """Qwen 2 / Qwen 3 as llama.cpp's converter writes them: no Q/K permutation (NEOX rotary).
    Llama the same way, with its Q and K rows permuted as the converter does."""
    w = gguf.GGUFWriter(path, arch)
    w.add_name("generated " + arch)
    w.add_block_count(cfg.num_hidden_layers)
    w.add_context_length(cfg.max_position_embeddings)
    w.add_embedding_length(cfg.hidden_size)
    w.add_feed_forward_length(cfg.intermediate_size)
    w.add_head_count(cfg.num_attention_heads)
    w.add_head_count_kv(cfg.num_key_value_heads)
    w.add_rope_freq_base(cfg.rope_parameters["rope_theta"] if hasattr(cfg, "rope_parameters") and cfg.rope_parameters else cfg.rope_theta)
    w.add_layer_norm_rms_eps(cfg.rms_norm_eps)
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    w.add_key_length(head_dim)
    w.add_value_length(head_dim)
    tokenizer_metadata(w, tok)
    sd = model.state_dict()
    t = lambda n: f32(sd[n])
    w.add_tensor("token_embd.weight", t("model.embed_tokens.weight"))
    w.add_tensor("output_norm.weight", t("model.norm.weight"))
    if not cfg.tie_word_embeddings:
        w.add_tensor("output.weight", t("lm_head.weight"))
    names = {
        "input_layernorm.weight": "attn_norm.weight", "self_attn.q_proj.weight": "attn_q.weight",
        "self_attn.k_proj.weight": "attn_k.weight", "self_attn.v_proj.weight": "attn_v.weight",
        "self_attn.q_proj.bias": "attn_q.bias", "self_attn.k_proj.bias": "attn_k.bias", "self_attn.v_proj.bias": "attn_v.bias",
        "self_attn.q_norm.weight": "attn_q_norm.weight", "self_attn.k_norm.weight": "attn_k_norm.weight",
        "self_attn.o_proj.weight": "attn_output.weight", "post_attention_layernorm.weight": "ffn_norm.weight",
        "mlp.gate_proj.weight": "ffn_gate.weight", "mlp.up_proj.weight": "ffn_up.weight", "mlp.down_proj.weight": "ffn_down.weight",
    }
    for i in range(cfg.num_hidden_layers):
        for hf, ll in names.items():
            key = f"model.layers.{i}.{hf}"
            if key in sd:
                value = t(key)
                if arch == "llama" and hf == "self_attn.q_proj.weight":
                    value = permute(value, cfg.num_attention_heads, cfg.num_attention_heads)
                if arch == "llama" and hf == "self_attn.k_proj.weight":
                    value = permute(value, cfg.num_attention_heads, cfg.num_key_value_heads)
                w.add_tensor(f"blk.{i}.{ll}", value)
    finish(w)


def finish(w):
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def golden(model, vocab_size, path, arch):
    rng = np.random.default_rng(PROMPTS_SEED)
    prompts = [rng.integers(0, vocab_size, size=n).tolist() for n in (5, 9, 13)]
    out = {"architecture": arch, "transformers": transformers.__version__, "prompts": []}
    with torch.no_grad():
        for ids in prompts:
            logits = model(torch.tensor([ids])).logits[0].to(torch.float32).numpy()
            out["prompts"].append({"ids": ids, "logits": [[float(f"{v:.7g}") for v in row] for row in logits]})
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))


def build(arch, out, tok, small=False):
    folder = os.path.join(out, arch)
    os.makedirs(folder, exist_ok=True)
    V = tok.get_vocab_size()
    if arch == "gpt2":
        cfg = transformers.GPT2Config(
            vocab_size=V if not small else 50257, n_positions=64 if not small else 1024,
            n_embd=32 if not small else 768, n_layer=2 if not small else 12, n_head=4 if not small else 12,
            activation_function="gelu_new", resid_pdrop=0, embd_pdrop=0, attn_pdrop=0,
            bos_token_id=0 if not small else 50256, eos_token_id=0 if not small else 50256)
        model = transformers.GPT2LMHeadModel(cfg)
    elif arch == "llama":
        cfg = transformers.LlamaConfig(
            vocab_size=V, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-5, rope_theta=10000.0,
            tie_word_embeddings=False, bos_token_id=None, eos_token_id=None)
        model = transformers.LlamaForCausalLM(cfg)
    elif arch == "qwen2":
        cfg = transformers.Qwen2Config(
            vocab_size=V, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-6, rope_theta=10000.0,
            tie_word_embeddings=False)
        model = transformers.Qwen2ForCausalLM(cfg)
    elif arch == "qwen3":
        cfg = transformers.Qwen3Config(
            vocab_size=V, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, head_dim=16, max_position_embeddings=64, rms_norm_eps=1e-6, rope_theta=10000.0,
            tie_word_embeddings=True)
        model = transformers.Qwen3ForCausalLM(cfg)
    else:
        raise SystemExit(f"unknown architecture {arch}")
    cfg._attn_implementation = "eager"
    randomise(model, seed=sum(map(ord, arch)))
    model.save_pretrained(folder, safe_serialization=True)
    for extra in ("generation_config.json",):
        if os.path.exists(os.path.join(folder, extra)):
            os.remove(os.path.join(folder, extra))
    tok.save(os.path.join(folder, "tokenizer.json"))
    if small:
        return model
    gguf_path = os.path.join(out, f"{arch}.gguf")
    if arch == "gpt2":
        write_gguf_gpt2(model, cfg, tok, gguf_path)
    else:
        write_gguf_qwen(model, cfg, tok, gguf_path, arch)
    golden(model, V, os.path.join(out, f"{arch}-golden.json"), arch)
    return model


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "..", "TokenscopeTransformerTests", "Fixtures", "generated")
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=default_out)
    ap.add_argument("--gpt2-small", default=None)
    args = ap.parse_args()
    torch.manual_seed(0)
    tok = make_tokenizer()
    for arch in ("llama", "gpt2", "qwen2", "qwen3"):
        build(arch, args.out, tok)
        print("wrote", arch)
    if args.gpt2_small:
        model = build("gpt2", args.gpt2_small, tok, small=True)
        # The small model's vocabulary is GPT-2's 50 257 ids; ids below 300 are enough for a check.
        golden(model, 300, os.path.join(args.gpt2_small, "gpt2-golden.json"), "gpt2")
        print("wrote gpt2 small to", args.gpt2_small)


if __name__ == "__main__":
    main()

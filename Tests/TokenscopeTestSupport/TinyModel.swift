import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer

// MARK: - A tiny real model for tests

/// A small, deterministic Llama model written as a real GGUF file and loaded with the real
/// `TransformerModel(path:)`, so tests run the real tokenizer, forward pass, KV cache and analysis on
/// numbers that never change and need no download: 2 blocks, width 32, 4 query heads over 2 KV
/// heads, MLP 64, F32 weights from a seeded generator, and a byte-level BPE vocabulary of the three
/// SmolLM control tokens, the 256 byte tokens and a handful of merges (pre-tokenizer `smollm`).
public enum TinyModel {
    /// Transformer blocks.
    public static let blockCount = 2
    /// Width of the residual stream.
    public static let width = 32
    /// Query heads.
    public static let headCount = 4
    /// Key/value heads (two query heads share each).
    public static let kvHeadCount = 2
    /// Width of the MLP's hidden layer.
    public static let mlpWidth = 64
    /// Positions the model accepts.
    public static let contextLength = 256
    /// Control tokens first, as in SmolLM2 (`<|endoftext|>` 0, `<|im_start|>` 1, `<|im_end|>` 2).
    public static let controlTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    /// Merges in rank order; they spell most of the default prompt "The capital of France is".
    public static let merges = [
        "T h", "Th e", "Ġ c", "a p", "Ġc ap", "i t", "a l", "it al", "Ġcap ital",
        "Ġ o", "Ġo f", "Ġ F", "r a", "n c", "Ġ i", "Ġi s",
    ]

    /// The vocabulary in id order: control tokens, the 256 byte tokens, then one token per merge.
    public static var vocabulary: [String] {
        var tokens = controlTokens
        for byte in 0..<256 { tokens.append(String(Character(ByteLevel.scalar(for: UInt8(byte))))) }
        for merge in merges { tokens.append(merge.replacingOccurrences(of: " ", with: "")) }
        return tokens
    }

    // MARK: - The loaded model

    /// The model, written to a temporary file and loaded once per test process.
    static let loaded: Result<TransformerModel, any Error> = Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tokenscope-tiny-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("tiny-llama.gguf").path
        try Data(fileBytes()).write(to: URL(fileURLWithPath: path))
        return try TransformerModel(path: path)
    }

    /// The loaded model, shared by every test (it throws the writer's or loader's error if the
    /// model cannot be built, so a test using it fails with that error).
    public static func model() throws -> TransformerModel { try loaded.get() }

    // MARK: - The file

    /// The bytes of the GGUF file: metadata as llama.cpp writes it for SmolLM2, F32 tensors with
    /// GGUF shapes `[inputs, outputs]`, each 32-byte aligned. Another `architecture` name (with its
    /// keys under that prefix) makes a file of an architecture Tokenscope may not run.
    public static func fileBytes(architecture: String = "llama") -> [UInt8] {
        var random = SplitMix64(seed: 0x746F_6B65_6E73_636F)
        let vocabulary = vocabulary
        let kvWidth = width / headCount * kvHeadCount
        // (name, shape as GGUF ne = [in, out], values)
        var tensors: [(String, [Int], [Float])] = []
        func matrix(_ name: String, _ inputs: Int, _ outputs: Int, scale: Float) {
            tensors.append((name, [inputs, outputs], (0..<(inputs * outputs)).map { _ in random.uniform() * scale }))
        }
        func norm(_ name: String) {
            tensors.append((name, [width], (0..<width).map { _ in 1 + 0.2 * random.uniform() }))
        }
        matrix("token_embd.weight", width, vocabulary.count, scale: 2)
        norm("output_norm.weight")
        for block in 0..<blockCount {
            let p = "blk.\(block)."
            norm(p + "attn_norm.weight")
            matrix(p + "attn_q.weight", width, width, scale: 0.8)
            matrix(p + "attn_k.weight", width, kvWidth, scale: 0.8)
            matrix(p + "attn_v.weight", width, kvWidth, scale: 0.5)
            matrix(p + "attn_output.weight", width, width, scale: 0.5)
            norm(p + "ffn_norm.weight")
            matrix(p + "ffn_gate.weight", width, mlpWidth, scale: 0.5)
            matrix(p + "ffn_up.weight", width, mlpWidth, scale: 0.5)
            matrix(p + "ffn_down.weight", mlpWidth, width, scale: 0.3)
        }

        var w = GGUFWriter()
        w.header(tensors: UInt64(tensors.count), keys: 18)
        w.key("general.architecture", string: architecture)
        w.key("general.name", string: "tiny-\(architecture)-test")
        w.key(architecture + ".block_count", u32: UInt32(blockCount))
        w.key(architecture + ".embedding_length", u32: UInt32(width))
        w.key(architecture + ".feed_forward_length", u32: UInt32(mlpWidth))
        w.key(architecture + ".attention.head_count", u32: UInt32(headCount))
        w.key(architecture + ".attention.head_count_kv", u32: UInt32(kvHeadCount))
        w.key(architecture + ".rope.freq_base", f32: 10_000)
        w.key(architecture + ".attention.layer_norm_rms_epsilon", f32: 1e-5)
        w.key(architecture + ".context_length", u32: UInt32(contextLength))
        w.key("tokenizer.ggml.model", string: "gpt2")
        w.key("tokenizer.ggml.pre", string: "smollm")
        w.key("tokenizer.ggml.tokens", strings: vocabulary)
        w.key("tokenizer.ggml.merges", strings: merges)
        w.key("tokenizer.ggml.token_type", int32s: vocabulary.indices.map { $0 < controlTokens.count ? 3 : 1 })
        w.key("tokenizer.ggml.bos_token_id", u32: 1)
        w.key("tokenizer.ggml.eos_token_id", u32: 2)
        w.key("tokenizer.ggml.add_bos_token", bool: false)
        var offset = 0
        for (name, shape, values) in tensors {
            w.tensorInfo(name, shape: shape.map { UInt64($0) }, offset: UInt64(offset))
            offset += (values.count * 4 + 31) / 32 * 32
        }
        w.align()
        for (_, _, values) in tensors {
            for value in values { w.f32(value) }
            w.align()
        }
        return w.bytes
    }
}

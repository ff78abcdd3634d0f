import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - A tiny real model for explorer tests

/// A small, deterministic Llama model written as a real GGUF file and loaded with the real
/// `LlamaModel(path:)`, so explorer tests run the real tokenizer, forward pass, KV cache and
/// analysis on numbers that never change: 2 blocks, width 32, 4 query heads over 2 KV heads,
/// MLP 64, F32 weights from a seeded generator, and a byte-level BPE vocabulary of the three
/// SmolLM control tokens, the 256 byte tokens and a handful of merges (pre-tokenizer `smollm`).
enum TinyModel {
    static let blockCount = 2
    static let width = 32
    static let headCount = 4
    static let kvHeadCount = 2
    static let mlpWidth = 64
    static let contextLength = 256
    /// Control tokens first, as in SmolLM2 (`<|endoftext|>` 0, `<|im_start|>` 1, `<|im_end|>` 2).
    static let controlTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    /// Merges in rank order; they spell most of the default prompt "The capital of France is".
    static let merges = [
        "T h", "Th e", "Ġ c", "a p", "Ġc ap", "i t", "a l", "it al", "Ġcap ital",
        "Ġ o", "Ġo f", "Ġ F", "r a", "n c", "Ġ i", "Ġi s",
    ]

    /// The vocabulary in id order.
    static var vocabulary: [String] {
        var tokens = controlTokens
        for byte in 0..<256 { tokens.append(String(Character(ByteLevel.scalar(for: UInt8(byte))))) }
        for merge in merges { tokens.append(merge.replacingOccurrences(of: " ", with: "")) }
        return tokens
    }

    /// The model, written and loaded once per test process.
    static let loaded: Result<LlamaModel, any Error> = Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-tiny-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("tiny-llama.gguf").path
        try Data(fileBytes()).write(to: URL(fileURLWithPath: path))
        return try LlamaModel(path: path)
    }

    /// The loaded model (the test fails with the loader's error if it cannot be built).
    static func model() throws -> LlamaModel { try loaded.get() }

    /// A fresh engine (its own session) over the shared tiny model.
    static func engine() throws -> LlamaExplorerEngine { LlamaExplorerEngine(model: try model()) }

    // MARK: The file

    /// The bytes of the GGUF file.
    static func fileBytes() -> [UInt8] {
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
        let keyCount = 18
        w.header(tensors: tensors.count, keys: keyCount)
        w.key("general.architecture", string: "llama")
        w.key("general.name", string: "tiny-llama-test")
        w.key("llama.block_count", u32: blockCount)
        w.key("llama.embedding_length", u32: width)
        w.key("llama.feed_forward_length", u32: mlpWidth)
        w.key("llama.attention.head_count", u32: headCount)
        w.key("llama.attention.head_count_kv", u32: kvHeadCount)
        w.key("llama.rope.freq_base", f32: 10_000)
        w.key("llama.attention.layer_norm_rms_epsilon", f32: 1e-5)
        w.key("llama.context_length", u32: contextLength)
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
            w.tensorInfo(name, shape: shape, offset: offset)
            offset += (values.count * 4 + 31) / 32 * 32
        }
        w.align()
        for (_, _, values) in tensors {
            for value in values { w.u32(value.bitPattern) }
            w.align()
        }
        return w.bytes
    }
}

// MARK: - Running the explorer headless

/// Runs the real reducer and runtime synchronously (effects execute inline on the tiny model) and
/// renders frames: the same path `tokenscope render` takes.
struct HeadlessExplorer {
    let runtime: ExplorerRuntime

    /// Opens the explorer on `prompt` at `width` × `height` and presses `keys` (the `--keys` syntax).
    init(prompt: String = "The capital of France is", width: Int = 120, height: Int = 40, keys: String = "") throws {
        runtime = ExplorerRuntime(engine: try TinyModel.engine(), prompt: prompt, width: width, height: height, synchronous: true)
        press(keys)
    }

    /// Presses keys written in the `--keys` syntax.
    func press(_ keys: String) {
        for key in Key.parse(keys) { runtime.send(.key(key)) }
    }

    /// Sends any action.
    func send(_ action: Action) { runtime.send(action) }

    /// Clicks cell (x, y) of the screen as it is now drawn with `theme`, as the terminal does.
    func click(x: Int, y: Int, theme: Theme = .dark) {
        runtime.send(.click(x: x, y: y), frame: render(theme: theme))
    }

    /// The state now.
    var state: AppState { runtime.state }

    /// The screen now.
    func render(theme: Theme = .dark) -> Canvas { Renderer.render(runtime.state, theme: theme) }
}

// MARK: - Helpers

/// A seeded generator (SplitMix64): the same weights on every machine and run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    mutating func uniform() -> Float { Float(Double(next() >> 11) / Double(1 << 53) * 2 - 1) }
}

/// Writes GGUF v3 bytes (little-endian), just what the tiny model needs.
struct GGUFWriter {
    var bytes: [UInt8] = []

    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }
    mutating func header(tensors: Int, keys: Int) {
        u32(0x4655_4747)
        u32(3)
        u64(UInt64(tensors))
        u64(UInt64(keys))
    }
    mutating func key(_ key: String, string value: String) { string(key); u32(8); string(value) }
    mutating func key(_ key: String, u32 value: Int) { string(key); u32(4); u32(UInt32(value)) }
    mutating func key(_ key: String, f32 value: Float) { string(key); u32(6); u32(value.bitPattern) }
    mutating func key(_ key: String, bool value: Bool) { string(key); u32(7); bytes.append(value ? 1 : 0) }
    mutating func key(_ key: String, strings values: [String]) {
        string(key); u32(9); u32(8); u64(UInt64(values.count))
        for value in values { string(value) }
    }
    mutating func key(_ key: String, int32s values: [Int]) {
        string(key); u32(9); u32(5); u64(UInt64(values.count))
        for value in values { u32(UInt32(bitPattern: Int32(value))) }
    }
    /// An F32 tensor's description.
    mutating func tensorInfo(_ name: String, shape: [Int], offset: Int) {
        string(name)
        u32(UInt32(shape.count))
        for d in shape { u64(UInt64(d)) }
        u32(0)
        u64(UInt64(offset))
    }
    mutating func align(_ alignment: Int = 32) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }
}

// MARK: - The tiny model's own checks

@Suite("Tiny model")
struct TinyModelTests {
    @Test func loadsThroughTheRealLoader() throws {
        let model = try TinyModel.model()
        #expect(model.configuration.blockCount == 2)
        #expect(model.configuration.width == 32)
        #expect(model.configuration.kvHeadCount == 2)
        #expect(model.tokenizer.vocabularySize == TinyModel.vocabulary.count)
        // The merges apply: "The" is one token, " capital" one token.
        let ids = model.tokenizer.encode("The capital", parseSpecial: false)
        #expect(ids.map { model.tokenizer.tokenString($0) } == ["The", "Ġcapital"])
        #expect(model.tokenizer.encode("<|im_start|>", parseSpecial: true) == [1])
    }

    @Test func runsTheForwardPassDeterministically() throws {
        let a = try HeadlessExplorer()
        let b = try HeadlessExplorer()
        #expect(a.state.tokens.map(\.piece) == ["The", "Ġcapital", "Ġof", "ĠF", "ra", "nc", "e", "Ġis"])
        #expect(a.state.busy == nil)
        let logits = try #require(a.state.analysis?.logits)
        #expect(logits.count == TinyModel.vocabulary.count)
        #expect(logits.allSatisfy { $0.isFinite })
        #expect(Set(logits).count > 10, "the logits must vary: a degenerate model would show nothing")
        #expect(a.state.analysis == b.state.analysis)
    }
}

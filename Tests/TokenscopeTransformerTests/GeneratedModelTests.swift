import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTransformer

/// Small random-weight models of Llama, GPT-2, Qwen 2 and Qwen 3, in both file formats, against HF
/// `transformers` on the same weights (Tests/Reference/architectures/make_generated_models.py).
@Suite struct GeneratedModelTests {
    /// The golden logits of one architecture: token-id prompts and the reference's logits.
    struct Golden: Decodable {
        struct Prompt: Decodable {
            let ids: [Int]
            let logits: [[Float]]  // (positions, vocabulary)
        }
        let architecture: String
        let prompts: [Prompt]
    }

    static let architectures = ["llama", "gpt2", "qwen2", "qwen3"]

    /// The HF folder and the GGUF file of `architecture`.
    static func paths(_ architecture: String) -> [String] {
        [ForwardGolden.fixture("generated/\(architecture)").path, ForwardGolden.fixture("generated/\(architecture).gguf").path]
    }

    static func golden(_ architecture: String) throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: ForwardGolden.fixture("generated/\(architecture)-golden.json")))
    }

    /// max |a − b| / max |b| over every logit of every position.
    static func relativeError(_ session: InferenceSession, _ reference: [[Float]]) throws -> Float {
        var worst: Float = 0, scale: Float = 0
        try session.forEachLogits(in: 0..<session.count) { position, logits in
            for (a, b) in zip(logits, reference[position]) {
                worst = max(worst, abs(a - b))
                scale = max(scale, abs(b))
            }
        }
        return worst / max(scale, .leastNormalMagnitude)
    }

    @Test(arguments: architectures)
    func logitsMatchTransformersInBothFormats(_ architecture: String) throws {
        let golden = try Self.golden(architecture)
        #expect(golden.prompts.count >= 3)
        for path in Self.paths(architecture) {
            let model = try TransformerModel(path: path)
            #expect(model.architecture.name == architecture)
            for prompt in golden.prompts {
                let session = InferenceSession(model: model)
                try session.append(prompt.ids)
                #expect(prompt.logits.count == prompt.ids.count && prompt.logits[0].count == model.configuration.vocabularySize)
                let error = try Self.relativeError(session, prompt.logits)
                print("\(architecture) \(URL(fileURLWithPath: path).lastPathComponent) \(prompt.ids.count) tokens: max relative logit difference \(error)")
                #expect(error < 1e-3, "\(path): \(error)")
            }
        }
    }

    @Test(arguments: architectures)
    func decodingTokenByTokenEqualsPrefillAndInspectionEqualsTheTrace(_ architecture: String) throws {
        let ids = try Self.golden(architecture).prompts[2].ids
        for path in Self.paths(architecture) {
            let model = try TransformerModel(path: path)
            let full = InferenceSession(model: model)
            try full.append(ids)
            let stepwise = InferenceSession(model: model, options: .off)
            for id in ids { try stepwise.append([id]) }
            for position in ids.indices {
                let worst = zip(try full.logits(at: position), try stepwise.logits(at: position)).map { abs($0 - $1) }.max() ?? 1
                #expect(worst < 1e-4, "\(path) position \(position): \(worst)")
            }
            // The block inspection recomputes each block through the same recipe as the forward pass.
            for layer in 0..<model.configuration.blockCount {
                let inspection = try full.inspectBlock(layer: layer, position: ids.count - 1)
                let traced = try #require(full.trace.residual(position: ids.count - 1, afterBlocks: layer + 1))
                let worst = zip(inspection.output, traced).map { abs($0 - $1) }.max() ?? 1
                #expect(worst < 1e-4, "\(path) layer \(layer): \(worst)")
            }
            // Recomputed attention equals the stored rows.
            let recomputing = InferenceSession(model: model, options: TraceOptions(level: .summary))
            try recomputing.append(ids)
            let stored = try full.attentionMatrix(layer: 1, head: 1), recomputed = try recomputing.attentionMatrix(layer: 1, head: 1)
            let worst = zip(stored.lowerTriangle, recomputed.lowerTriangle).map { abs($0 - $1) }.max() ?? 1
            #expect(worst < 1e-3, "\(path): \(worst)")
        }
    }

    /// GPT-2 small's real shapes (124M random weights, ~500 MB: not a fixture). Write them with
    /// `make_generated_models.py --gpt2-small DIR` and set TOKENSCOPE_GPT2_SMALL=DIR.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TOKENSCOPE_GPT2_SMALL"] != nil))
    func gpt2SmallShapesMatchTransformers() throws {
        let folder = try #require(ProcessInfo.processInfo.environment["TOKENSCOPE_GPT2_SMALL"])
        let model = try TransformerModel(path: folder + "/gpt2")
        let c = model.configuration
        #expect(c.blockCount == 12 && c.width == 768 && c.headCount == 12 && c.headSize == 64 && c.mlpWidth == 3072)
        #expect(c.contextLength == 1024 && c.vocabularySize == 50257 && model.parameterCount == 124_439_808)
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/gpt2-golden.json")))
        for prompt in golden.prompts {
            let session = InferenceSession(model: model, options: .off)
            try session.append(prompt.ids)
            let error = try Self.relativeError(session, prompt.logits)
            print("gpt2 small \(prompt.ids.count) tokens: max relative logit difference \(error)")
            #expect(error < 1e-3)
        }
    }

    @Test func eachArchitectureStatesItsRecipeAndSizes() throws {
        let gpt2 = try TransformerModel(path: Self.paths("gpt2")[0]).configuration
        #expect(gpt2.recipe.norm == .layer && gpt2.recipe.positions == .learned && gpt2.recipe.feedForward == .gelu)
        #expect(gpt2.mlpWidth == 128 && gpt2.headSize == 8 && gpt2.contextLength == 64)  // n_inner null: 4 × width
        for path in Self.paths("qwen3") {
            let model = try TransformerModel(path: path)
            let c = model.configuration
            #expect(c.headSize == 16 && c.queryWidth == 64 && c.width == 32, "explicit head size, not width ÷ heads")
            #expect(c.ropeBase == 10_000 && c.recipe.hasQKNorm && c.kvHeadCount == 2)
            #expect(c.rotaryStyle == .halves)
        }
        let qwen2 = try TransformerModel(path: Self.paths("qwen2")[0]).configuration
        #expect(qwen2.ropeBase == 10_000 && qwen2.recipe.hasQKVBias && qwen2.rotaryStyle == .halves)
        // Llama's GGUF has its Q and K rows permuted (rotary on pairs); its HF folder does not (halves).
        let llama = try Self.paths("llama").map { try TransformerModel(path: $0).configuration.rotaryStyle }
        #expect(llama == [.halves, .pairs])
        #expect(ArchitectureRegistry.architecture(modelType: "gemma3_text")?.name == "gemma3")
    }

    /// A copy of a fixture GGUF with `patch` applied to its bytes.
    static func patchedGGUF(_ name: String, _ patch: (inout Data) throws -> Void) throws -> String {
        var data = try Data(contentsOf: ForwardGolden.fixture("generated/\(name).gguf"))
        try patch(&data)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-\(name)-\(UUID().uuidString).gguf").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Replaces the first occurrence of `old` after `after` (or anywhere) with `new` (same length).
    static func replace(_ old: String, with new: String, in data: inout Data, after: String? = nil) throws {
        let from = try after.map { try #require(data.range(of: Data($0.utf8))).upperBound } ?? data.startIndex
        let range = try #require(data.range(of: Data(old.utf8), in: from..<data.endIndex))
        data.replaceSubrange(range, with: Data(new.utf8))
    }

    @Test func anUnknownArchitectureIsOneLineNamingItAndTheSupportedOnes() throws {
        let path = try Self.patchedGGUF("gpt2") { try Self.replace("gpt2", with: "rwkv", in: &$0, after: "general.architecture") }
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try TransformerModel(path: path)
            Issue.record("an unknown architecture loaded")
        } catch {
            let text = "\(error)"
            #expect(text.contains("'rwkv'") && text.contains("llama, gpt2, qwen2, qwen3, gemma3") && !text.contains("\n"), "\(text)")
        }
    }

    @Test func aMissingTensorIsNamed() throws {
        let path = try Self.patchedGGUF("qwen3") { try Self.replace("blk.1.attn_k_norm.weight", with: "blk.1.attn_k_norm.wxxxxx", in: &$0) }
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try TransformerModel(path: path) } throws: { "\($0)".contains("blk.1.attn_k_norm.weight") }
    }

    @Test func aWrongShapeIsNamed() throws {
        // A config that states a wider feed-forward network than the weights have.
        let source = Self.paths("gpt2")[0]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-gpt2-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: source, toPath: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configPath = folder + "/config.json"
        let config = try String(contentsOfFile: configPath, encoding: .utf8).replacingOccurrences(of: "\"n_inner\": null", with: "\"n_inner\": 96")
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        #expect { try TransformerModel(path: folder) } throws: { "\($0)".contains("transformer.h.0.mlp.c_fc.weight") }
    }
}

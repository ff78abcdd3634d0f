import Foundation
import Testing
import TokenscopeFormats
@testable import TokenscopeTransformer

/// The real Gemma 3 270M (Q4_K_M GGUF) against HF `transformers` running the same dequantised
/// weights in float32 (Tests/Reference/architectures/gemma3_reference.py), on the reference's token
/// ids. Needs the model file: TOKENSCOPE_GEMMA, or gemma-3-270m-q4_k_m.gguf in the model cache
/// (`tokenscope fetch gemma3`); skipped with a printed note when absent (an optional model, not one
/// `tokenscope fetch` installs by default), failed when TOKENSCOPE_GEMMA names a missing file.
@Suite struct Gemma3Tests {
    struct Golden: Decodable {
        struct Position: Decodable {
            let ids: [Int]
            let logits: [Float]
            let logsumexp: Double
        }
        struct Prompt: Decodable {
            let text: String
            let ids: [Int]
            /// The position of `positions[0]` (a long prompt keeps only its last positions).
            let first_position: Int
            let positions: [Position]
        }
        let prompts: [Prompt]
    }

    /// Where the model file is, if anywhere.
    static let modelPath: String? = {
        let cached = URL(fileURLWithPath: ModelLocator.defaultModelPath()).deletingLastPathComponent()
            .appendingPathComponent("gemma-3-270m-q4_k_m.gguf").path
        let candidates = [ProcessInfo.processInfo.environment["TOKENSCOPE_GEMMA"], cached].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }()

    static let isAvailable: Bool = {
        guard modelPath == nil else { return true }
        if ProcessInfo.processInfo.environment["TOKENSCOPE_GEMMA"] != nil { return true }  // then the tests fail on the missing file
        print("note: skipping the Gemma 3 tests: the model is not in the cache (run `tokenscope fetch gemma3`, or set TOKENSCOPE_GEMMA)")
        return false
    }()

    static func model() throws -> TransformerModel {
        let path = try #require(modelPath, "the Gemma 3 model is missing: set TOKENSCOPE_GEMMA")
        return try TransformerModel(path: path, idsOnly: true)
    }

    @Test(.enabled(if: isAvailable)) func theRecipeAndSizesComeFromTheFile() throws {
        let model = try Self.model()
        let c = model.configuration
        #expect(c.architecture == "gemma3" && c.blockCount == 18 && c.width == 640 && c.headSize == 256)
        #expect(c.headCount == 4 && c.kvHeadCount == 1 && c.queryWidth == 1024 && c.mlpWidth == 2048)
        #expect(c.slidingWindow == 512 && c.ropeBase == 1_000_000 && c.localRopeBase == 10_000)
        #expect((0..<18).filter { !c.isLocal(layer: $0) } == [5, 11, 17])
        #expect(c.rotaryStyle == .halves && c.recipe.embeddingScale == .squareRootOfWidth && model.weights.isTied)
    }

    @Test(.enabled(if: isAvailable)) func logitsMatchTransformersOnTheSameWeights() throws {
        let model = try Self.model()
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: ForwardGolden.fixture("gemma3/gemma3-golden.json")))
        #expect(golden.prompts.count >= 4)
        for prompt in golden.prompts {
            let session = InferenceSession(model: model, options: .off)
            try session.append(prompt.ids)
            var worstLogit: Float = 0, worstNormaliser = 0.0, topOneMisses = 0
            try session.forEachLogits(in: prompt.first_position..<session.count) { position, logits in
                let reference = prompt.positions[position - prompt.first_position]
                for (id, value) in zip(reference.ids, reference.logits) { worstLogit = max(worstLogit, abs(logits[id] - value)) }
                let maximum = Double(logits.max() ?? 0)
                let normaliser = maximum + log(logits.reduce(0.0) { $0 + exp(Double($1) - maximum) })
                worstNormaliser = max(worstNormaliser, abs(normaliser - reference.logsumexp))
                let best = logits.indices.max { logits[$0] < logits[$1] } ?? -1
                // A miss counts only when the reference's top two are not a near tie.
                if best != reference.ids[0] && reference.logits[0] - reference.logits[1] > 0.01 { topOneMisses += 1 }
            }
            print("gemma3 \(prompt.ids.count) tokens: max |Δlogit| over the top 32 \(worstLogit), max |Δlogsumexp| \(worstNormaliser), top-1 misses \(topOneMisses)")
            #expect(topOneMisses == 0, "\(prompt.text)")
            #expect(worstLogit < 1e-3 && worstNormaliser < 1e-3, "\(prompt.text): \(worstLogit) \(worstNormaliser)")
        }
        #expect(golden.prompts.contains { $0.ids.count > model.configuration.slidingWindow + 64 }, "a prompt past the window")
    }

    @Test(.enabled(if: isAvailable)) func localLayersSeeOnlyTheirWindow() throws {
        let model = try Self.model()
        let c = model.configuration
        let ids = Array(repeating: model.tokenizer.bosID ?? 2, count: 1) + (0..<(c.slidingWindow + 40)).map { 1000 + $0 % 500 }
        let session = InferenceSession(model: model, options: TraceOptions(level: .summary))
        try session.append(ids)
        let last = ids.count - 1
        let local = Array(try session.attentionMatrix(layer: 0, head: 0).row(last))
        let global = Array(try session.attentionMatrix(layer: 5, head: 0).row(last))
        let firstVisible = last - c.slidingWindow + 1
        #expect(local.prefix(firstVisible).allSatisfy { $0 == 0 } && local[firstVisible...].contains { $0 > 0 })
        #expect(global.prefix(firstVisible).contains { $0 > 0 }, "a global layer sees the start")
        #expect(abs(local.reduce(0, +) - 1) < 1e-4 && abs(global.reduce(0, +) - 1) < 1e-4)
    }

    @Test(.enabled(if: isAvailable)) func aMissingTensorIsNamed() throws {
        let source = try #require(Self.modelPath)
        var data = try Data(contentsOf: URL(fileURLWithPath: source))
        let range = try #require(data.range(of: Data("blk.7.post_ffw_norm.weight".utf8)))
        data.replaceSubrange(range, with: Data("blk.7.post_ffw_norm.wxxxxx".utf8))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-gemma-\(UUID().uuidString).gguf").path
        try data.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try TransformerModel(path: path, idsOnly: true) } throws: { "\($0)".contains("blk.7.post_ffw_norm.weight") }
    }
}

import Foundation
import Testing
import TokenscopeFormats
@testable import TokenscopeTransformer

/// all-MiniLM-L6-v2 against `sentence-transformers` on CPU (Tests/Reference/encoder/
/// make_encoder_goldens.py): the same tokens (truncated at 256) and embeddings with cosine ≥ 0.9999
/// for every one of 520 texts, edge cases included. Needs MiniLM in the model cache
/// (`tokenscope fetch`); skipped with a note otherwise (failed under CI=true).
@Suite struct SentenceEncoderTests {
    struct Golden: Decodable {
        let max_seq_length: Int
        let dimension: Int
        let texts: [String]
        let tokens: [[Int]]
    }

    static let folder = ModelLocator.miniLMFolder()

    static let isAvailable: Bool = {
        if FileManager.default.fileExists(atPath: folder + "/model.safetensors") { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" { return true }  // then the tests fail on the missing folder
        print("note: skipping the sentence encoder tests: all-MiniLM-L6-v2 is not in the model cache (run tokenscope fetch)")
        return false
    }()

    static func golden() throws -> (Golden, [[Float]]) {
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: ForwardGolden.fixture("encoder/minilm-sentences.json")))
        let data = try Data(contentsOf: ForwardGolden.fixture("encoder/minilm-embeddings.f16"))
        #expect(data.count == golden.texts.count * golden.dimension * 2)
        let values: [Float] = data.withUnsafeBytes { raw in
            (0..<(data.count / 2)).map { Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)))) }
        }
        let rows = (0..<golden.texts.count).map { Array(values[($0 * golden.dimension)..<(($0 + 1) * golden.dimension)]) }
        return (golden, rows)
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in a.indices {
            dot += Double(a[i]) * Double(b[i])
            na += Double(a[i]) * Double(a[i])
            nb += Double(b[i]) * Double(b[i])
        }
        return dot / max(1e-30, (na * nb).squareRoot())
    }

    @Test(.enabled(if: isAvailable)) func configurationComesFromTheFolder() throws {
        let encoder = try SentenceEncoder(folder: Self.folder)
        #expect(encoder.architecture.name == "bert")
        #expect(encoder.configuration.blockCount == 6 && encoder.configuration.width == 384 && encoder.configuration.headCount == 12)
        #expect(encoder.configuration.mlpWidth == 1536 && encoder.configuration.contextLength == 512)
        #expect(encoder.maxTokens == 256)
        #expect(encoder.architecture.recipe.normPlacement == .afterResidual && encoder.architecture.recipe.geluForm == .erf)
    }

    @Test(.enabled(if: isAvailable)) func tokensMatchSentenceTransformersWithTruncation() throws {
        let encoder = try SentenceEncoder(folder: Self.folder)
        let (golden, _) = try Self.golden()
        #expect(golden.max_seq_length == encoder.maxTokens)
        for (text, tokens) in zip(golden.texts, golden.tokens) {
            #expect(encoder.tokens(text) == tokens, "\(text.prefix(60))")
        }
        #expect(golden.tokens.contains { $0.count == 256 }, "the set must reach the truncation")
    }

    @Test(.enabled(if: isAvailable)) func embeddingsMatchSentenceTransformers() throws {
        let encoder = try SentenceEncoder(folder: Self.folder)
        let (golden, expected) = try Self.golden()
        #expect(golden.texts.count >= 500)
        let embeddings = try encoder.embed(golden.texts)
        var worst = (cosine: 1.0, index: 0)
        for (index, (ours, theirs)) in zip(embeddings, expected).enumerated() {
            #expect(ours.count == golden.dimension)
            let cosine = Self.cosine(ours, theirs)
            if cosine < worst.cosine { worst = (cosine, index) }
            #expect(cosine >= 0.9999, "text \(index) '\(golden.texts[index].prefix(60))': cosine \(cosine)")
            let norm = ours.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-4)
        }
        print("sentence encoder: lowest cosine \(worst.cosine) on text \(worst.index) of \(golden.texts.count)")
    }

    @Test(.enabled(if: isAvailable)) func batchingDoesNotChangeAnEmbedding() throws {
        let encoder = try SentenceEncoder(folder: Self.folder)
        let texts = ["A short one.", String(repeating: "longer text ", count: 80), "", "東京は日本の首都です。"]
        let together = try encoder.embed(texts)
        for (index, text) in texts.enumerated() {
            let alone = try encoder.embed([text])[0]
            #expect(Self.cosine(alone, together[index]) > 0.999999)
        }
    }

    @Test func aDecoderFolderIsNotAnEncoder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-encoder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"model_type": "gpt2"}"#.utf8).write(to: folder.appendingPathComponent("config.json"))
        #expect {
            _ = try SentenceEncoder(folder: folder.path)
        } throws: { error in
            "\(error)".contains("model type 'gpt2' is not a supported encoder (supported: bert)")
        }
    }
}

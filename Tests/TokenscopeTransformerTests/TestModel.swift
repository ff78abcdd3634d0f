import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTransformer

/// The real default model, loaded once for every test that needs it.
///
/// When the model is missing, tests fail under `CI=true` (model tests must never skip silently in
/// CI) and are skipped with a printed note elsewhere.
enum TestModel {
    static let shared: Result<LlamaModel, ModelError>? = {
        let path = ModelLocator.defaultModelPath()
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return Result { () throws(ModelError) -> LlamaModel in try LlamaModel(path: path) }
    }()

    /// The model, or nil after recording why not.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) -> LlamaModel? {
        switch shared {
        case .success(let model): return model
        case .failure(let error):
            Issue.record("the default model failed to load: \(error)", sourceLocation: sourceLocation)
            return nil
        case nil:
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("the default model is missing at \(ModelLocator.defaultModelPath()); run `tokenscope fetch`", sourceLocation: sourceLocation)
            } else {
                print("note: skipping a model test: \(ModelLocator.defaultModelPath()) is missing (run `tokenscope fetch`)")
            }
            return nil
        }
    }
}

/// The golden files written by Tests/Reference/forward/numpy_forward.py.
struct ForwardGolden: Decodable {
    struct Prompt: Decodable {
        let name: String
        let text: String
        let ids: [Int]
        let logits: String
        let logits_positions: [Int]
        let greedy: [Int]
        let greedy_gaps: [Double]
        let attention_layers: [Int]?
        let residual_norms_last: [Double]?
    }
    let vocab: Int
    let prompts: [Prompt]

    static func load() throws -> ForwardGolden {
        try JSONDecoder().decode(ForwardGolden.self, from: Data(contentsOf: fixture("forward-golden.json")))
    }

    static func fixture(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Fixtures/\(name)")
    }

    /// Little-endian float32 values of a fixture file.
    static func floats(_ name: String) throws -> [Float] {
        let data = try Data(contentsOf: fixture(name))
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }
}

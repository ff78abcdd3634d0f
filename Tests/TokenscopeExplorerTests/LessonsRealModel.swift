import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTokenizers
import TokenscopeTransformer
@testable import TokenscopeExplorer

// MARK: - The real model for the lesson and glossary tests

/// The default model for tests that need it: present locally after `tokenscope fetch`, and
/// required under CI (`CI=true`), where its absence fails `modelIsPresentUnderCI`.
enum LessonsRealModel {
    /// The model file, if there is one.
    static var path: String? {
        if let explicit = ProcessInfo.processInfo.environment["TOKENSCOPE_MODEL"], FileManager.default.fileExists(atPath: explicit) { return explicit }
        let path = ModelLocator.defaultModelPath()
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Whether the model tests can run.
    static var isPresent: Bool { path != nil }

    /// A fresh engine over the model (MiniLM's WordPiece as comparison when it is in the cache).
    static func engine() throws -> LiveExplorerEngine {
        let model = try TransformerModel(path: try #require(path))
        let engine = LiveExplorerEngine(model: model)
        if let miniLM = try? TokenizerLoader.defaultComparison() {
            engine.comparisonTokenizers = [ComparisonTokenizer(name: "MiniLM WordPiece", tokenizer: miniLM)]
        }
        return engine
    }
}

@Suite("Lessons: the model is there under CI")
struct LessonsModelPresenceTests {
    /// Under CI the model tests must not silently skip: a missing model fails here.
    @Test func modelIsPresentUnderCI() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(LessonsRealModel.isPresent, "the default model is missing under CI: run `tokenscope fetch` (the lesson and glossary tests need it)")
        } else if !LessonsRealModel.isPresent {
            print("note: the default model is missing; the lesson --check and screen-term tests are skipped (run `tokenscope fetch`)")
        }
    }
}

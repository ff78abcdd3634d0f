import Foundation
import TokenscopeFormats
import TokenscopeTokenizers
import TokenscopeTransformer

// MARK: - The downloaded models, for tests that need them

/// The real models `tokenscope fetch` downloads (SmolLM2-135M-Instruct as GGUF Q4_1, and the
/// all-MiniLM-L6-v2 folder), where tests find them, and whether tests that need them run.
///
/// A test that needs a model is gated on ``shouldRun`` (or ``shouldRunMiniLM``) and then gets
/// what it needs with a throwing call:
///
/// ```swift
/// @Suite(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
/// struct SessionTests {
///     @Test func decodes() throws {
///         let model = try ModelFixture.smolLM2()
///         …
/// ```
///
/// So a missing model is a reported skip on a developer's machine, and a failure in CI
/// (`CI=true`), where the models are fetched first and a skip would hide a broken setup.
public enum ModelFixture {
    // MARK: - Where the models are

    /// The default model in the cache (`${XDG_CACHE_HOME:-~/.cache}/tokenscope/models/…gguf`).
    public static var defaultModelPath: String { ModelLocator.defaultModelPath() }

    /// The all-MiniLM-L6-v2 folder in the cache (config.json, model.safetensors, tokenizer.json, vocab.txt).
    public static var miniLMFolder: String { ModelLocator.miniLMFolder() }

    // MARK: - Whether tests that need them run

    /// Whether this is a CI run (`CI=true`, set by `.ci/run`): there a missing model fails.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether the default model is downloaded.
    public static var isDefaultModelPresent: Bool { FileManager.default.fileExists(atPath: defaultModelPath) }

    /// Whether the MiniLM folder is downloaded (its weights and its tokenizer).
    public static var isMiniLMPresent: Bool {
        ["model.safetensors", "tokenizer.json"].allSatisfy { FileManager.default.fileExists(atPath: miniLMFolder + "/" + $0) }
    }

    /// Whether tests that need the default model run: when it is downloaded, and always in CI (so
    /// there they fail with ``FixtureError/modelMissing(name:path:)`` instead of being skipped).
    public static var shouldRun: Bool { isDefaultModelPresent || isCI }

    /// Whether tests that need the MiniLM folder run: when it is downloaded, and always in CI.
    /// (Tests that need both models are gated on `shouldRun && shouldRunMiniLM`.)
    public static var shouldRunMiniLM: Bool { isMiniLMPresent || isCI }

    /// The optional Gemma 3 270M GGUF: `TOKENSCOPE_GEMMA`, else `gemma-3-270m-q4_k_m.gguf` beside
    /// the default model (`tokenscope fetch gemma3`).
    public static var gemmaPath: String {
        ProcessInfo.processInfo.environment["TOKENSCOPE_GEMMA"]
            ?? URL(fileURLWithPath: defaultModelPath).deletingLastPathComponent().appendingPathComponent("gemma-3-270m-q4_k_m.gguf").path
    }

    /// Whether tests that need Gemma 3 run: when the file is there or `TOKENSCOPE_GEMMA` names one
    /// (then a missing file fails). Gemma is not a default model, so CI does not force it; a skip
    /// prints why.
    public static let shouldRunGemma: Bool = {
        if FileManager.default.fileExists(atPath: gemmaPath) || ProcessInfo.processInfo.environment["TOKENSCOPE_GEMMA"] != nil { return true }
        print("note: skipping the Gemma 3 tests: \(gemmaPath) is not there (run `tokenscope fetch gemma3`, or set TOKENSCOPE_GEMMA)")
        return false
    }()

    // MARK: - Getting them

    /// The default model's path, or an error naming it and `tokenscope fetch` (called alone before
    /// running the binary on the default model, so a missing model fails at once and nothing fetches).
    @discardableResult
    public static func requireDefaultModelPath() throws(FixtureError) -> String {
        let path = defaultModelPath
        guard FileManager.default.fileExists(atPath: path) else {
            throw .modelMissing(name: "the default model (SmolLM2-135M-Instruct Q4_1)", path: path)
        }
        return path
    }

    /// The MiniLM folder's path, or an error naming it and `tokenscope fetch`.
    @discardableResult
    public static func requireMiniLMFolder() throws(FixtureError) -> String {
        let folder = miniLMFolder
        guard isMiniLMPresent else { throw .modelMissing(name: "the comparison model (all-MiniLM-L6-v2)", path: folder) }
        return folder
    }

    /// The default model loaded with the real loader, once per test process and shared (a
    /// `TransformerModel` is immutable); throws when it is missing or does not load.
    public static func smolLM2() throws -> TransformerModel { try loadedSmolLM2.get() }

    /// SmolLM2's byte-level BPE tokenizer read straight from the GGUF (no transformer involved),
    /// once per test process.
    public static func smolLM2Tokenizer() throws -> BPETokenizer { try loadedSmolLM2Tokenizer.get() }

    /// all-MiniLM-L6-v2's WordPiece tokenizer from its tokenizer.json, once per test process.
    public static func miniLMTokenizer() throws -> WordPieceTokenizer { try loadedMiniLMTokenizer.get() }

    // MARK: - Loaded once

    private static let loadedSmolLM2: Result<TransformerModel, any Error> = Result {
        try TransformerModel(path: requireDefaultModelPath())
    }

    private static let loadedSmolLM2Tokenizer: Result<BPETokenizer, any Error> = Result {
        try BPETokenizer(gguf: GGUFFile(path: requireDefaultModelPath()))
    }

    private static let loadedMiniLMTokenizer: Result<WordPieceTokenizer, any Error> = Result {
        try WordPieceTokenizer(tokenizerJSON: requireMiniLMFolder() + "/tokenizer.json")
    }
}

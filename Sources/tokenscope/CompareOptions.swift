import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeFormats
import TokenscopeTokenizers

// MARK: - Tokenizers to compare with

/// `--compare PATH` (repeatable): other tokenizers the tokens view runs the same text through.
struct CompareOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A model file (.gguf, byte-level BPE) whose tokenizer the tokens view compares with; repeatable.",
                                            valueName: "path"))
    var compare: [String] = []

    /// The default comparison tokenizers, then one per `--compare` file.
    ///
    /// To make MiniLM's WordPiece the default comparison, return it here, e.g.
    /// `[ComparisonTokenizer(name: "MiniLM WordPiece", tokenizer: try TokenizerLoader.load(path: miniLMFolder))]`.
    func tokenizers() throws -> [ComparisonTokenizer] {
        var out = defaultComparisonTokenizers()
        for path in compare {
            do {
                let tokenizer = try BPETokenizer(gguf: try GGUFFile(path: path))
                out.append(ComparisonTokenizer(name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, tokenizer: tokenizer))
            } catch {
                throw CommandFailure("--compare \(path): \(error)")
            }
        }
        return out
    }

    /// Comparison tokenizers shown without `--compare` (none until a second tokenizer format is available).
    func defaultComparisonTokenizers() -> [ComparisonTokenizer] { [] }
}

import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeFormats
import TokenscopeTokenizers

// MARK: - Tokenizers to compare with

/// `--compare PATH` (repeatable): other tokenizers the tokens view runs the same text through.
struct CompareOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A tokenizer (.gguf, tokenizer.json, vocab.txt or an HF folder) the tokens view compares with, besides MiniLM's WordPiece; repeatable.",
                                            valueName: "path"))
    var compare: [String] = []

    /// Each path is a file or a folder of files: a FIFO or device is refused before anything opens it.
    func validate() throws {
        for path in compare {
            switch FileKind(path: path) {
            case .missing: throw ValidationError("--compare \(path): no such file or folder")
            default:
                do { try FileKind.requireModelFiles(path) } catch { throw ValidationError("--compare \(error.description)") }
            }
        }
    }

    /// The default comparison tokenizers (MiniLM's for a decoder; the default decoder's, SmolLM2's,
    /// for an encoder), then one per `--compare` path.
    func tokenizers(encoder: Bool = false) throws -> [ComparisonTokenizer] {
        var out = encoder ? Self.decoderComparisonTokenizers() : defaultComparisonTokenizers()
        for path in compare {
            do {
                out.append(ComparisonTokenizer(name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, tokenizer: try TokenizerLoader.load(path: path)))
            } catch {
                throw CommandFailure("--compare \(path): \(error)")
            }
        }
        return out
    }

    /// Comparison tokenizers shown without `--compare`: MiniLM's WordPiece when it is in the model
    /// cache (`tokenscope fetch` puts it there); nothing when it is not.
    func defaultComparisonTokenizers() -> [ComparisonTokenizer] {
        guard let miniLM = try? TokenizerLoader.defaultComparison() else { return [] }
        return [ComparisonTokenizer(name: "MiniLM WordPiece", tokenizer: miniLM)]
    }

    /// What an encoder (MiniLM) is compared with without `--compare`: the default decoder's
    /// tokenizer (SmolLM2's byte-level BPE) when it is in the model cache; nothing when it is not.
    static func decoderComparisonTokenizers() -> [ComparisonTokenizer] {
        let path = ModelLocator.defaultModelPath()
        guard FileManager.default.fileExists(atPath: path), let tokenizer = try? TokenizerLoader.load(path: path) else { return [] }
        return [ComparisonTokenizer(name: "SmolLM2 BPE", tokenizer: tokenizer)]
    }
}

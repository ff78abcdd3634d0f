import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeFormats
import TokenscopeTransformer

// MARK: - Model options shared by the model commands

/// `--model PATH`, resolved as everywhere: the option, then `TOKENSCOPE_MODEL`, then the cache.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "A .gguf model file or an HF model folder (default: TOKENSCOPE_MODEL, then the cached SmolLM2).")
    var model: String?

    /// Loads the model the options name (a GGUF file or an HF folder of a registered
    /// architecture), or fails with one line naming the file.
    func loadModel() throws -> TransformerModel {
        let location = try ModelLocator.resolve(explicit: model)
        let path = location.path
        // The cached default model is checked against its SHA-256 once per change of the file.
        if location.source == "cache" {
            do { try CacheVerifier.requireIntactDefaultModel() } catch { throw CommandFailure(error.description) }
        }
        do {
            return try TransformerModel(path: path)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

/// A failure reported to the user as one line on stderr, with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Output helpers

/// Writes `value` as one line of JSON on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}


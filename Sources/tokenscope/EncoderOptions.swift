import ArgumentParser
import Foundation
import TokenscopeFormats
import TokenscopeTransformer

// MARK: - Encoder options shared by embed, similarity, search and bench encoder

/// `--model FOLDER` for the encoder commands: an HF folder of a BERT-family sentence encoder
/// (default: all-MiniLM-L6-v2 in the model cache).
struct EncoderOptions: ParsableArguments {
    @Option(name: .long, help: "An HF sentence-encoder folder (default: the cached all-MiniLM-L6-v2).")
    var model: String?

    /// Loads the encoder, or fails with one line naming the folder.
    func loadEncoder() throws -> SentenceEncoder {
        let folder = model ?? ModelLocator.miniLMFolder()
        guard FileManager.default.fileExists(atPath: folder) else {
            throw CommandFailure("\(folder): no such folder (run tokenscope fetch, or pass --model FOLDER)")
        }
        do { return try SentenceEncoder(folder: folder) } catch { throw CommandFailure(error.description) }
    }
}

/// Cosine similarity of two vectors (the dot product when both are unit vectors).
func cosine(_ a: [Float], _ b: [Float]) -> Double {
    var dot = 0.0, na = 0.0, nb = 0.0
    for i in a.indices where i < b.count {
        dot += Double(a[i]) * Double(b[i])
        na += Double(a[i]) * Double(a[i])
        nb += Double(b[i]) * Double(b[i])
    }
    return na > 0 && nb > 0 ? dot / (na * nb).squareRoot() : 0
}

/// Writes `line` to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

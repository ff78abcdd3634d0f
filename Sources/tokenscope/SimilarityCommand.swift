import ArgumentParser
import Foundation
import TokenscopeTransformer

/// `tokenscope similarity`: the cosine similarity matrix of several texts' sentence embeddings.
struct SimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity", abstract: "Cosine similarity matrix of sentence embeddings.")

    @OptionGroup var encoderOptions: EncoderOptions
    @Argument(help: "Two or more texts.") var texts: [String]
    @Flag(name: .long, help: "Print JSON: {\"texts\", \"matrix\"}.") var json = false

    struct Report: Encodable {
        let texts: [String]
        let matrix: [[Double]]
    }

    func validate() throws {
        guard texts.count >= 2 else { throw ValidationError("give at least two texts to compare") }
    }

    func run() throws {
        let encoder = try encoderOptions.loadEncoder()
        let vectors: [[Float]]
        do { vectors = try encoder.embed(texts) } catch { throw CommandFailure(error.description) }
        let matrix = vectors.map { a in vectors.map { b in cosine(a, b) } }
        if json {
            try printJSON(Report(texts: texts, matrix: matrix))
            return
        }
        for (n, text) in texts.enumerated() { print("[\(n + 1)] \(text)") }
        func padded(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        print(padded("", 5) + (1...texts.count).map { padded("[\($0)]", 7) }.joined())
        for (n, row) in matrix.enumerated() {
            print(padded("[\(n + 1)]", 5) + row.map { String(format: "%7.3f", $0) }.joined())
        }
    }
}

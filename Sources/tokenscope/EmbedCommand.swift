import ArgumentParser
import Foundation
import TokenscopeTransformer

/// `tokenscope embed`: sentence embeddings (mean-pooled, L2-normalised), as sentence-transformers gives them.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed", abstract: "Sentence embeddings from the encoder (all-MiniLM-L6-v2).",
        discussion: """
            Each text becomes [CLS] word pieces [SEP] (truncated to the encoder's 256 tokens), runs through \
            the encoder, and its last hidden states are averaged and scaled to length 1. --file reads one \
            text per line ('-' for standard input). --json prints one line per text: \
            {"text", "tokens", "embedding": [384 floats]}, in input order.
            """)

    @OptionGroup var encoderOptions: EncoderOptions
    @Argument(help: "Texts to embed.") var texts: [String] = []
    @Option(name: .long, help: "Read texts from a file, one per line ('-' for standard input).") var file: String?
    @Flag(name: .long, help: "Print one JSON line per text.") var json = false

    struct Line: Encodable {
        let text: String
        let tokens: Int
        let embedding: [Float]
    }

    func run() throws {
        var all = texts
        if let file { all += try Self.lines(file) }
        guard !all.isEmpty else { throw CommandFailure("no text to embed: give TEXT arguments or --file") }
        let encoder = try encoderOptions.loadEncoder()
        let vectors: [[Float]]
        do { vectors = try encoder.embed(all) } catch { throw CommandFailure(error.description) }
        for (text, vector) in zip(all, vectors) {
            let tokens = encoder.tokens(text).count
            if json {
                try printJSON(Line(text: text, tokens: tokens, embedding: vector))
            } else {
                let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
                let head = vector.prefix(8).map { String(format: "%+.4f", $0) }.joined(separator: " ")
                print("\(text.debugDescription)")
                print(String(format: "  %d tokens, %d dimensions, norm %.4f: ", tokens, vector.count, norm) + head + " …")
            }
        }
    }

    /// The lines of `file` ('-': standard input); invalid UTF-8 is replaced, a final newline adds no line.
    static func lines(_ file: String) throws -> [String] {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let read = FileManager.default.contents(atPath: file) else { throw CommandFailure("\(file): cannot be read") }
            data = read
        }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

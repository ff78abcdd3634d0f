import ArgumentParser
import Foundation
import TokenscopeFormats
import TokenscopeTokenizers

/// `tokenscope tokenize`: the tokens of a text, or the merge steps of a word.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "Split text into tokens.")

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "The text (or use --file).") var text: String?
    @Option(name: .long, help: "Read the text from a file ('-' for standard input).") var file: String?
    @Flag(name: .long, help: "Treat <|im_start|> and friends as plain text.") var noSpecial = false
    @Flag(name: .long, help: "Print JSON: {\"count\", \"ids\", \"tokens\", \"text\"}.") var json = false
    @Option(name: .long, help: "Print the BPE merge steps that build WORD.") var trace: String?

    struct Output: Encodable {
        let count: Int
        let ids: [Int]
        let tokens: [String]
        let text: [String]
    }

    func run() async throws {
        let path = try ModelLocator.resolve(explicit: modelOptions.model).path
        let tokenizer: BPETokenizer
        do { tokenizer = try BPETokenizer(gguf: try GGUFFile(path: path)) } catch let error as TokenizerError {
            throw CommandFailure(error.description)
        } catch let error as ModelFileError {
            throw CommandFailure(error.description)
        }
        if let word = trace {
            let (initial, steps) = tokenizer.mergeTrace(word)
            print("bytes: " + initial.map { "[\(visible(tokenizer.decode([$0])))]" }.joined())
            for (n, step) in steps.enumerated() {
                let parts = step.parts.map { "[\(visible(tokenizer.decode([$0])))]" }.joined()
                print(String(format: "%3d  rank %6d  ", n + 1, step.rank) + "\(step.pair.0) + \(step.pair.1)  →  \(parts)")
            }
            return
        }
        let bytes = try input()
        let ids = tokenizer.encode(bytes: bytes, parseSpecial: !noSpecial)
        let output = Output(count: ids.count, ids: ids, tokens: ids.map(tokenizer.tokenString), text: ids.map { tokenizer.decode([$0]) })
        if json { try printJSON(output); return }
        let interactive = isatty(STDOUT_FILENO) == 1
        var line = ""
        for (id, piece) in zip(ids, output.text) {
            let shown = visible(piece)
            line += interactive ? "\u{1B}[7m\(shown)\u{1B}[0m\u{1B}[2m\(id)\u{1B}[0m " : "[\(shown)|\(id)] "
        }
        print(line)
        print("\(ids.count) tokens, \(bytes.count) bytes, \(String(decoding: bytes, as: UTF8.self).count) characters")
    }

    private func input() throws -> [UInt8] {
        if let file {
            if file == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("\(file): cannot read the file") }
            return Array(data)
        }
        guard let text else { throw ValidationError("give a TEXT or --file F") }
        return Array(text.utf8)
    }
}

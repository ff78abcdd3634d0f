import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeFormats
import TokenscopeTokenizers

/// `tokenscope tokenize`: the tokens of a text, or the merge steps of a word.
/// `--model` may name a .gguf file, an HF folder (all-MiniLM-L6-v2 gives WordPiece), a
/// tokenizer.json or a vocab.txt: anything ``TokenizerLoader`` opens.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Split text into tokens.",
        discussion: """
            --model takes a .gguf model, an HF folder, a tokenizer.json or a vocab.txt (default: the cached \
            SmolLM2). WordPiece adds [CLS] ... [SEP] unless --no-special. --file - reads raw bytes from \
            standard input: byte-level BPE encodes invalid UTF-8 byte by byte; WordPiece drops it (it \
            becomes U+FFFD, which BERT's clean-up removes).
            """)

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "The text (or use --file).") var text: String?
    @Option(name: .long, help: "Read the text from a file ('-' for standard input).") var file: String?
    @Flag(name: .long, help: "Treat <|im_start|> and friends as plain text, and add no [CLS]/[SEP].") var noSpecial = false
    @Flag(name: .long, help: "Print JSON: {\"count\", \"ids\", \"tokens\", \"text\"}.") var json = false
    @Option(name: .long, help: "Print the BPE merge steps (or WordPiece pieces) that build WORD.") var trace: String?

    func validate() throws {
        if trace != nil { return }
        switch (text, file) {
        case (nil, nil): throw ValidationError("give a TEXT or --file F")
        case (.some, .some): throw ValidationError("give a TEXT or --file F, not both")
        default: break
        }
    }

    func run() throws {
        let path = try ModelLocator.resolve(explicit: modelOptions.model).path
        let tokenizer: any Tokenizer
        do { tokenizer = try TokenizerLoader.load(path: path) } catch {
            throw CommandFailure(error.description)
        }
        if let word = trace {
            printTrace(word, tokenizer)
            return
        }
        let bytes = try input()
        let ids = tokenizer.encode(bytes: bytes, parseSpecial: !noSpecial, addSpecialTokens: !noSpecial)
        let tokens = ids.map(tokenizer.tokenString)
        let texts = ids.map(tokenizer.tokenText)
        if json {
            print(Self.json(ids: ids, tokens: tokens, text: texts))
            return
        }
        let interactive = isatty(STDOUT_FILENO) == 1
        var line = ""
        for (id, piece) in zip(ids, texts) {
            // A piece of a character (byte-level BPE) shows its bytes, as the explorer's chips do.
            let bytes = tokenizer.tokenBytes(id)
            let shown = String(validating: bytes, as: UTF8.self) == nil ? TokenSpelling.hex(bytes) : TokenSpelling.visible(piece)
            line += interactive ? "\u{1B}[7m\(shown)\u{1B}[0m\u{1B}[2m\(id)\u{1B}[0m " : "[\(shown)|\(id)] "
        }
        print(line)
        noteDroppedBytes(bytes, ids: ids, tokenizer)
        print("\(ids.count) tokens, \(bytes.count) bytes, \(String(decoding: bytes, as: UTF8.self).count) characters (\(tokenizer.kindDescription))")
    }

    /// Says on stderr which bytes of the input the vocabulary has no token for: byte-level BPE
    /// drops them (as HF `tokenizers` and llama.cpp do), so the tokens do not spell the whole input.
    private func noteDroppedBytes(_ bytes: [UInt8], ids: [Int], _ tokenizer: any Tokenizer) {
        guard tokenizer is BPETokenizer else { return }
        let spelled = ids.reduce(0) { $0 + tokenizer.tokenBytes($1).count }
        guard spelled < bytes.count else { return }
        var unspellable = Set<UInt8>()
        for byte in Set(bytes) where tokenizer.encode(bytes: [byte], parseSpecial: false, addSpecialTokens: false).isEmpty {
            unspellable.insert(byte)
        }
        let dropped = bytes.filter { unspellable.contains($0) }.count
        guard dropped > 0 else { return }
        let list = unspellable.sorted().map { String(format: "0x%02X", $0) }.joined(separator: " ")
        FileHandle.standardError.write(Data(
            "note: \(dropped) byte\(dropped == 1 ? "" : "s") dropped: the vocabulary has no token for \(list)\n".utf8))
    }

    /// `{"count": N, "ids": [...], "tokens": [...], "text": [...]}`, keys in that order.
    static func json(ids: [Int], tokens: [String], text: [String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func encode<T: Encodable>(_ value: T) -> String {
            (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        }
        return "{\"count\": \(ids.count), \"ids\": \(encode(ids)), \"tokens\": \(encode(tokens)), \"text\": \(encode(text))}"
    }

    private func printTrace(_ word: String, _ tokenizer: any Tokenizer) {
        if let bpe = tokenizer as? BPETokenizer {
            for piece in bpe.preTokens(word) {
                // The merge log, with each step's parts rebuilt as it is printed: memory stays linear in the word.
                let log = bpe.mergeLog(piece)
                print("pre-token \(TokenSpelling.visible(piece).debugDescription)")
                print("bytes: " + log.initial.map { "[\(TokenSpelling.visible(bpe.tokenText($0)))]" }.joined())
                for (n, entry) in log.entries.enumerated() {
                    let parts = log.parts(after: n + 1).map { "[\(TokenSpelling.visible(bpe.tokenText($0)))]" }.joined()
                    print(String(format: "%3d  rank %6d  ", n + 1, Int(entry.rank))
                        + "\(bpe.tokenString(Int(entry.left))) + \(bpe.tokenString(Int(entry.right)))  →  \(parts)")
                }
            }
        } else if let wordPiece = tokenizer as? WordPieceTokenizer {
            print("normalised: \(wordPiece.normalizer.normalize(word).debugDescription)")
            for piece in wordPiece.preTokens(word) {
                let ids = wordPiece.encode(bytes: Array(piece.utf8), parseSpecial: false, addSpecialTokens: false)
                print("word \(piece.debugDescription): " + ids.map { "\(wordPiece.tokenString($0)) (\($0))" }.joined(separator: " + "))
            }
        }
    }

    private func input() throws -> [UInt8] {
        if let file { return try readInputFile(file) }
        return Array((text ?? "").utf8)
    }
}

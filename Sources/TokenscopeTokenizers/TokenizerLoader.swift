import Foundation
import TokenscopeFormats

// MARK: - Opening any tokenizer file

/// Opens a tokenizer from whatever the user points at, so "compare tokenizers" and the CLI take one
/// path: a `.gguf` model (its byte-level BPE, SentencePiece or WordPiece), an HF folder (its `tokenizer.json`, else `vocab.txt`,
/// else `vocab.json` + `merges.txt`), a `tokenizer.json` (BPE or WordPiece, by `model.type`), a BERT
/// `vocab.txt`, or a GPT-2 `vocab.json` / `merges.txt` (the other file must sit next to it).
public enum TokenizerLoader {
    /// The tokenizer at `path`; errors name the file and what was wrong.
    public static func load(path: String) throws(TokenizerError) -> any Tokenizer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .invalid("\(path): no such file or folder")
        }
        if isDirectory.boolValue { return try loadFolder(path) }
        let name = (path as NSString).lastPathComponent.lowercased()
        let folder = (path as NSString).deletingLastPathComponent
        if isGGUF(path) {
            do { return try GGUFTokenizer.load(try GGUFFile(path: path)) } catch let error as TokenizerError {
                throw error
            } catch let error as ModelFileError {
                throw .file(error)
            } catch {
                throw .invalid("\(path): \(error)")
            }
        }
        if name == "vocab.json" || name == "merges.txt" {
            return try BPETokenizer(vocabularyJSON: folder + "/vocab.json", mergesFile: folder + "/merges.txt")
        }
        if name.hasSuffix(".json") { return try loadTokenizerJSON(path) }
        if name.hasSuffix(".txt") { return try WordPieceTokenizer(vocabularyFile: path) }
        throw .invalid("\(path): not a tokenizer file Tokenscope knows (.gguf, tokenizer.json, vocab.txt, vocab.json, merges.txt, or an HF folder)")
    }

    /// all-MiniLM-L6-v2's WordPiece from the model cache: the default second tokenizer to compare.
    public static func defaultComparison(environment: [String: String] = ProcessInfo.processInfo.environment) throws(TokenizerError) -> any Tokenizer {
        try load(path: ModelLocator.miniLMFolder(environment: environment))
    }

    /// A `tokenizer.json`, dispatched on `model.type`.
    public static func loadTokenizerJSON(_ path: String) throws(TokenizerError) -> any Tokenizer {
        let json = try TokenizerJSON(path: path)
        switch json.model?["type"] as? String {
        case "BPE": return try BPETokenizer(json: json)
        case "WordPiece": return try WordPieceTokenizer(json: json)
        case let other: throw json.fail("model.type '\(other ?? "missing")' is not supported (known: BPE, WordPiece)")
        }
    }

    static func loadFolder(_ folder: String) throws(TokenizerError) -> any Tokenizer {
        let manager = FileManager.default
        if manager.fileExists(atPath: folder + "/tokenizer.json") { return try loadTokenizerJSON(folder + "/tokenizer.json") }
        if manager.fileExists(atPath: folder + "/vocab.txt") { return try WordPieceTokenizer(vocabularyFile: folder + "/vocab.txt") }
        if manager.fileExists(atPath: folder + "/vocab.json") && manager.fileExists(atPath: folder + "/merges.txt") {
            return try BPETokenizer(vocabularyJSON: folder + "/vocab.json", mergesFile: folder + "/merges.txt")
        }
        let ggufs = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".gguf") }.sorted()
        if let first = ggufs.first { return try load(path: folder + "/" + first) }
        throw .invalid("\(folder): the folder has no tokenizer.json, vocab.txt, vocab.json + merges.txt or .gguf")
    }

    /// Whether the file starts with the GGUF magic.
    static func isGGUF(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 4)) ?? Data()
        return magic == Data("GGUF".utf8)
    }
}

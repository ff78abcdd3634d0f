// MARK: - The tokenizer interface

/// What kind of vocabulary entry a token is (GGUF `tokenizer.ggml.token_type`).
public enum TokenKind: Int, Sendable, Equatable {
    case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
}

/// Turns text into token ids and back, and answers questions about the vocabulary.
public protocol Tokenizer: Sendable {
    /// The ids of `text`; with `parseSpecial`, control-token spellings in the text become those tokens.
    func encode(_ text: String, parseSpecial: Bool) -> [Int]
    /// The ids of arbitrary bytes (invalid UTF-8 included, where the tokenizer can represent it).
    func encode(bytes: [UInt8], parseSpecial: Bool) -> [Int]
    /// The text of `ids`, invalid UTF-8 replaced by U+FFFD.
    func decode(_ ids: [Int]) -> String
    /// The raw bytes token `id` stands for (a control token's spelling for control tokens).
    func tokenBytes(_ id: Int) -> [UInt8]
    /// The vocabulary string of `id`, as stored (`Ġdog`).
    func tokenString(_ id: Int) -> String
    /// The id of a vocabulary string, if any.
    func id(forToken token: String) -> Int?
    /// What kind of entry `id` is.
    func kind(of id: Int) -> TokenKind
    /// Number of vocabulary entries.
    var vocabularySize: Int { get }
    /// Beginning-of-sequence token, if the model has one.
    var bosID: Int? { get }
    /// Tokens that end generation.
    var eosIDs: Set<Int> { get }
    /// Whether raw prompts get BOS prepended.
    var addsBOS: Bool { get }
    /// The ids with the tokens the model's template adds around one text (see the default below).
    func encode(bytes: [UInt8], parseSpecial: Bool, addSpecialTokens: Bool) -> [Int]
    /// A short name of the algorithm ("byte-level BPE", "WordPiece"), for display.
    var algorithmName: String { get }
    /// The pre-tokenizer's name as the file gave it (`llama-bpe`, `smollm`), for byte-level BPE;
    /// nil for tokenizers without a choice of pre-tokenizer.
    var preTokenizerName: String? { get }
}

// MARK: - Additions with defaults (byte-level BPE uses these as they are)

extension Tokenizer {
    /// The ids of `bytes` as a model sees them: with `addSpecialTokens`, the tokens the model's
    /// template adds around a single text (BOS when `addsBOS` for BPE; `[CLS]` … `[SEP]` for BERT).
    public func encode(bytes: [UInt8], parseSpecial: Bool, addSpecialTokens: Bool) -> [Int] {
        let ids = encode(bytes: bytes, parseSpecial: parseSpecial)
        guard addSpecialTokens, addsBOS, let bosID, ids.first != bosID else { return ids }
        return [bosID] + ids
    }

    /// The text one token stands for on its own, for showing token boundaries (a control token's
    /// spelling; a WordPiece continuation without its `##`).
    public func tokenText(_ id: Int) -> String { String(decoding: tokenBytes(id), as: UTF8.self) }

    /// A short name of the tokenizer's algorithm, for display.
    public var algorithmName: String { "byte-level BPE" }

    /// No pre-tokenizer to name (byte-level BPE overrides this).
    public var preTokenizerName: String? { nil }

    /// What kind of tokenizer this is, for display: "byte-level BPE, pre-tokenizer llama-bpe",
    /// "SentencePiece BPE", "WordPiece".
    public var kindDescription: String {
        guard let preTokenizerName else { return algorithmName }
        return "\(algorithmName), pre-tokenizer \(preTokenizerName)"
    }
}

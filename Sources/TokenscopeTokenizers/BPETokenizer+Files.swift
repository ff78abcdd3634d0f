import Foundation

// MARK: - Loading byte-level BPE from HF files

extension BPETokenizer {
    /// Reads a byte-level BPE tokenizer from an HF `tokenizer.json`: `model.type` BPE, `vocab`,
    /// `merges` as `"a b"` strings or `["a", "b"]` pairs, `added_tokens` (special ones become control
    /// tokens, others user-defined; both are matched in text when parsing specials), and a
    /// pre-tokenizer Tokenscope knows (``PreTokenizer/init(tokenizerJSON:path:)``).
    /// A `TemplateProcessing` post-processor that starts with a special token makes that token BOS.
    public convenience init(tokenizerJSON path: String) throws(TokenizerError) {
        try self.init(json: try TokenizerJSON(path: path))
    }

    convenience init(json: TokenizerJSON) throws(TokenizerError) {
        guard let model = json.model, (model["type"] as? String) == "BPE" else {
            throw json.fail("model.type is '\(json.model?["type"] as? String ?? "missing")', not 'BPE'")
        }
        let added = try json.addedTokens()
        let tokens = try json.vocabulary(extraTokens: added.map { ($0.content, $0.id) })
        guard let rawMerges = model["merges"] as? [Any] else { throw json.fail("model.merges is missing or not a list") }
        var merges: [String] = []
        merges.reserveCapacity(rawMerges.count)
        for (n, entry) in rawMerges.enumerated() {
            if let text = entry as? String {
                merges.append(text)
            } else if let pair = entry as? [String], pair.count == 2 {
                merges.append(pair[0] + " " + pair[1])
            } else {
                throw json.fail("model.merges[\(n)] is neither \"a b\" nor [\"a\", \"b\"]")
            }
        }
        var types = [Int](repeating: TokenKind.normal.rawValue, count: tokens.count)
        for token in added { types[token.id] = (token.special ? TokenKind.control : TokenKind.userDefined).rawValue }
        let pre = try PreTokenizer(tokenizerJSON: json.root["pre_tokenizer"] as? [String: Any], path: json.path)
        var bos: Int?
        if let post = json.root["post_processor"] as? [String: Any], (post["type"] as? String) == "TemplateProcessing",
            let first = (post["single"] as? [[String: Any]])?.first, let special = first["SpecialToken"] as? [String: Any],
            let name = special["id"] as? String
        {
            bos = tokens.firstIndex(of: name)
        }
        var ends = Set<Int>()
        for name in ["<|endoftext|>", "<|im_end|>", "<|eot_id|>", "<|end_of_text|>"] {
            if let id = tokens.firstIndex(of: name) { ends.insert(id) }
        }
        do {
            try self.init(
                tokens: tokens, merges: merges, tokenTypes: types, preTokenizer: pre,
                bosID: bos, eosIDs: ends, addsBOS: bos != nil)
        } catch {
            throw json.fail("\(error)")
        }
    }

    /// Reads a byte-level BPE tokenizer from GPT-2's `vocab.json` (token → id) and `merges.txt`
    /// (one `a b` merge per line after an optional `#version` line), with the GPT-2 pre-tokenizer
    /// unless told otherwise. `<|endoftext|>`, when present, is a control token that ends generation.
    public convenience init(vocabularyJSON vocabPath: String, mergesFile mergesPath: String, preTokenizer: PreTokenizer = .gpt2) throws(TokenizerError) {
        guard let data = FileManager.default.contents(atPath: vocabPath) else { throw .invalid("\(vocabPath): cannot read the file") }
        guard let object = try? JSONSerialization.jsonObject(with: data), let vocab = object as? [String: Any] else {
            throw .invalid("\(vocabPath): not a JSON object of token → id")
        }
        let tokens = try TokenizerJSON.denseVocabulary(vocab, extraTokens: [], path: vocabPath)
        guard let mergeData = FileManager.default.contents(atPath: mergesPath) else { throw .invalid("\(mergesPath): cannot read the file") }
        var merges: [String] = []
        for line in String(decoding: mergeData, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
            let text = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if text.hasPrefix("#version") || text.isEmpty { continue }
            merges.append(text)
        }
        var types = [Int](repeating: TokenKind.normal.rawValue, count: tokens.count)
        let endOfText = tokens.firstIndex(of: "<|endoftext|>")
        if let endOfText { types[endOfText] = TokenKind.control.rawValue }
        do {
            try self.init(
                tokens: tokens, merges: merges, tokenTypes: types, preTokenizer: preTokenizer,
                bosID: nil, eosIDs: endOfText.map { [$0] } ?? [], addsBOS: false)
        } catch {
            throw .invalid("\(mergesPath): \(error)")
        }
    }
}

// MARK: - Pre-tokenizers named in tokenizer.json

extension PreTokenizer {
    /// GPT-2's split pattern as it appears in `Split` pre-tokenizers.
    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    /// Llama 3's split pattern.
    static let llama3Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The pre-tokenizer a `tokenizer.json` `pre_tokenizer` describes:
    /// `ByteLevel` (GPT-2 regex); `Sequence[Digits(individual_digits), ByteLevel]` (`smollm`);
    /// `Sequence[Split(GPT-2 or Llama 3 regex, isolated), ByteLevel(use_regex: false)]`.
    /// Anything else is an error that names what was found: no silent fallback.
    public init(tokenizerJSON object: [String: Any]?, path: String) throws(TokenizerError) {
        func describe(_ o: [String: Any]) -> String { o["type"] as? String ?? "?" }
        func fail(_ what: String) -> TokenizerError { .unsupportedPreTokenizer(name: what, file: path) }
        func isByteLevel(_ o: [String: Any], regex: Bool) -> Bool {
            describe(o) == "ByteLevel" && (o["add_prefix_space"] as? Bool ?? false) == false && (o["use_regex"] as? Bool ?? true) == regex
        }
        guard let object else { throw fail("'none'") }
        if isByteLevel(object, regex: true) { self = .gpt2; return }
        guard describe(object) == "Sequence", let parts = object["pretokenizers"] as? [[String: Any]] else {
            throw fail("'\(describe(object))'")
        }
        let names = "Sequence[" + parts.map(describe).joined(separator: ", ") + "]"
        if parts.count == 2, describe(parts[0]) == "Digits", parts[0]["individual_digits"] as? Bool == true, isByteLevel(parts[1], regex: true) {
            self = .smollm
            return
        }
        if parts.count == 2, describe(parts[0]) == "Split", isByteLevel(parts[1], regex: false),
            let pattern = parts[0]["pattern"] as? [String: Any], let regex = pattern["Regex"] as? String,
            (parts[0]["behavior"] as? String) == "Isolated", (parts[0]["invert"] as? Bool ?? false) == false
        {
            if regex == Self.llama3Pattern { self = .llama3; return }
            if regex == Self.gpt2Pattern { self = .gpt2; return }
            throw fail("\(names) with regex \(regex.debugDescription)")
        }
        throw fail(names)
    }
}

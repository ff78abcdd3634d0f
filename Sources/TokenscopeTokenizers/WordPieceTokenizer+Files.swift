import Foundation

// MARK: - Loading WordPiece from HF files

extension WordPieceTokenizer {
    /// Reads a WordPiece tokenizer from an HF `tokenizer.json` (model type `WordPiece`, a
    /// `BertNormalizer`, a `BertPreTokenizer`, a `TemplateProcessing` or `BertProcessing`
    /// post-processor). Truncation and padding settings are ignored: Tokenscope never truncates.
    public convenience init(tokenizerJSON path: String) throws(TokenizerError) {
        try self.init(json: try TokenizerJSON(path: path))
    }

    convenience init(json: TokenizerJSON) throws(TokenizerError) {
        guard let model = json.model, (model["type"] as? String) == "WordPiece" else {
            throw json.fail("model.type is '\(json.model?["type"] as? String ?? "missing")', not 'WordPiece'")
        }
        let added = try json.addedTokens()
        let vocabulary = try json.vocabulary(extraTokens: added.map { ($0.content, $0.id) })
        let normalizer: BertNormalizer
        let normalizerObject = json.root["normalizer"] as? [String: Any]
        switch json.typeName(normalizerObject) {
        case "BertNormalizer":
            let o = normalizerObject ?? [:]
            normalizer = BertNormalizer(
                cleanText: o["clean_text"] as? Bool ?? true, handleChineseCharacters: o["handle_chinese_chars"] as? Bool ?? true,
                stripAccents: o["strip_accents"] as? Bool, lowercase: o["lowercase"] as? Bool ?? true)
        case nil:
            normalizer = BertNormalizer(cleanText: false, handleChineseCharacters: false, stripAccents: false, lowercase: false)
        case let other?:
            throw json.fail("normalizer '\(other)' is not supported for WordPiece (known: BertNormalizer)")
        }
        let preTokenizer = json.typeName(json.root["pre_tokenizer"] as? [String: Any])
        guard preTokenizer == "BertPreTokenizer" else {
            throw json.fail("pre-tokenizer '\(preTokenizer ?? "none")' is not supported for WordPiece (known: BertPreTokenizer)")
        }
        var ids: [String: Int] = [:]
        for (id, token) in vocabulary.enumerated() where ids[token] == nil { ids[token] = id }
        var prefix: [Int] = []
        var suffix: [Int] = []
        if let post = json.root["post_processor"] as? [String: Any] {
            switch post["type"] as? String {
            case "TemplateProcessing":
                guard let single = post["single"] as? [[String: Any]] else { throw json.fail("post_processor.single is missing") }
                let specialMap = post["special_tokens"] as? [String: Any] ?? [:]
                var seenSequence = false
                for piece in single {
                    if piece["Sequence"] != nil { seenSequence = true; continue }
                    guard let special = piece["SpecialToken"] as? [String: Any], let name = special["id"] as? String else {
                        throw json.fail("post_processor.single has an entry that is neither Sequence nor SpecialToken")
                    }
                    let entryIDs = ((specialMap[name] as? [String: Any])?["ids"] as? [NSNumber])?.map(\.intValue)
                    guard let resolved = entryIDs ?? ids[name].map({ [$0] }) else {
                        throw json.fail("post_processor names special token '\(name)', which has no id")
                    }
                    if seenSequence { suffix += resolved } else { prefix += resolved }
                }
            case "BertProcessing":
                guard let cls = post["cls"] as? [Any], let sep = post["sep"] as? [Any],
                    let clsID = (cls.last as? NSNumber)?.intValue, let sepID = (sep.last as? NSNumber)?.intValue
                else { throw json.fail("post_processor BertProcessing lacks cls or sep") }
                prefix = [clsID]
                suffix = [sepID]
            case let other:
                throw json.fail("post-processor '\(other ?? "?")' is not supported for WordPiece (known: TemplateProcessing, BertProcessing)")
            }
        }
        let decoder = json.root["decoder"] as? [String: Any]
        do {
            try self.init(
            vocabulary: vocabulary,
            unknownToken: model["unk_token"] as? String ?? "[UNK]",
            continuationPrefix: model["continuing_subword_prefix"] as? String ?? "##",
            maxInputCharactersPerWord: (model["max_input_chars_per_word"] as? NSNumber)?.intValue ?? 100,
            normalizer: normalizer,
            specialTokens: added.filter(\.special).map(\.id),
            prefixIDs: prefix, suffixIDs: suffix,
            cleansUpDecoding: decoder?["cleanup"] as? Bool ?? true)
        } catch {
            throw json.fail("\(error)")
        }
    }

    /// Reads a WordPiece tokenizer from a BERT `vocab.txt` (one token per line, id = line number),
    /// with BERT's defaults: lower-casing (unless `tokenizer_config.json` next to it says
    /// `"do_lower_case": false`), `[CLS]` … `[SEP]` around the text, and `[PAD]`, `[UNK]`, `[CLS]`,
    /// `[SEP]`, `[MASK]` as special tokens.
    public convenience init(vocabularyFile path: String) throws(TokenizerError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .invalid("\(path): cannot read the file") }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw .invalid("\(path): the vocabulary is empty") }
        var lowercase = true
        let config = (path as NSString).deletingLastPathComponent + "/tokenizer_config.json"
        if let configData = FileManager.default.contents(atPath: config),
            let object = try? JSONSerialization.jsonObject(with: configData) as? [String: Any],
            let flag = object["do_lower_case"] as? Bool
        {
            lowercase = flag
        }
        var ids: [String: Int] = [:]
        for (id, token) in lines.enumerated() where ids[token] == nil { ids[token] = id }
        guard let cls = ids["[CLS]"], let sep = ids["[SEP]"] else {
            throw .invalid("\(path): the vocabulary lacks [CLS] or [SEP]")
        }
        let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].compactMap { ids[$0] }
        do {
            try self.init(
                vocabulary: lines, normalizer: BertNormalizer(lowercase: lowercase),
                specialTokens: specials, prefixIDs: [cls], suffixIDs: [sep])
        } catch {
            throw .invalid("\(path): \(error)")
        }
    }
}

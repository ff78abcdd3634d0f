import TokenscopeFormats

// MARK: - Any tokenizer from GGUF metadata

/// The tokenizer a GGUF file describes, chosen by `tokenizer.ggml.model` as llama.cpp chooses it:
/// `gpt2` is byte-level BPE (with the pre-tokenizer `tokenizer.ggml.pre` names), `llama` is
/// SentencePiece BPE with byte fallback, `bert` is WordPiece. Other kinds llama.cpp knows are
/// errors that name the kind and the supported ones; malformed metadata is an error naming the
/// file and the key, never a trap.
public enum GGUFTokenizer {
    /// The `tokenizer.ggml.model` values Tokenscope reads, with what each is.
    public static let supportedKinds: [(name: String, description: String)] = [
        ("gpt2", "byte-level BPE"), ("llama", "SentencePiece BPE"), ("bert", "WordPiece"),
    ]

    /// Kinds llama.cpp knows that Tokenscope does not read, with what they are.
    public static let unsupportedKinds: [String: String] = [
        "t5": "Unigram (SentencePiece UGM, T5)", "rwkv": "RWKV's greedy trie tokenizer",
        "plamo2": "PLaMo-2's Aho–Corasick tokenizer", "gemma4": "BPE on raw UTF-8 (Gemma 4)",
        "none": "no vocabulary", "no_vocab": "no vocabulary", "hybriddna": "a DNA tokenizer",
        "whitespace": "whitespace-split BPE",
    ]

    /// The tokenizer in `file`'s metadata.
    public static func load(_ file: GGUFFile) throws(TokenizerError) -> any Tokenizer {
        let kind: String
        do { kind = try file.metadata.string("tokenizer.ggml.model") } catch { throw .file(error) }
        switch kind {
        case "gpt2": return try BPETokenizer(gguf: file)
        case "llama": return try SentencePieceTokenizer(gguf: file)
        case "bert": return try WordPieceTokenizer(gguf: file)
        default:
            let supported = supportedKinds.map { "\($0.name) (\($0.description))" }.joined(separator: ", ")
            let what = unsupportedKinds[kind].map { ", \($0)," } ?? ""
            throw .file(ModelFileError(
                file: file.path, key: "tokenizer.ggml.model",
                reason: "tokenizer kind '\(kind)'\(what) is not supported (supported: \(supported))"))
        }
    }

    // MARK: Checked metadata

    /// Reads the vocabulary arrays every kind shares, checking that the per-token arrays have one
    /// entry per token and that the special token ids are inside the vocabulary.
    struct Vocabulary {
        /// The spellings in place in the file (a `String` each only when `tokens` is asked for).
        let spellings: GGUFStringArray
        let types: [Int]  // empty when absent
        let scores: [Float]  // empty when absent

        /// Every spelling as a `String`, in id order.
        var tokens: [String] { Array(spellings) }

        init(_ file: GGUFFile, needsScores: Bool = false) throws(ModelFileError) {
            let m = file.metadata
            spellings = try m.stringArray("tokenizer.ggml.tokens")
            let tokens = spellings
            guard !tokens.isEmpty else {
                throw ModelFileError(file: file.path, key: "tokenizer.ggml.tokens", reason: "the vocabulary is empty")
            }
            types = try m.intsIfPresent("tokenizer.ggml.token_type") ?? []
            if !types.isEmpty && types.count != tokens.count {
                throw ModelFileError(
                    file: file.path, key: "tokenizer.ggml.token_type",
                    reason: "\(types.count) entries for \(tokens.count) tokens (tokenizer.ggml.tokens)")
            }
            if m["tokenizer.ggml.scores"] != nil || needsScores {
                scores = try m.floats("tokenizer.ggml.scores")
                guard scores.count == tokens.count else {
                    throw ModelFileError(
                        file: file.path, key: "tokenizer.ggml.scores",
                        reason: "\(scores.count) entries for \(tokens.count) tokens (tokenizer.ggml.tokens)")
                }
                if let bad = scores.firstIndex(where: { !$0.isFinite }) {
                    throw ModelFileError(file: file.path, key: "tokenizer.ggml.scores", reason: "score \(bad) is \(scores[bad])")
                }
            } else {
                scores = []
            }
        }

        /// The token id stored under `key`, or `fallback` when absent; ids outside the vocabulary
        /// are errors (a negative id, as some converters write for "none", means none).
        func id(_ file: GGUFFile, _ key: String, default fallback: Int?) throws(ModelFileError) -> Int? {
            guard let value = try file.metadata.intIfPresent(key) else {
                return fallback.flatMap { $0 < spellings.count ? $0 : nil }
            }
            if value < 0 || value == 0xFFFF_FFFF { return nil }
            guard value < spellings.count else {
                throw ModelFileError(file: file.path, key: key, reason: "token id \(value) is outside the vocabulary (\(spellings.count) tokens)")
            }
            return value
        }
    }
}

// MARK: - SentencePiece from GGUF

extension SentencePieceTokenizer {
    /// Reads SentencePiece BPE from GGUF metadata: `tokens`, `scores`, `token_type`, the BOS, EOS
    /// and unknown ids (llama.cpp's defaults 1, 2, 0 when absent), `add_bos_token` (default true),
    /// `add_eos_token` (default false) and `add_space_prefix` (default true).
    public convenience init(gguf file: GGUFFile) throws(TokenizerError) {
        let m = file.metadata
        do {
            let vocabulary = try GGUFTokenizer.Vocabulary(file)
            let bos = try vocabulary.id(file, "tokenizer.ggml.bos_token_id", default: 1)
            let eos = try vocabulary.id(file, "tokenizer.ggml.eos_token_id", default: 2)
            let unknown = try vocabulary.id(file, "tokenizer.ggml.unknown_token_id", default: 0)
            let eot = try vocabulary.id(file, "tokenizer.ggml.eot_token_id", default: nil)
            let addsBOS = try m.boolIfPresent("tokenizer.ggml.add_bos_token") ?? true
            let addsEOS = try m.boolIfPresent("tokenizer.ggml.add_eos_token") ?? false
            let prefix = try m.boolIfPresent("tokenizer.ggml.add_space_prefix") ?? true
            var ends = Set<Int>()
            if let eos { ends.insert(eos) }
            if let eot { ends.insert(eot) }
            // Gemma's turn end ends generation too.
            let tokens = vocabulary.tokens
            if let turn = tokens.firstIndex(of: "<end_of_turn>") { ends.insert(turn) }
            try self.init(
                tokens: tokens, scores: vocabulary.scores, tokenTypes: vocabulary.types, addsSpacePrefix: prefix,
                bosID: bos, eosIDs: ends, addsBOS: addsBOS && bos != nil, appendedEOS: addsEOS ? eos : nil, unknownID: unknown)
        } catch let error as ModelFileError {
            throw .file(error)
        } catch let error as TokenizerError {
            throw error.located(file.path)
        } catch {
            throw .invalid("\(file.path): \(error)")
        }
    }
}

// MARK: - WordPiece from GGUF

extension WordPieceTokenizer {
    /// Reads BERT's WordPiece from GGUF metadata. llama.cpp's converter marks word starts with `▁`
    /// and drops the `##` of continuations (`[…]` tokens stay as they are); this undoes that, so the
    /// HF-exact WordPiece runs on it, lower-casing and stripping accents as uncased BERT does. With
    /// special tokens, `[CLS]` (`cls_token_id`, else BOS) goes before and `[SEP]`
    /// (`seperator_token_id`, else EOS) after.
    public convenience init(gguf file: GGUFFile) throws(TokenizerError) {
        do {
            let vocabulary = try GGUFTokenizer.Vocabulary(file)
            let mark = "\u{2581}"
            var words: [String] = []
            words.reserveCapacity(vocabulary.spellings.count)
            for (id, token) in vocabulary.spellings.enumerated() {
                let type = vocabulary.types.isEmpty ? TokenKind.normal.rawValue : vocabulary.types[id]
                if token.hasPrefix(mark) {
                    words.append(String(token.dropFirst()))
                } else if type == TokenKind.control.rawValue || type == TokenKind.unknown.rawValue || (token.hasPrefix("[") && token.hasSuffix("]")) {
                    words.append(token)
                } else {
                    words.append("##" + token)
                }
            }
            let unknown = try vocabulary.id(file, "tokenizer.ggml.unknown_token_id", default: words.firstIndex(of: "[UNK]"))
            guard let unknown else {
                throw ModelFileError(file: file.path, key: "tokenizer.ggml.unknown_token_id", reason: "WordPiece needs an unknown token and there is none")
            }
            let cls = try vocabulary.id(file, "tokenizer.ggml.cls_token_id", default: nil) ?? vocabulary.id(file, "tokenizer.ggml.bos_token_id", default: nil)
            let sep = try vocabulary.id(file, "tokenizer.ggml.seperator_token_id", default: nil) ?? vocabulary.id(file, "tokenizer.ggml.eos_token_id", default: nil)
            var specials: [Int] = []
            for (id, type) in vocabulary.types.enumerated() where type == TokenKind.control.rawValue || type == TokenKind.unknown.rawValue {
                specials.append(id)
            }
            try self.init(
                vocabulary: words, unknownToken: words[unknown], specialTokens: specials,
                prefixIDs: cls.map { [$0] } ?? [], suffixIDs: sep.map { [$0] } ?? [])
        } catch let error as ModelFileError {
            throw .file(error)
        } catch let error as TokenizerError {
            throw error.located(file.path)
        } catch {
            throw .invalid("\(file.path): \(error)")
        }
    }
}

// MARK: - Errors with the file

extension TokenizerError {
    /// The error with `file` named in it (for errors raised below the file level).
    func located(_ file: String) -> TokenizerError {
        switch self {
        case .invalid(let reason) where !reason.hasPrefix(file): .invalid("\(file): \(reason)")
        default: self
        }
    }
}

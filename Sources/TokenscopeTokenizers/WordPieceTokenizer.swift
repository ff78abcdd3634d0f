import Foundation

// MARK: - WordPiece (BERT family)

/// WordPiece as BERT uses it (all-MiniLM-L6-v2): the text is normalised and split into words by
/// ``BertNormalizer``, then each word becomes the longest vocabulary entry that starts it, followed
/// by the longest `##` continuations, greedily, left to right. A word longer than
/// `maxInputCharactersPerWord` scalars, or one that cannot be spelled, becomes `[UNK]` as a whole.
/// By default the post-processor adds `[CLS]` before and `[SEP]` after the text.
///
/// Matches HF `tokenizers` (`BertNormalizer` + `BertPreTokenizer` + `WordPiece` +
/// `TemplateProcessing`, and the `WordPiece` decoder with clean-up).
///
/// Invalid UTF-8 (``encode(bytes:parseSpecial:)``): each invalid sequence becomes U+FFFD, as
/// `String(decoding:as:)` does, and the normaliser's clean-up removes every U+FFFD, so invalid bytes
/// are dropped: `ab\xFFcd` encodes like `abcd`.
public final class WordPieceTokenizer: Tokenizer, @unchecked Sendable {
    let tokens: [String]  // (vocabulary)
    let tokenIDs: [String: Int]
    let words: ByteVocabulary  // entries that may start a word
    let continuations: ByteVocabulary  // entries after `##`, prefix removed
    let specialSet: [Bool]  // (vocabulary): added special tokens
    let specials: [(bytes: [UInt8], id: Int)]  // longest first: spellings matched in raw text
    /// The normaliser and word splitter in use.
    public let normalizer: BertNormalizer
    /// The continuation prefix (`##`).
    public let continuationPrefix: String
    /// Words longer than this (in Unicode scalars, after normalising) become `[UNK]`.
    public let maxInputCharactersPerWord: Int
    /// The unknown token.
    public let unknownID: Int
    /// Tokens the post-processor puts before and after a single text (`[CLS]`, `[SEP]`).
    public let prefixIDs: [Int]
    public let suffixIDs: [Int]
    /// Whether decoding applies the WordPiece decoder's clean-up (` .` → `.`, ` n't` → `n't`, …).
    public let cleansUpDecoding: Bool

    /// Builds a tokenizer from a vocabulary in id order.
    /// - Parameters:
    ///   - specialTokens: ids of added special tokens (matched in raw text, skipped when decoding).
    ///   - prefixIDs, suffixIDs: what the post-processor adds around a single text.
    public init(
        vocabulary: [String], unknownToken: String = "[UNK]", continuationPrefix: String = "##",
        maxInputCharactersPerWord: Int = 100, normalizer: BertNormalizer = BertNormalizer(),
        specialTokens: [Int], prefixIDs: [Int], suffixIDs: [Int], cleansUpDecoding: Bool = true
    ) throws(TokenizerError) {
        guard !vocabulary.isEmpty else { throw .invalid("the vocabulary is empty") }
        var ids: [String: Int] = [:]
        ids.reserveCapacity(vocabulary.count)
        for (id, token) in vocabulary.enumerated() where ids[token] == nil { ids[token] = id }
        guard let unknown = ids[unknownToken] else {
            throw .invalid("the unknown token '\(unknownToken)' is not in the vocabulary")
        }
        let count = vocabulary.count
        for id in specialTokens + prefixIDs + suffixIDs where id < 0 || id >= count {
            throw .invalid("special token id \(id) is outside the vocabulary (\(count) entries)")
        }
        self.tokens = vocabulary
        self.tokenIDs = ids
        self.unknownID = unknown
        self.continuationPrefix = continuationPrefix
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
        self.normalizer = normalizer
        self.prefixIDs = prefixIDs
        self.suffixIDs = suffixIDs
        self.cleansUpDecoding = cleansUpDecoding
        var isSpecial = [Bool](repeating: false, count: count)
        for id in specialTokens { isSpecial[id] = true }
        self.specialSet = isSpecial
        self.specials = Set(specialTokens).map { (Array(vocabulary[$0].utf8), $0) }
            .filter { !$0.0.isEmpty }
            .sorted { $0.0.count != $1.0.count ? $0.0.count > $1.0.count : $0.1 < $1.1 }
        let prefix = Array(continuationPrefix.utf8)
        var starts: [(key: [UInt8], id: Int)] = []
        var nexts: [(key: [UInt8], id: Int)] = []
        starts.reserveCapacity(count)
        for (id, token) in vocabulary.enumerated() {
            let bytes = Array(token.utf8)
            if !prefix.isEmpty, bytes.count > prefix.count, bytes.starts(with: prefix) {
                nexts.append((Array(bytes[prefix.count...]), id))
            }
            starts.append((bytes, id))
        }
        self.words = ByteVocabulary(starts)
        self.continuations = ByteVocabulary(nexts)
    }

    // MARK: Vocabulary

    public var vocabularySize: Int { tokens.count }
    public var algorithmName: String { "WordPiece" }
    public var bosID: Int? { prefixIDs.first }
    public var eosIDs: Set<Int> { Set(suffixIDs) }
    public var addsBOS: Bool { !prefixIDs.isEmpty }

    public func tokenString(_ id: Int) -> String { id >= 0 && id < tokens.count ? tokens[id] : "" }

    public func id(forToken token: String) -> Int? { tokenIDs[token] }

    public func kind(of id: Int) -> TokenKind {
        guard id >= 0 && id < tokens.count else { return .unknown }
        if id == unknownID { return .unknown }
        return specialSet[id] ? .control : .normal
    }

    /// The token's text: a continuation without its `##`, anything else as spelled.
    public func tokenBytes(_ id: Int) -> [UInt8] {
        guard id >= 0 && id < tokens.count else { return [] }
        let token = tokens[id]
        if !specialSet[id], token.count > continuationPrefix.count, token.hasPrefix(continuationPrefix) {
            return Array(token.utf8.dropFirst(continuationPrefix.utf8.count))
        }
        return Array(token.utf8)
    }

    /// Every added special token id.
    public var specialIDs: [Int] { specials.map(\.id) }

    // MARK: Encoding

    /// The ids of `text` with `[CLS]` … `[SEP]` (as HF `encode(text)` gives them).
    public func encode(_ text: String, parseSpecial: Bool) -> [Int] {
        encode(bytes: Array(text.utf8), parseSpecial: parseSpecial, addSpecialTokens: true)
    }

    /// The ids of `bytes` with `[CLS]` … `[SEP]`; invalid UTF-8 is dropped (see the type's comment).
    public func encode(bytes: [UInt8], parseSpecial: Bool) -> [Int] {
        encode(bytes: bytes, parseSpecial: parseSpecial, addSpecialTokens: true)
    }

    /// The ids of `bytes`; `addSpecialTokens` adds the post-processor's `[CLS]` and `[SEP]`.
    public func encode(bytes: [UInt8], parseSpecial: Bool, addSpecialTokens: Bool) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(bytes.count / 4 + 2)
        if addSpecialTokens { out.append(contentsOf: prefixIDs) }
        bytes.withUnsafeBufferPointer { all in
            var textStart = 0
            var i = 0
            let n = all.count
            if parseSpecial && !specials.isEmpty {
                while i < n {
                    if let (id, length) = special(at: i, in: all) {
                        if textStart < i { encodeText(UnsafeBufferPointer(rebasing: all[textStart..<i]), into: &out) }
                        out.append(id)
                        i += length
                        textStart = i
                    } else {
                        i += 1
                    }
                }
            }
            if textStart < n { encodeText(UnsafeBufferPointer(rebasing: all[textStart..<n]), into: &out) }
        }
        if addSpecialTokens { out.append(contentsOf: suffixIDs) }
        return out
    }

    /// The special token spelled at byte `i`, longest first.
    private func special(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        let first = bytes[i]
        for special in specials where special.bytes[0] == first && special.bytes.count <= bytes.count - i {
            var equal = true
            for k in 1..<special.bytes.count where bytes[i + k] != special.bytes[k] { equal = false; break }
            if equal { return (special.id, special.bytes.count) }
        }
        return nil
    }

    /// The words of `text` after normalising and splitting, as strings (for display and tests).
    public func preTokens(_ text: String) -> [String] {
        var out: [String] = []
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            forEachWord(buffer) { word, _ in out.append(String(decoding: word, as: UTF8.self)) }
        }
        return out
    }

    private func encodeText(_ text: UnsafeBufferPointer<UInt8>, into out: inout [Int]) {
        // Words repeat: short ones are split once per call and replayed from the cache.
        var cache: [[UInt8]: [Int32]] = [:]
        forEachWord(text) { word, scalars in
            guard word.count <= 32 else { wordPiece(word, scalars: scalars, into: &out); return }
            let key = Array(word)
            if let cached = cache[key] {
                for id in cached { out.append(Int(id)) }
                return
            }
            let mark = out.count
            wordPiece(word, scalars: scalars, into: &out)
            cache[key] = out[mark...].map { Int32($0) }
        }
    }

    // MARK: Normalising and splitting

    /// Calls `body` with each word (normalised UTF-8) and its length in scalars.
    func forEachWord(_ text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        var word: [UInt8] = []
        word.reserveCapacity(64)
        var scalars = 0
        let normalizer = self.normalizer
        func flush() {
            if !word.isEmpty { word.withUnsafeBufferPointer { body($0, scalars) } }
            word.removeAll(keepingCapacity: true)
            scalars = 0
        }
        // One normalised scalar into the splitter.
        func take(_ s: Unicode.Scalar) {
            let v = s.value
            if v < 0x80 {
                if v == 32 || (v >= 9 && v <= 13) { flush(); return }
                if BertNormalizer.isASCIIPunctuation[Int(v)] {
                    flush()
                    word.append(UInt8(v))
                    scalars = 1
                    flush()
                    return
                }
                word.append(UInt8(v))
                scalars += 1
                return
            }
            if BertNormalizer.isWhitespace(s) { flush(); return }
            if BertNormalizer.isPunctuation(s, exceptions: normalizer.appliesReferenceExceptions) {
                flush()
                word.append(contentsOf: String(s).utf8)
                scalars = 1
                flush()
                return
            }
            if v < 0x800 {
                word.append(UInt8(0xC0 | v >> 6))
            } else if v < 0x1_0000 {
                word.append(UInt8(0xE0 | v >> 12))
                word.append(UInt8(0x80 | (v >> 6) & 0x3F))
            } else {
                word.append(UInt8(0xF0 | v >> 18))
                word.append(UInt8(0x80 | (v >> 12) & 0x3F))
                word.append(UInt8(0x80 | (v >> 6) & 0x3F))
            }
            word.append(UInt8(0x80 | v & 0x3F))
            scalars += 1
        }
        var i = 0
        let n = text.count
        while i < n {
            let b = text[i]
            if b < 0x80 {
                // ASCII fast path: the normaliser's work inline.
                i += 1
                if b >= 97 && b <= 122 || b >= 48 && b <= 57 { word.append(b); scalars += 1; continue }
                if b >= 65 && b <= 90 { word.append(normalizer.lowercase ? b + 32 : b); scalars += 1; continue }
                normalizer.normalize(Unicode.Scalar(b), take)
                continue
            }
            // A run of non-ASCII bytes, decoded as String(decoding:as:) does.
            var j = i
            while j < n && text[j] >= 0x80 { j += 1 }
            for s in String(decoding: UnsafeBufferPointer(rebasing: text[i..<j]), as: UTF8.self).unicodeScalars {
                normalizer.normalize(s, take)
            }
            i = j
        }
        flush()
    }

    // MARK: WordPiece core

    /// Greedy longest-match-first over one word; `[UNK]` for the whole word when a piece is missing.
    @inline(__always)
    func wordPiece(_ word: UnsafeBufferPointer<UInt8>, scalars: Int, into out: inout [Int]) {
        if scalars > maxInputCharactersPerWord { out.append(unknownID); return }
        let n = word.count
        let mark = out.count
        var start = 0
        while start < n {
            let table = start == 0 ? words : continuations
            var end = min(n, start + table.longestKey)
            while end < n && end > start && word[end] & 0xC0 == 0x80 { end -= 1 }  // back to a scalar boundary
            var found: Int?
            while end > start {
                if let id = table.id(of: UnsafeBufferPointer(rebasing: word[start..<end])) { found = id; break }
                end -= 1
                while end > start && word[end] & 0xC0 == 0x80 { end -= 1 }
            }
            guard let id = found else {
                out.removeSubrange(mark...)
                out.append(unknownID)
                return
            }
            out.append(id)
            start = end
        }
    }

    // MARK: Decoding

    /// The text of `ids` as HF `decode(ids)` gives it: special tokens (including `[UNK]`) skipped,
    /// continuations joined without `##`, other tokens after a space, then the clean-up.
    public func decode(_ ids: [Int]) -> String { decode(ids, skipSpecialTokens: true) }

    /// The text of `ids`, optionally keeping special tokens.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
        var out = ""
        var first = true
        for id in ids where id >= 0 && id < tokens.count {
            if skipSpecialTokens && specialSet[id] { continue }
            var piece = tokens[id]
            if !first {
                if piece.hasPrefix(continuationPrefix) {
                    piece.removeFirst(continuationPrefix.count)
                } else {
                    piece = " " + piece
                }
            }
            first = false
            out += cleansUpDecoding ? Self.cleanUp(piece) : piece
        }
        return out
    }

    /// The WordPiece decoder's clean-up of one piece, in the reference's order.
    static func cleanUp(_ piece: String) -> String {
        guard piece.utf8.contains(32) else { return piece }
        var s = piece
        for (from, to) in [
            (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
            (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
        ] {
            s = s.replacingOccurrences(of: from, with: to)
        }
        return s
    }
}

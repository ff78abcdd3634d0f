// MARK: - SentencePiece (BPE by scores, byte fallback)

/// SentencePiece's BPE as llama.cpp runs it for `tokenizer.ggml.model = llama` (Llama 1/2,
/// Mistral, Phi-3, Gemma): spaces become `▁` (and, when the model says so, one is put before the
/// text and after every special token), the text starts as one symbol per UTF-8 character, and the
/// adjacent pair whose concatenation is the highest-scoring vocabulary entry merges first (leftmost
/// on ties) until no pair is in the vocabulary. A final symbol that is not an entry (a character
/// the vocabulary lacks) becomes its bytes' `<0xNN>` tokens.
///
/// User-defined tokens (Gemma's runs of spaces and newlines, HTML tags) are split out of the text
/// first, even when special tokens are not parsed; control and unknown tokens only when they are.
public final class SentencePieceTokenizer: Tokenizer, @unchecked Sendable {
    let tokens: [String]  // (vocabulary)
    let tokenIDs: [String: Int]
    let idsByBytes: [[UInt8]: Int]  // UTF-8 spelling → id (the last of duplicates, as llama.cpp)
    let scores: [Float]  // (vocabulary)
    let kinds: [TokenKind]  // (vocabulary)
    let byteTokens: [Int]  // (256): id of `<0xNN>` (or of the byte's one-character entry), -1 if none
    let tokenByteCache: [[UInt8]]  // (vocabulary)
    let specials: [(bytes: [UInt8], id: Int)]  // control, user-defined, unknown; longest first
    /// Whether a space goes before the text and after each special token (`add_space_prefix`).
    public let addsSpacePrefix: Bool
    public let bosID: Int?
    public let eosIDs: Set<Int>
    public let addsBOS: Bool
    /// The end-of-sequence token appended with special tokens, when the model asks (`add_eos_token`).
    public let appendedEOS: Int?
    /// The unknown token, if any.
    public let unknownID: Int?

    /// Builds a tokenizer from the vocabulary in id order with its scores and GGUF token types
    /// (empty: all normal). `appendedEOS` is added after the text with special tokens.
    public init(
        tokens: [String], scores: [Float], tokenTypes: [Int], addsSpacePrefix: Bool,
        bosID: Int?, eosIDs: Set<Int>, addsBOS: Bool, appendedEOS: Int?, unknownID: Int?
    ) throws(TokenizerError) {
        guard !tokens.isEmpty else { throw .invalid("the vocabulary is empty") }
        guard scores.isEmpty || scores.count == tokens.count else {
            throw .invalid("scores has \(scores.count) entries for \(tokens.count) tokens")
        }
        guard tokenTypes.isEmpty || tokenTypes.count == tokens.count else {
            throw .invalid("token_type has \(tokenTypes.count) entries for \(tokens.count) tokens")
        }
        self.tokens = tokens
        self.scores = scores.isEmpty ? [Float](repeating: 0, count: tokens.count) : scores
        let kinds = tokenTypes.isEmpty ? [TokenKind](repeating: .normal, count: tokens.count) : tokenTypes.map { TokenKind(rawValue: $0) ?? .normal }
        self.kinds = kinds
        var ids: [String: Int] = [:]
        var byBytes: [[UInt8]: Int] = [:]
        ids.reserveCapacity(tokens.count)
        byBytes.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() {
            if ids[token] == nil { ids[token] = id }
            byBytes[Array(token.utf8)] = id
        }
        self.tokenIDs = ids
        self.idsByBytes = byBytes

        let hex = Array("0123456789ABCDEF")
        var byteTokens = [Int](repeating: -1, count: 256)
        for byte in 0..<256 {
            let name = "<0x\(hex[byte >> 4])\(hex[byte & 15])>"
            if let id = byBytes[Array(name.utf8)] {
                byteTokens[byte] = id
            } else if let id = byBytes[[UInt8(byte)]] {
                byteTokens[byte] = id
            }
        }
        self.byteTokens = byteTokens

        var cache: [[UInt8]] = []
        cache.reserveCapacity(tokens.count)
        var specials: [(bytes: [UInt8], id: Int)] = []
        for (id, token) in tokens.enumerated() {
            switch kinds[id] {
            case .byte:
                if let byte = Self.byteValue(token) { cache.append([byte]) } else { cache.append(Array(token.utf8)) }
            case .control, .unknown:
                cache.append(Array(token.utf8))
                if !token.isEmpty { specials.append((Array(token.utf8), id)) }
            case .userDefined:
                cache.append(Self.unescape(token))
                if !token.isEmpty { specials.append((Array(token.utf8), id)) }
            default:
                cache.append(Self.unescape(token))
            }
        }
        self.tokenByteCache = cache
        self.specials = specials.sorted { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }
        self.addsSpacePrefix = addsSpacePrefix
        self.bosID = bosID
        self.eosIDs = eosIDs
        self.addsBOS = addsBOS
        self.appendedEOS = appendedEOS
        self.unknownID = unknownID
    }

    /// `<0xNN>` → NN.
    static func byteValue(_ token: String) -> UInt8? {
        let bytes = Array(token.utf8)
        guard bytes.count == 6, bytes[0] == 0x3C, bytes[1] == 0x30, bytes[2] == 0x78, bytes[5] == 0x3E else { return nil }
        return UInt8(String(decoding: bytes[3..<5], as: UTF8.self), radix: 16)
    }

    static let spaceMark: [UInt8] = [0xE2, 0x96, 0x81]  // ▁

    /// A vocabulary string's bytes with `▁` read as a space.
    static func unescape(_ token: String) -> [UInt8] {
        let bytes = Array(token.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + 2 < bytes.count, bytes[i] == 0xE2, bytes[i + 1] == 0x96, bytes[i + 2] == 0x81 {
                out.append(0x20)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    // MARK: Vocabulary

    public var vocabularySize: Int { tokens.count }
    public var algorithmName: String { "SentencePiece BPE" }

    public func tokenString(_ id: Int) -> String { id >= 0 && id < tokens.count ? tokens[id] : "" }

    public func id(forToken token: String) -> Int? { tokenIDs[token] }

    public func kind(of id: Int) -> TokenKind { id >= 0 && id < kinds.count ? kinds[id] : .unknown }

    public func tokenBytes(_ id: Int) -> [UInt8] { id >= 0 && id < tokenByteCache.count ? tokenByteCache[id] : [] }

    /// The score of `id` (higher merges first).
    public func score(of id: Int) -> Float { id >= 0 && id < scores.count ? scores[id] : 0 }

    // MARK: Encoding

    public func encode(_ text: String, parseSpecial: Bool) -> [Int] {
        encode(bytes: Array(text.utf8), parseSpecial: parseSpecial)
    }

    public func encode(bytes: [UInt8], parseSpecial: Bool, addSpecialTokens: Bool) -> [Int] {
        var ids: [Int] = []
        if addSpecialTokens, addsBOS, let bosID { ids.append(bosID) }
        ids += encode(bytes: bytes, parseSpecial: parseSpecial)
        if addSpecialTokens, let appendedEOS { ids.append(appendedEOS) }
        return ids
    }

    public func encode(bytes: [UInt8], parseSpecial: Bool) -> [Int] {
        var out: [Int] = []
        var previousWasSpecial = true  // the text's start counts as after a special token
        for segment in segments(bytes, parseSpecial: parseSpecial) {
            switch segment {
            case .special(let id):
                out.append(id)
                previousWasSpecial = true
            case .text(let range):
                var text: [UInt8] = []
                text.reserveCapacity(range.count + 8)
                if addsSpacePrefix && previousWasSpecial { text += Self.spaceMark }
                for byte in bytes[range] {
                    if byte == 0x20 { text += Self.spaceMark } else { text.append(byte) }
                }
                merge(text, into: &out)
                previousWasSpecial = false
            }
        }
        return out
    }

    enum Segment { case text(Range<Int>), special(Int) }

    /// Splits out special-token spellings: user-defined ones always, control and unknown ones
    /// when parsing special tokens; the longest spelling wins at each position.
    func segments(_ bytes: [UInt8], parseSpecial: Bool) -> [Segment] {
        var out: [Segment] = []
        var textStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            var matched: (id: Int, length: Int)?
            for special in specials where special.bytes.count <= n - i && special.bytes[0] == bytes[i] {
                if !parseSpecial && kinds[special.id] != .userDefined { continue }
                var equal = true
                for k in 1..<max(special.bytes.count, 1) where bytes[i + k] != special.bytes[k] {
                    equal = false
                    break
                }
                if equal {
                    matched = (special.id, special.bytes.count)
                    break
                }
            }
            if let matched {
                if textStart < i { out.append(.text(textStart..<i)) }
                out.append(.special(matched.id))
                i += matched.length
                textStart = i
            } else {
                i += 1
            }
        }
        if textStart < n { out.append(.text(textStart..<n)) }
        return out
    }

    // MARK: Merging by score

    /// One symbol of the text: a byte range, linked to its alive neighbours.
    struct Symbol {
        var start: Int
        var length: Int  // 0 once merged into its left neighbour
        var previous: Int
        var next: Int
    }

    /// Merges the escaped `text` (spaces already `▁`) and appends its tokens.
    func merge(_ text: [UInt8], into out: inout [Int]) {
        var symbols: [Symbol] = []
        symbols.reserveCapacity(text.count)
        var offset = 0
        while offset < text.count {
            let length = min(Self.utf8Length(text[offset]), text.count - offset)
            symbols.append(Symbol(start: offset, length: length, previous: symbols.count - 1, next: offset + length == text.count ? -1 : symbols.count + 1))
            offset += length
        }
        if symbols.isEmpty { return }
        var heap = ScoreHeap()
        func tryPair(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0 else { return }
            let start = symbols[left].start
            let size = symbols[left].length + symbols[right].length
            guard let id = idsByBytes[Array(text[start..<(start + size)])] else { return }
            heap.push(ScoredPair(score: scores[id], left: Int32(left), right: Int32(right), size: Int32(size)))
        }
        for i in 1..<symbols.count { tryPair(i - 1, i) }
        while let pair = heap.pop() {
            let left = Int(pair.left), right = Int(pair.right)
            guard symbols[left].length > 0, symbols[right].length > 0, symbols[left].length + symbols[right].length == Int(pair.size) else { continue }
            symbols[left].length += symbols[right].length
            symbols[right].length = 0
            symbols[left].next = symbols[right].next
            if symbols[right].next >= 0 { symbols[symbols[right].next].previous = left }
            tryPair(symbols[left].previous, left)
            tryPair(left, symbols[left].next)
        }
        var i = 0
        while i != -1 {
            let symbol = symbols[i]
            let piece = Array(text[symbol.start..<(symbol.start + symbol.length)])
            if let id = idsByBytes[piece] {
                out.append(id)
            } else {
                for byte in piece {
                    let id = byteTokens[Int(byte)]
                    if id >= 0 { out.append(id) } else if let unknownID { out.append(unknownID) }
                }
            }
            i = symbol.next
        }
    }

    /// The length of a UTF-8 sequence from its first byte (1 for continuation and invalid bytes).
    @inline(__always)
    static func utf8Length(_ byte: UInt8) -> Int {
        switch byte >> 4 {
        case 0xC, 0xD: 2
        case 0xE: 3
        case 0xF: 4
        default: 1
        }
    }

    // MARK: Decoding

    /// The text of `ids`: the tokens' bytes joined (byte tokens as their bytes), then `▁` read as
    /// a space (also when byte tokens spelled it), and the space the tokenizer put before the text
    /// removed.
    public func decode(_ ids: [Int]) -> String {
        var raw: [UInt8] = []
        for id in ids {
            guard id >= 0, id < tokens.count else { continue }
            if kinds[id] == .byte || kinds[id] == .control || kinds[id] == .unknown {
                raw += tokenByteCache[id]
            } else {
                raw += Array(tokens[id].utf8)
            }
        }
        var bytes = Self.unescape(String(decoding: raw, as: UTF8.self))
        if addsSpacePrefix, bytes.first == 0x20, let first = ids.first, kind(of: first) != .control { bytes.removeFirst() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

// MARK: - The merge queue

/// A candidate merge: higher score first, then the leftmost.
struct ScoredPair: HeapOrdered {
    let score: Float
    let left: Int32
    let right: Int32
    let size: Int32

    @inline(__always)
    func precedes(_ other: ScoredPair) -> Bool {
        score != other.score ? score > other.score : left < other.left
    }
}

/// A heap of candidate merges, the highest score first.
typealias ScoreHeap = BinaryHeap<ScoredPair>

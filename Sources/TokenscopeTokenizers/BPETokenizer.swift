import Foundation
import TokenscopeFormats

// MARK: - Byte-level BPE

/// One merge applied while encoding a pre-token: the pair, its rank and the parts afterwards.
public struct MergeStep: Sendable, Equatable {
    /// Rank of the merge (0 = learned first, applied first).
    public let rank: Int
    /// The left and right parts merged, as vocabulary strings.
    public let pair: (String, String)
    /// The token the merge produced.
    public let result: Int
    /// The parts of the pre-token after this merge, as token ids.
    public let parts: [Int]

    public static func == (a: MergeStep, b: MergeStep) -> Bool {
        a.rank == b.rank && a.pair == b.pair && a.result == b.result && a.parts == b.parts
    }
}

/// A token with the bytes of the input it covers.
public struct TokenSpan: Sendable, Equatable {
    /// Vocabulary id.
    public let id: Int
    /// Byte range in the encoded input.
    public let range: Range<Int>
}

/// Byte-level BPE as in GPT-2, SmolLM2, Llama 3 and Qwen 2: bytes spelled in GPT-2's printable
/// alphabet, split by a pre-tokenizer, then merged pair by pair in merge-rank order.
public final class BPETokenizer: Tokenizer, @unchecked Sendable {
    let spellings: SpellingIndex  // every token's spelling, and ids by spelling
    let kinds: [TokenKind]
    let merges: [UInt64: (rank: Int32, result: Int32)]  // (left << 32 | right) → rank, merged id
    let mergeRankOfToken: [Int32]  // (vocabulary): rank of the merge producing the token, or -1
    let byteTokens: [Int]  // (256): id of each single byte
    let specials: [(bytes: [UInt8], id: Int)]  // longest first
    let tokenByteCache: ByteStrings  // (vocabulary): the bytes each token stands for
    let specialFirstBytes: [Bool]  // (256): whether some special token starts with the byte
    let userDefinedFirstBytes: [Bool]  // (256): whether some user-defined token starts with the byte
    /// The pre-tokenizer in use.
    public let preTokenizer: PreTokenizer
    public let bosID: Int?
    public let eosIDs: Set<Int>
    public let addsBOS: Bool

    /// Builds a tokenizer from a vocabulary (`tokens`, in id order), merges (`"a b"`), token kinds
    /// (GGUF `token_type` values; empty means all normal) and the pre-tokenizer.
    public convenience init(
        tokens: [String], merges mergeList: [String], tokenTypes: [Int], preTokenizer: PreTokenizer,
        bosID: Int?, eosIDs: Set<Int>, addsBOS: Bool
    ) throws(TokenizerError) {
        try self.init(
            vocabulary: ByteStrings(tokens), merges: ByteStrings(mergeList), tokenTypes: tokenTypes, preTokenizer: preTokenizer,
            bosID: bosID, eosIDs: eosIDs, addsBOS: addsBOS)
    }

    /// Builds a tokenizer from spellings kept as bytes (`vocabulary` in id order, `mergeList` as
    /// `"a b"`), as a GGUF file holds them; the rest as for `init(tokens:merges:…)`.
    init(
        vocabulary: ByteStrings, merges mergeList: ByteStrings, tokenTypes: [Int], preTokenizer: PreTokenizer,
        bosID: Int?, eosIDs: Set<Int>, addsBOS: Bool
    ) throws(TokenizerError) {
        let count = vocabulary.count
        guard count > 0 else { throw .invalid("the vocabulary is empty") }
        let spellings = SpellingIndex(vocabulary)
        self.spellings = spellings
        guard tokenTypes.isEmpty || tokenTypes.count == count else {
            throw .invalid("token_type has \(tokenTypes.count) entries for \(count) tokens")
        }
        let kinds = tokenTypes.isEmpty ? Array(repeating: TokenKind.normal, count: count) : tokenTypes.map { TokenKind(rawValue: $0) ?? .normal }
        self.kinds = kinds

        var byteTokens = [Int](repeating: -1, count: 256)  // -1: the vocabulary cannot spell the byte
        for byte in 0..<256 {
            if let id = spellings.id(String(Character(ByteLevel.scalar(for: UInt8(byte))))) { byteTokens[byte] = id }
        }
        guard byteTokens.contains(where: { $0 >= 0 }) else { throw .invalid("the vocabulary spells no single byte") }
        self.byteTokens = byteTokens

        // The bytes each token stands for are decoded on a thread of its own while this one looks
        // up the merges (three random reads of the index each): the two halves of the build.
        let decoded = DecodedVocabulary()
        let decodedDone = DispatchSemaphore(value: 0)
        let decoding = Thread {
            decoded.decode(vocabulary, kinds: kinds)
            decodedDone.signal()
        }
        decoding.stackSize = 1 << 18
        decoding.start()
        var triples = [Int32](repeating: 0, count: mergeList.count * 3)  // (merges, 3): left, right, result
        triples.withUnsafeMutableBufferPointer { out in
            if let base = out.baseAddress { Self.lookUpMerges(mergeList, 0..<mergeList.count, in: spellings, into: base) }
        }
        decodedDone.wait()

        var table: [UInt64: (rank: Int32, result: Int32)] = [:]
        table.reserveCapacity(mergeList.count)
        var rankOfToken = [Int32](repeating: -1, count: count)
        for rank in 0..<mergeList.count {
            let (l, r, m) = (triples[3 * rank], triples[3 * rank + 1], triples[3 * rank + 2])
            guard l != Self.noSpace else { throw .invalid("merge \(rank) '\(mergeList.string(rank))' has no space") }
            guard l >= 0, r >= 0, m >= 0 else {
                throw .invalid("merge \(rank) '\(mergeList.string(rank))' names a token that is not in the vocabulary")
            }
            let key = UInt64(l) << 32 | UInt64(r)
            if table[key] == nil { table[key] = (Int32(rank), m) }
            if rankOfToken[Int(m)] < 0 { rankOfToken[Int(m)] = Int32(rank) }
        }
        self.merges = table
        self.mergeRankOfToken = rankOfToken

        let cache = decoded.bytes
        let specials = decoded.specials
        self.tokenByteCache = cache
        self.specials = specials.sorted { $0.bytes.count > $1.bytes.count }
        var firstBytes = [Bool](repeating: false, count: 256)
        var userFirstBytes = [Bool](repeating: false, count: 256)
        for special in specials {
            guard let first = special.bytes.first else { continue }
            firstBytes[Int(first)] = true
            if kinds[special.id] == .userDefined { userFirstBytes[Int(first)] = true }
        }
        self.specialFirstBytes = firstBytes
        self.userDefinedFirstBytes = userFirstBytes
        self.preTokenizer = preTokenizer
        self.bosID = bosID
        self.eosIDs = eosIDs
        self.addsBOS = addsBOS
    }

    // MARK: Looking up merges

    /// What `lookUpMerges` writes for a merge without a space.
    static let noSpace: Int32 = -2

    /// Looks up merges `range` (`left right`, split at the first space: a byte-level spelling never
    /// holds a plain space): each half and their concatenation, without a String. Writes (left,
    /// right, result) per merge into `out` (merges, 3): −1 for a spelling not in the vocabulary,
    /// `noSpace` as the left of a merge without a space.
    static func lookUpMerges(_ mergeList: ByteStrings, _ range: Range<Int>, in spellings: SpellingIndex, into out: UnsafeMutablePointer<Int32>) {
        let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        // A vocabulary made by BPE training lists each merge's result in merge order (SmolLM2's:
        // result = rank + 252 for all 48 900), so the last result's offset from its rank guesses
        // the next result, checked against its bytes; a wrong guess falls back to the index.
        var offset = 0
        for rank in range {
            mergeList.withBytes(rank) { bytes in
                guard let space = bytes.firstIndex(of: 0x20) else {
                    out[3 * rank] = noSpace
                    return
                }
                let left = UnsafeBufferPointer(rebasing: bytes[..<space])
                let right = UnsafeBufferPointer(rebasing: bytes[(space + 1)...])
                out[3 * rank] = Int32(spellings.id(left, none) ?? -1)
                out[3 * rank + 1] = Int32(spellings.id(right, none) ?? -1)
                if spellings.isID(rank + offset, of: left, right) {
                    out[3 * rank + 2] = Int32(rank + offset)
                } else {
                    let result = spellings.id(left, right) ?? -1
                    out[3 * rank + 2] = Int32(result)
                    if result >= 0 { offset = result - rank }
                }
            }
        }
    }

    // MARK: Vocabulary

    public var vocabularySize: Int { spellings.count }

    /// The pre-tokenizer's name as the file gave it.
    public var preTokenizerName: String? { preTokenizer.name }

    public func tokenString(_ id: Int) -> String { id >= 0 && id < spellings.count ? spellings.spellings.string(id) : "" }

    public func id(forToken token: String) -> Int? { spellings.id(token) }

    public func kind(of id: Int) -> TokenKind { id >= 0 && id < kinds.count ? kinds[id] : .unknown }

    public func tokenBytes(_ id: Int) -> [UInt8] { id >= 0 && id < tokenByteCache.count ? tokenByteCache.bytes(id) : [] }

    /// Rank of the merge whose result is token `id`, or nil for single bytes and special tokens.
    public func mergeRank(of id: Int) -> Int? {
        guard id >= 0, id < mergeRankOfToken.count, mergeRankOfToken[id] >= 0 else { return nil }
        return Int(mergeRankOfToken[id])
    }

    /// Every special (control or user-defined) token id.
    public var specialIDs: [Int] { specials.map(\.id) }

    // MARK: Encoding

    public func encode(_ text: String, parseSpecial: Bool) -> [Int] {
        encode(bytes: Array(text.utf8), parseSpecial: parseSpecial)
    }

    public func encode(bytes: [UInt8], parseSpecial: Bool) -> [Int] {
        encodeWithOffsets(bytes: bytes, parseSpecial: parseSpecial).map(\.id)
    }

    /// Tokens of `bytes` with the byte range each covers.
    public func encodeWithOffsets(bytes: [UInt8], parseSpecial: Bool) -> [TokenSpan] {
        var out: [TokenSpan] = []
        out.reserveCapacity(bytes.count / 3 + 1)
        var cache: [[UInt8]: [Int32]] = [:]  // word → (id, start, end) per token, for this call only
        bytes.withUnsafeBufferPointer { all in
            for segment in segments(all, parseSpecial: parseSpecial) {
                switch segment {
                case .special(let id, let range):
                    out.append(TokenSpan(id: id, range: range))
                case .text(let range):
                    let text = UnsafeBufferPointer(rebasing: all[range])
                    for piece in preTokenizer.pieces(of: text) {
                        let word = UnsafeBufferPointer(rebasing: text[piece])
                        let offset = range.lowerBound + piece.lowerBound
                        // Words repeat: short ones are merged once per call and replayed from the cache.
                        if word.count <= Self.cachedWordLength {
                            let key = Array(word)
                            if let cached = cache[key] {
                                var k = 0
                                while k < cached.count {
                                    out.append(TokenSpan(id: Int(cached[k]), range: (offset + Int(cached[k + 1]))..<(offset + Int(cached[k + 2]))))
                                    k += 3
                                }
                                continue
                            }
                            var entry: [Int32] = []
                            for token in bpe(word, trace: nil) {
                                entry.append(contentsOf: [Int32(token.id), Int32(token.range.lowerBound), Int32(token.range.upperBound)])
                                out.append(TokenSpan(id: token.id, range: (offset + token.range.lowerBound)..<(offset + token.range.upperBound)))
                            }
                            cache[key] = entry
                            continue
                        }
                        for token in bpe(word, trace: nil) {
                            out.append(TokenSpan(id: token.id, range: (offset + token.range.lowerBound)..<(offset + token.range.upperBound)))
                        }
                    }
                }
            }
        }
        return out
    }

    enum Segment { case text(Range<Int>), special(Int, Range<Int>) }

    /// Pre-tokens up to this many bytes are cached within one encode call.
    static let cachedWordLength = 48

    /// Splits the input at special-token spellings: control tokens when parsing them, user-defined
    /// tokens always (as llama.cpp and HF `tokenizers` do with non-special added tokens).
    func segments(_ bytes: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [Segment] {
        let firstBytes = parseSpecial ? specialFirstBytes : userDefinedFirstBytes
        guard firstBytes.contains(true) else { return bytes.isEmpty ? [] : [.text(0..<bytes.count)] }
        var out: [Segment] = []
        var textStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            var matched: (Int, Int)?
            if firstBytes[Int(bytes[i])] {
                for special in specials where special.bytes.count <= n - i && special.bytes.first == bytes[i] {
                    if !parseSpecial && kinds[special.id] != .userDefined { continue }
                    var equal = true
                    for k in 0..<special.bytes.count where bytes[i + k] != special.bytes[k] { equal = false; break }
                    if equal { matched = (special.id, special.bytes.count); break }
                }
            }
            if let (id, length) = matched {
                if textStart < i { out.append(.text(textStart..<i)) }
                out.append(.special(id, i..<(i + length)))
                i += length
                textStart = i
            } else {
                i += 1
            }
        }
        if textStart < n { out.append(.text(textStart..<n)) }
        return out
    }

    // MARK: BPE core

    /// Merges one pre-token's bytes, lowest rank first (leftmost on ties), in O(n log n).
    /// Returns each token with its byte range in `word`. Bytes the vocabulary cannot spell (SmolLM2
    /// lacks a few control bytes) are dropped, as HF `tokenizers` and llama.cpp drop them.
    func bpe(_ word: UnsafeBufferPointer<UInt8>, trace: UnsafeMutablePointer<[MergeLog.Entry]>?) -> [(id: Int, range: Range<Int>)] {
        // Llama 3 and some others take a word that is a vocabulary entry as it is.
        if preTokenizer.ignoresMerges, word.count > 1, let whole = spellings.id(ByteLevel.spell(word)) {
            return [(whole, 0..<word.count)]
        }
        var ids: [Int] = []  // (symbols)
        var starts: [Int] = []  // (symbols): first byte of each symbol
        ids.reserveCapacity(word.count)
        starts.reserveCapacity(word.count)
        for (i, byte) in word.enumerated() where byteTokens[Int(byte)] >= 0 {
            ids.append(byteTokens[Int(byte)])
            starts.append(i)
        }
        let n = ids.count
        if n == 0 { return [] }
        var ends = starts.map { $0 + 1 }  // (symbols)
        if n > 1 {
            var next = Array(1...n)  // next alive symbol (n = none)
            var previous = Array(-1..<(n - 1))  // previous alive symbol (-1 = none)
            var alive = [Bool](repeating: true, count: n)
            var heap = MergeHeap()
            func push(_ i: Int) {
                let j = next[i]
                guard j < n, let merge = merges[UInt64(ids[i]) << 32 | UInt64(ids[j])] else { return }
                heap.push(MergeCandidate(rank: merge.rank, position: Int32(i), left: Int32(ids[i]), right: Int32(ids[j])))
            }
            for i in 0..<(n - 1) { push(i) }
            while let top = heap.pop() {
                let i = Int(top.position)
                guard alive[i], ids[i] == Int(top.left) else { continue }
                let j = next[i]
                guard j < n, ids[j] == Int(top.right) else { continue }
                guard let merge = merges[UInt64(top.left) << 32 | UInt64(top.right)] else { continue }
                ids[i] = Int(merge.result)
                ends[i] = ends[j]
                alive[j] = false
                next[i] = next[j]
                if next[j] < n { previous[next[j]] = i }
                trace?.pointee.append(MergeLog.Entry(
                    rank: top.rank, position: Int32(i), removed: Int32(j), left: top.left, right: top.right, result: merge.result))
                if previous[i] >= 0 { push(previous[i]) }
                push(i)
            }
            var out: [(id: Int, range: Range<Int>)] = []
            var k = 0
            while k < n { out.append((ids[k], starts[k]..<ends[k])); k = next[k] }
            return out
        }
        return [(ids[0], starts[0]..<ends[0])]
    }

    /// The merges that turn `word` (one pre-token) into its tokens, first to last, with the parts
    /// after every merge. That is O(n²) for a pre-token of n bytes: for long words use ``mergeLog(_:)``.
    public func mergeTrace(_ word: String) -> (initial: [Int], steps: [MergeStep]) {
        let log = mergeLog(word)
        let steps = log.entries.enumerated().map { step, entry in
            MergeStep(rank: Int(entry.rank), pair: (tokenString(Int(entry.left)), tokenString(Int(entry.right))),
                      result: Int(entry.result), parts: log.parts(after: step + 1))
        }
        return (log.initial, steps)
    }

    /// The merges that turn `word` (one pre-token) into its tokens, as a log: O(n) memory, any step
    /// rebuilt on demand with ``MergeLog/parts(after:)``.
    public func mergeLog(_ word: String) -> MergeLog {
        var entries: [MergeLog.Entry] = []
        let bytes = Array(word.utf8)
        _ = bytes.withUnsafeBufferPointer { bpe($0, trace: &entries) }
        return MergeLog(initial: bytes.compactMap { byteTokens[Int($0)] >= 0 ? byteTokens[Int($0)] : nil }, entries: entries)
    }

    /// The pre-tokens (pieces) of `text`, as strings, in order (special tokens not parsed).
    public func preTokens(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            preTokenizer.pieces(of: buffer).map { String(decoding: buffer[$0], as: UTF8.self) }
        }
    }

    // MARK: Decoding

    public func decode(_ ids: [Int]) -> String {
        var bytes: [UInt8] = []
        for id in ids { bytes.append(contentsOf: tokenBytes(id)) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why a tokenizer could not be built.
public enum TokenizerError: Error, CustomStringConvertible, Sendable {
    /// The tokenizer data is inconsistent.
    case invalid(String)
    /// The model file is unreadable or lacks a key.
    case file(ModelFileError)
    /// The file names a pre-tokenizer Tokenscope does not implement (no silent fallback).
    case unsupportedPreTokenizer(name: String, file: String)

    public var description: String {
        switch self {
        case .invalid(let reason): "tokenizer: \(reason)"
        case .file(let error): error.description
        case .unsupportedPreTokenizer(let name, let file):
            "\(file): tokenizer: pre-tokenizer \(name) is not supported (known: \(PreTokenizerCatalog.names.joined(separator: ", ")) and their aliases)"
        }
    }
}

// MARK: - Token ids by exact spelling

/// Token ids looked up by the exact UTF-8 bytes of their spelling: an open-addressing table over one
/// byte arena. Loading a byte-level BPE vocabulary with its merges took most of the time to first
/// token when every spelling was a `String` dictionary key (Unicode-normalised hashing, an allocation
/// per merge half); this table hashes raw bytes (FNV-1a) and can look up a concatenation of two byte
/// strings without building it. Byte-exact, as HF `tokenizers` and llama.cpp compare spellings; the
/// first id with a given spelling wins.
struct SpellingIndex: Sendable {
    // MARK: Storage

    /// Every token's spelling, in id order.
    let spellings: ByteStrings
    private let slots: [Int32]  // (capacity, a power of two): token id + 1, 0 = empty
    private let mask: Int
    /// Ids whose spelling an earlier id already has (lookups never answer them).
    private let shadowed: Set<Int>

    // MARK: Building

    /// Indexes `tokens` (in id order).
    init(_ tokens: [String]) {
        self.init(ByteStrings(tokens))
    }

    /// Indexes the spellings in `spellings` (in id order).
    init(_ spellings: ByteStrings) {
        var capacity = 16
        while capacity < spellings.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        var shadowed = Set<Int>()
        let starts = spellings.starts
        spellings.arena.withUnsafeBufferPointer { bytes in
            for id in 0..<spellings.count {
                let start = starts[id], end = starts[id + 1]
                let spelling = UnsafeBufferPointer(rebasing: bytes[start..<end])
                var slot = Int(truncatingIfNeeded: Self.mix(Self.fnv(spelling, Self.offsetBasis))) & mask
                while true {
                    let occupant = Int(slots[slot]) - 1
                    if occupant < 0 { slots[slot] = Int32(id + 1); break }
                    let s = starts[occupant], e = starts[occupant + 1]
                    if e - s == spelling.count, Self.equal(UnsafeBufferPointer(rebasing: bytes[s..<e]), spelling, UnsafeBufferPointer(start: nil, count: 0)) {
                        shadowed.insert(id)  // the first id with this spelling stays
                        break
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        self.spellings = spellings
        self.slots = slots
        self.mask = mask
        self.shadowed = shadowed
    }

    /// Number of tokens.
    var count: Int { spellings.count }

    // MARK: Lookup

    /// The id spelled exactly `token`, or nil.
    func id(_ token: String) -> Int? {
        var token = token
        return token.withUTF8 { id($0, UnsafeBufferPointer(start: nil, count: 0)) }
    }

    /// The id spelled exactly `first` followed by `second`, or nil.
    func id(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.mix(Self.fnv(second, Self.fnv(first, Self.offsetBasis)))
        let length = first.count + second.count
        let starts = spellings.starts
        return spellings.arena.withUnsafeBufferPointer { bytes -> Int? in
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let occupant = Int(slots[slot]) - 1
                if occupant < 0 { return nil }
                let s = starts[occupant], e = starts[occupant + 1]
                if e - s == length {
                    let candidate = UnsafeBufferPointer(rebasing: bytes[s..<e])
                    if Self.equal(candidate, first, second) { return occupant }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Whether `id(first, second)` is `candidate`: its spelling is `first` followed by `second` and
    /// no earlier id has it. Reads only the candidate's bytes, so a good guess costs no hash lookup.
    func isID(_ candidate: Int, of first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
        guard candidate >= 0, candidate < count, spellings.length(candidate) == first.count + second.count else { return false }
        let matches = spellings.withBytes(candidate) { Self.equal($0, first, second) }
        return matches && (shadowed.isEmpty || !shadowed.contains(candidate))
    }

    // MARK: Hashing

    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    /// FNV-1a over `bytes`, continuing from `state` (so a concatenation hashes part by part).
    private static func fnv(_ bytes: UnsafeBufferPointer<UInt8>, _ state: UInt64) -> UInt64 {
        var h = state
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// Folds the high bits down: the table index takes the low bits.
    private static func mix(_ h: UInt64) -> UInt64 { h ^ (h >> 29) }

    /// Whether `candidate` (of length first + second) equals `first` followed by `second`.
    private static func equal(_ candidate: UnsafeBufferPointer<UInt8>, _ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<first.count where candidate[i] != first[i] { return false }
        for i in 0..<second.count where candidate[first.count + i] != second[i] { return false }
        return true
    }
}

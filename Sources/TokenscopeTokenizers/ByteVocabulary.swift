// MARK: - Byte-string vocabulary lookup

/// A hash map from byte strings to token ids that looks up a slice of a buffer without building a
/// `String` for it: WordPiece's greedy longest match tries many candidate slices per word.
struct ByteVocabulary: Sendable {
    private var bytes: [UInt8] = []  // (total key bytes): every key, back to back
    private var starts: [Int32] = []  // (entries): first byte of each key in `bytes`
    private var lengths: [Int32] = []  // (entries)
    private var ids: [Int32] = []  // (entries)
    private var slots: [Int32] = []  // (capacity, a power of two): entry index, or -1 for empty
    private var mask = 0
    /// Length in bytes of the longest key.
    private(set) var longestKey = 0

    /// Builds the map; the first occurrence of a key wins.
    init(_ entries: [(key: [UInt8], id: Int)]) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for entry in entries {
            let hash = entry.key.withUnsafeBufferPointer { Self.hash($0) }
            var slot = hash & mask
            var duplicate = false
            while slots[slot] >= 0 {
                let e = Int(slots[slot])
                if lengths[e] == entry.key.count && bytes[Int(starts[e])..<Int(starts[e] + lengths[e])].elementsEqual(entry.key) {
                    duplicate = true
                    break
                }
                slot = (slot + 1) & mask
            }
            if duplicate { continue }
            slots[slot] = Int32(ids.count)
            starts.append(Int32(bytes.count))
            lengths.append(Int32(entry.key.count))
            ids.append(Int32(truncatingIfNeeded: entry.id))
            bytes.append(contentsOf: entry.key)
            longestKey = max(longestKey, entry.key.count)
        }
    }

    /// FNV-1a over the bytes.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The id of the key equal to `key`, or nil.
    @inline(__always)
    func id(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        var slot = Self.hash(key) & mask
        return bytes.withUnsafeBufferPointer { stored in
            while true {
                let e = Int(slots[slot])
                if e < 0 { return nil }
                let length = Int(lengths[e])
                if length == key.count {
                    let start = Int(starts[e])
                    var equal = true
                    for k in 0..<length where stored[start + k] != key[k] { equal = false; break }
                    if equal { return Int(ids[e]) }
                }
                slot = (slot + 1) & mask
            }
        }
    }
}

import TokenscopeFormats

// MARK: - Strings as bytes side by side

/// A list of strings kept as their UTF-8 bytes in one buffer: a vocabulary or a merge list without
/// a `String`, and often an allocation, per entry. Loading a 49 152-token vocabulary with its
/// 48 900 merges as `String`s was most of a byte-level BPE's load time.
struct ByteStrings: Sendable {
    // MARK: Storage

    private(set) var arena: [UInt8]  // (total bytes): every entry's bytes, in order
    private(set) var starts: [Int]  // (count + 1): where each entry begins in `arena`, then the end

    /// An empty list with room for `count` entries of about `averageBytes` each.
    init(capacity count: Int = 0, averageBytes: Int = 8) {
        arena = []
        arena.reserveCapacity(count * averageBytes)
        starts = [0]
        starts.reserveCapacity(count + 1)
    }

    /// `strings`' UTF-8, in order.
    init(_ strings: some Collection<String>) {
        self.init(capacity: strings.count)
        for string in strings { append(contentsOf: string.utf8) }
    }

    /// A GGUF string array's bytes, copied out of the mapped file.
    init(_ array: GGUFStringArray) {
        self.init(capacity: array.count, averageBytes: 0)
        arena.reserveCapacity(array.indices.reduce(0) { $0 + array.utf8Count(at: $1) })
        for i in array.indices { array.withUTF8(at: i) { append($0) } }
    }

    /// Adds one entry.
    mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
    }

    /// Adds one entry (a plain copy of the bytes).
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
    }

    // MARK: Entries

    /// Number of entries.
    var count: Int { starts.count - 1 }

    /// The byte count of entry `i`.
    func length(_ i: Int) -> Int { starts[i + 1] - starts[i] }

    /// Calls `body` with entry `i`'s bytes (valid only inside `body`).
    func withBytes<Result>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[starts[i]..<starts[i + 1]])) }
    }

    /// Entry `i` as bytes.
    func bytes(_ i: Int) -> [UInt8] { Array(arena[starts[i]..<starts[i + 1]]) }

    /// Entry `i` as a `String` (bytes that are not UTF-8 repaired, which entries made from strings never are).
    func string(_ i: Int) -> String { withBytes(i) { String(decoding: $0, as: UTF8.self) } }
}

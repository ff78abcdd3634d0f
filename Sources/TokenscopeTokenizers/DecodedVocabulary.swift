// MARK: - The bytes each token stands for

/// The bytes every token of a byte-level vocabulary stands for, and its special tokens, decoded on
/// a thread of their own while the merges are looked up (`BPETokenizer`'s build).
final class DecodedVocabulary: @unchecked Sendable {
    /// (vocabulary): special tokens as spelled, others through the byte-level alphabet (a scalar
    /// outside it, which a hand-made vocabulary may hold, stands for its own UTF-8).
    private(set) var bytes = ByteStrings()
    /// The control and user-defined tokens with their bytes, in id order.
    private(set) var specials: [(bytes: [UInt8], id: Int)] = []

    /// Decodes `vocabulary` (well-formed UTF-8 spellings, in id order) with each token's kind.
    func decode(_ vocabulary: ByteStrings, kinds: [TokenKind]) {
        let count = vocabulary.count
        var cache = ByteStrings(capacity: count, averageBytes: vocabulary.arena.count / max(1, count) + 1)
        var decoded: [UInt8] = []
        for id in 0..<count {
            if kinds[id] == .control || kinds[id] == .userDefined {
                let spelled = vocabulary.bytes(id)
                cache.append(contentsOf: spelled)
                if !spelled.isEmpty { specials.append((spelled, id)) }
                continue
            }
            decoded.removeAll(keepingCapacity: true)
            vocabulary.withBytes(id) { spelling in
                var i = 0
                while i < spelling.count {
                    let (scalar, length) = Self.scalar(in: spelling, at: i)
                    if let byte = ByteLevel.byte(for: scalar) {
                        decoded.append(byte)
                    } else {
                        decoded.append(contentsOf: UnsafeBufferPointer(rebasing: spelling[i..<(i + length)]))
                    }
                    i += length
                }
            }
            decoded.withUnsafeBufferPointer { cache.append($0) }
        }
        bytes = cache
    }

    /// The scalar whose UTF-8 starts at `i` in well-formed `bytes`, and its byte count.
    private static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[i])
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard i + length <= bytes.count else { return ("\u{FFFD}", 1) }
        var value = length == 1 ? lead : lead & (0x7F >> UInt32(length))
        if length > 1 {
            for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }
}

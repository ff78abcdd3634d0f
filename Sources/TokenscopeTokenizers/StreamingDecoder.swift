// MARK: - Streaming decode

/// Decodes tokens one at a time without ever emitting half a UTF-8 character: an incomplete byte
/// sequence is held until its remaining bytes arrive.
public struct StreamingDecoder {
    let tokenizer: any Tokenizer
    private var pending: [UInt8] = []

    /// Creates a decoder for `tokenizer`.
    public init(tokenizer: any Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// Adds token `id` and returns the text that is now complete.
    public mutating func append(_ id: Int) -> String {
        pending.append(contentsOf: tokenizer.tokenBytes(id))
        let cut = Self.completePrefixLength(pending)
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeFirst(cut)
        return text
    }

    /// Whatever is held back, invalid bytes replaced by U+FFFD.
    public mutating func flush() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Length of the prefix of `bytes` that does not end inside a (possibly valid) UTF-8 sequence.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        // Look back at most 3 bytes for the start of an unfinished sequence.
        var i = n - 1
        var continuation = 0
        while i >= 0 && i >= n - 4 {
            let b = bytes[i]
            if b & 0xC0 == 0x80 {
                continuation += 1
                i -= 1
                continue
            }
            let needed: Int
            if b >= 0xF0 && b <= 0xF4 { needed = 3 } else if b >= 0xE0 { needed = b <= 0xEF ? 2 : 0 } else if b >= 0xC2 { needed = 1 } else { needed = 0 }
            return needed > continuation ? i : n
        }
        return n
    }
}

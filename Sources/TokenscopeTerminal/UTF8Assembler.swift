// MARK: - UTF-8 from a terminal, byte by byte

/// Turns the bytes a terminal sends into Unicode scalars, one byte at a time, so a character may be
/// split across reads. Bytes that are not UTF-8 are never dropped: each ill-formed sequence becomes
/// one U+FFFD per *maximal subpart* (Unicode 15, §3.9, "U+FFFD Substitution of Maximal Subparts"),
/// the policy of Swift's `String(decoding:as:)`, WHATWG's decoder (so browsers and terminals), Python's
/// `errors="replace"` and Rust's `from_utf8_lossy` (so HF tokenizers) — `ab\xFF\xFEcd` is `ab��cd`,
/// a truncated `\xE2\x82` before `c` is `�c`, an overlong `\xC0\xAF` and a surrogate `\xED\xA0\x80`
/// are one `�` per byte.
public struct UTF8Assembler: Sendable, Equatable {
    /// What a byte completes.
    public enum Output: Sendable, Equatable {
        /// A well-formed character.
        case scalar(Unicode.Scalar)
        /// An ill-formed sequence, shown as U+FFFD.
        case invalid
    }

    /// The bytes of a character begun but not finished.
    private var held: [UInt8] = []  // (0...3)

    /// An assembler between characters.
    public init() {}

    /// Whether a character has begun and not finished.
    public var isHolding: Bool { !held.isEmpty }

    /// Adds one byte; returns what it completes (nothing while a character is unfinished; an
    /// `.invalid` then the byte's own result when it cannot continue the held sequence).
    public mutating func feed(_ byte: UInt8) -> [Output] {
        var out: [Output] = []
        if !held.isEmpty {
            if Self.canContinue(held, with: byte) {
                held.append(byte)
                if held.count == Self.length(lead: held[0]) {
                    out.append(Self.scalar(of: held).map(Output.scalar) ?? .invalid)
                    held = []
                }
                return out
            }
            // The held bytes are a maximal subpart: one U+FFFD; this byte starts afresh.
            held = []
            out.append(.invalid)
        }
        switch byte {
        case 0x00..<0x80: out.append(.scalar(Unicode.Scalar(byte)))
        case 0xC2...0xF4: held = [byte]
        default: out.append(.invalid)  // a continuation byte alone, C0, C1 (overlong) or F5…FF
        }
        return out
    }

    /// Ends input: an unfinished character becomes one U+FFFD.
    public mutating func finish() -> [Output] {
        guard !held.isEmpty else { return [] }
        held = []
        return [.invalid]
    }

    // MARK: Private

    /// Bytes in a character that starts with `lead` (a valid lead byte).
    private static func length(lead: UInt8) -> Int {
        switch lead {
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        default: 4
        }
    }

    /// Whether `byte` may follow `held`: a continuation byte, in the narrower range the lead byte
    /// allows for the second byte (no overlong forms, no surrogates, nothing past U+10FFFF).
    private static func canContinue(_ held: [UInt8], with byte: UInt8) -> Bool {
        guard held.count == 1 else { return byte & 0xC0 == 0x80 }
        switch held[0] {
        case 0xE0: return (0xA0...0xBF).contains(byte)
        case 0xED: return (0x80...0x9F).contains(byte)
        case 0xF0: return (0x90...0xBF).contains(byte)
        case 0xF4: return (0x80...0x8F).contains(byte)
        default: return byte & 0xC0 == 0x80
        }
    }

    /// The scalar of a complete, checked sequence.
    private static func scalar(of bytes: [UInt8]) -> Unicode.Scalar? {
        var value = UInt32(bytes[0]) & (bytes.count == 2 ? 0x1F : bytes.count == 3 ? 0x0F : 0x07)
        for byte in bytes.dropFirst() { value = value << 6 | UInt32(byte & 0x3F) }
        return Unicode.Scalar(value)
    }
}

// MARK: - UTF-8 validation without making a String

/// Whether bytes are well-formed UTF-8 (Unicode's definition: no overlong forms, no surrogates,
/// nothing past U+10FFFF), as `String(validating:)` decides, without allocating a `String`.
public enum UTF8Check {
    /// Whether `bytes` is well-formed UTF-8.
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        var i = 0
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 { i += 1; continue }
            if lead < 0xC2 { return false }  // a continuation byte, or an overlong two-byte form
            if lead < 0xE0 {
                guard i + 1 < n, isContinuation(bytes[i + 1]) else { return false }
                i += 2
            } else if lead < 0xF0 {
                guard i + 2 < n else { return false }
                let second = bytes[i + 1]
                // E0 needs A0...BF (no overlong forms), ED 80...9F (no surrogates).
                let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80, high: UInt8 = lead == 0xED ? 0x9F : 0xBF
                guard second >= low, second <= high, isContinuation(bytes[i + 2]) else { return false }
                i += 3
            } else if lead < 0xF5 {
                guard i + 3 < n else { return false }
                let second = bytes[i + 1]
                // F0 needs 90...BF (no overlong forms), F4 80...8F (nothing past U+10FFFF).
                let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80, high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
                guard second >= low, second <= high, isContinuation(bytes[i + 2]), isContinuation(bytes[i + 3]) else { return false }
                i += 4
            } else {
                return false
            }
        }
        return true
    }

    @inline(__always)
    private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
}

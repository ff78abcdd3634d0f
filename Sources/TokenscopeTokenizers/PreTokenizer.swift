// MARK: - Pre-tokenizers

/// Splits text into the pieces BPE runs on, like the regexes of GPT-2, SmolLM and Llama 3, but as
/// hand-written linear scanners over Unicode scalars: no backtracking, no regex catastrophes.
public enum PreTokenizer: String, Sendable, CaseIterable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2
    /// SmolLM: every number character on its own first, then the GPT-2 pattern.
    case smollm
    /// Llama 3: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    case llama3

    /// The pre-tokenizer GGUF's `tokenizer.ggml.pre` names, or nil for a name Tokenscope does not know.
    public init?(ggufName: String) {
        switch ggufName {
        case "gpt2", "default": self = .gpt2
        case "smollm": self = .smollm
        case "llama3", "llama-v3", "llama-bpe": self = .llama3
        default: return nil
        }
    }

    // MARK: Units

    enum Category: UInt8 { case letter, number, whitespace, other }

    /// One scalar of the input (or one byte of invalid UTF-8) with its byte range.
    struct Unit {
        let category: Category
        let value: UInt32  // the scalar, or 0xFFFF_FFFF for an invalid byte
        let start: Int
        let end: Int
    }

    static func category(of scalar: Unicode.Scalar) -> Category {
        if scalar.value < 128 {
            let v = scalar.value
            if (v >= 65 && v <= 90) || (v >= 97 && v <= 122) { return .letter }
            if v >= 48 && v <= 57 { return .number }
            if v == 32 || (v >= 9 && v <= 13) { return .whitespace }
            return .other
        }
        if scalar.properties.isWhitespace { return .whitespace }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }

    /// Decodes UTF-8, keeping each invalid byte as a unit of its own (category `other`).
    static func units(of bytes: UnsafeBufferPointer<UInt8>) -> [Unit] {
        var units: [Unit] = []
        units.reserveCapacity(bytes.count)
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            var length = 0
            var value: UInt32 = 0
            if b0 < 0x80 {
                length = 1
                value = UInt32(b0)
            } else if b0 >= 0xC2 && b0 <= 0xDF {
                length = 2
                value = UInt32(b0 & 0x1F)
            } else if b0 >= 0xE0 && b0 <= 0xEF {
                length = 3
                value = UInt32(b0 & 0x0F)
            } else if b0 >= 0xF0 && b0 <= 0xF4 {
                length = 4
                value = UInt32(b0 & 0x07)
            }
            var valid = length > 0 && i + length <= n
            if valid && length > 1 {
                for k in 1..<length {
                    let b = bytes[i + k]
                    if b & 0xC0 != 0x80 { valid = false; break }
                    value = value << 6 | UInt32(b & 0x3F)
                }
                // Overlong, surrogate and out-of-range forms are invalid.
                if valid {
                    switch length {
                    case 3: valid = value >= 0x800 && !(0xD800...0xDFFF).contains(value)
                    case 4: valid = value >= 0x10000 && value <= 0x10FFFF
                    default: break
                    }
                }
            }
            if valid, let scalar = Unicode.Scalar(value) {
                units.append(Unit(category: category(of: scalar), value: value, start: i, end: i + length))
                i += length
            } else {
                units.append(Unit(category: .other, value: 0xFFFF_FFFF, start: i, end: i + 1))
                i += 1
            }
        }
        return units
    }

    // MARK: Splitting

    /// The byte ranges of the pieces of `bytes`, in order; they tile the input exactly.
    public func pieces(of bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let u = Self.units(of: bytes)
        var out: [Range<Int>] = []
        switch self {
        case .gpt2:
            Self.scanGPT2(u, 0, u.count, into: &out)
        case .smollm:
            var start = 0
            for i in 0..<u.count where u[i].category == .number {
                Self.scanGPT2(u, start, i, into: &out)
                out.append(u[i].start..<u[i].end)
                start = i + 1
            }
            Self.scanGPT2(u, start, u.count, into: &out)
        case .llama3:
            Self.scanLlama3(u, into: &out)
        }
        return out
    }

    @inline(__always)
    static func lower(_ v: UInt32) -> UInt32 { v >= 65 && v <= 90 ? v + 32 : v }

    /// Length in units of a contraction (`'s`, `'re`, …) at `i`, or 0.
    static func contraction(_ u: [Unit], _ i: Int, _ end: Int, caseInsensitive: Bool) -> Int {
        guard u[i].value == 39, i + 1 < end else { return 0 }  // '
        let a = caseInsensitive ? lower(u[i + 1].value) : u[i + 1].value
        if a == 115 || a == 116 || a == 109 || a == 100 { return 2 }  // s t m d
        guard i + 2 < end else { return 0 }
        let b = caseInsensitive ? lower(u[i + 2].value) : u[i + 2].value
        if (a == 114 && b == 101) || (a == 118 && b == 101) || (a == 108 && b == 108) { return 3 }  // re ve ll
        return 0
    }

    static func run(_ u: [Unit], from i: Int, _ end: Int, _ category: Category) -> Int {
        var j = i
        while j < end && u[j].category == category { j += 1 }
        return j
    }

    /// The GPT-2 pattern over units `start..<end`.
    static func scanGPT2(_ u: [Unit], _ start: Int, _ end: Int, into out: inout [Range<Int>]) {
        var i = start
        while i < end {
            var next = i
            let c = contraction(u, i, end, caseInsensitive: false)
            if c > 0 {
                next = i + c
            } else {
                let j = (u[i].value == 32 && i + 1 < end && u[i + 1].category != .whitespace) ? i + 1 : i
                switch u[j].category {
                case .letter, .number, .other:
                    next = run(u, from: j, end, u[j].category)
                case .whitespace:
                    let k = run(u, from: i, end, .whitespace)
                    next = (k == end || k - i == 1) ? k : k - 1
                }
            }
            out.append(u[i].start..<u[next - 1].end)
            i = next
        }
    }

    /// The Llama 3 pattern over all units.
    static func scanLlama3(_ u: [Unit], into out: inout [Range<Int>]) {
        let end = u.count
        func isNewline(_ k: Int) -> Bool { u[k].value == 10 || u[k].value == 13 }
        var i = 0
        while i < end {
            var next = i + 1
            let c = contraction(u, i, end, caseInsensitive: true)
            let cat = u[i].category
            if c > 0 {
                next = i + c
            } else if cat == .letter {
                next = run(u, from: i, end, .letter)
            } else if cat != .number && !isNewline(i) && i + 1 < end && u[i + 1].category == .letter {
                next = run(u, from: i + 1, end, .letter)
            } else if cat == .number {
                next = i
                while next < end && next < i + 3 && u[next].category == .number { next += 1 }
            } else if (cat == .other) || (u[i].value == 32 && i + 1 < end && u[i + 1].category == .other) {
                var k = cat == .other ? i : i + 1
                k = run(u, from: k, end, .other)
                while k < end && isNewline(k) { k += 1 }
                next = k
            } else {
                // Whitespace run: up to its last newline if it has one, else \s+(?!\S) | \s+.
                let k = run(u, from: i, end, .whitespace)
                var lastNewline = -1
                for m in i..<k where isNewline(m) { lastNewline = m }
                if lastNewline >= 0 {
                    next = lastNewline + 1
                } else {
                    next = (k == end || k - i == 1) ? k : k - 1
                }
            }
            out.append(u[i].start..<u[next - 1].end)
            i = next
        }
    }
}

// MARK: - Pre-tokenizers

/// Splits text into the pieces BPE runs on, as llama.cpp's pre-tokenizers do: a pipeline of split
/// stages, each applied to every piece the stage before produced (a match and the text between
/// matches both become pieces). The frequent patterns (GPT-2, Llama 3, Qwen 2, single digits) are
/// hand-written linear scanners over Unicode scalars; the rest run on ``SplitRegex``, a small
/// backtracking engine with llama.cpp's semantics. ``PreTokenizerCatalog`` names them all.
public struct PreTokenizer: Sendable, Equatable, CustomStringConvertible {
    /// One split stage.
    enum Stage: Sendable {
        /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
        case gpt2
        /// The Llama 3 pattern; `digits` is the longest run of `\p{N}` one piece holds (3 for Llama 3,
        /// 1 for Qwen 2).
        case llama3(digits: Int)
        /// `\p{N}`: every number character on its own.
        case singleDigits
        /// Any other pattern.
        case regex(SplitRegex)
    }

    /// The name the file gave (`tokenizer.ggml.pre`, or the catalog's name for a tokenizer.json).
    public let name: String
    /// The catalog name of the pattern family (`llama-bpe` for `llama3`, `gpt-2` for `olmo`, …).
    public let family: String
    /// Whether a word that is itself a vocabulary entry becomes that token without merging
    /// (llama.cpp's `ignore_merges`, set for Llama 3 and a few others).
    public let ignoresMerges: Bool
    let stages: [Stage]

    init(name: String, family: String, stages: [Stage], ignoresMerges: Bool = false) {
        self.name = name
        self.family = family
        self.stages = stages
        self.ignoresMerges = ignoresMerges
    }

    /// Same splitting: the same pattern family and merge rule, whatever name the file used.
    public static func == (a: PreTokenizer, b: PreTokenizer) -> Bool { a.family == b.family && a.ignoresMerges == b.ignoresMerges }

    public var description: String { name }

    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    public static let gpt2 = PreTokenizer(name: "gpt-2", family: "gpt-2", stages: [.gpt2])
    /// SmolLM (and StarCoder, Refact, Command R): every number character on its own first, then GPT-2.
    public static let smollm = PreTokenizer(name: "smollm", family: "smollm", stages: [.singleDigits, .gpt2])
    /// Llama 3: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    public static let llama3 = PreTokenizer(name: "llama-bpe", family: "llama-bpe", stages: [.llama3(digits: 3)], ignoresMerges: true)

    /// The pre-tokenizer GGUF's `tokenizer.ggml.pre` names, or nil for a name Tokenscope does not know.
    public init?(ggufName: String) {
        guard let known = PreTokenizerCatalog.named(ggufName) else { return nil }
        self = known
    }

    // MARK: Units

    /// The coarse class the hand-written scanners use.
    enum Category: UInt8 { case letter, number, whitespace, other }

    /// The general category llama.cpp's regexes test with `\p{..}`: ASCII by llama.cpp's own
    /// table (`$+<=>^`|~` are symbols, the other ASCII punctuation is punctuation), the rest by
    /// Unicode general category; white space first.
    enum Detail: UInt8 { case letter, number, whitespace, punctuation, symbol, mark, other }

    /// One scalar of the input (or one byte of invalid UTF-8) with its byte range.
    struct Unit {
        let category: Category
        let detail: Detail
        let value: UInt32  // the scalar, or 0xFFFF_FFFF for an invalid byte
        let start: Int
        let end: Int
    }

    static func detail(of scalar: Unicode.Scalar, _ category: Category) -> Detail {
        switch category {
        case .letter: return .letter
        case .number: return .number
        case .whitespace: return .whitespace
        case .other: break
        }
        let v = scalar.value
        if v < 128 {
            switch v {
            case 0x24, 0x2B, 0x3C, 0x3D, 0x3E, 0x5E, 0x60, 0x7C, 0x7E: return .symbol
            case 0x21...0x2F, 0x3A...0x40, 0x5B...0x5F, 0x7B...0x7D: return .punctuation
            default: return .other
            }
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return .punctuation
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: return .symbol
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        default: return .other
        }
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
                let category = category(of: scalar)
                units.append(Unit(category: category, detail: detail(of: scalar, category), value: value, start: i, end: i + length))
                i += length
            } else {
                units.append(Unit(category: .other, detail: .other, value: 0xFFFF_FFFF, start: i, end: i + 1))
                i += 1
            }
        }
        return units
    }

    // MARK: Splitting

    /// The byte ranges of the pieces of `bytes`, in order; they tile the input exactly.
    public func pieces(of bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let u = Self.units(of: bytes)
        var chunks: [Range<Int>] = u.isEmpty ? [] : [0..<u.count]  // unit ranges
        for stage in stages {
            var next: [Range<Int>] = []
            next.reserveCapacity(chunks.count * 2)
            switch stage {
            case .gpt2:
                for chunk in chunks { Self.scanGPT2(u, chunk.lowerBound, chunk.upperBound, into: &next) }
            case .llama3(let digits):
                for chunk in chunks { Self.scanLlama3(u, chunk.lowerBound, chunk.upperBound, digits: digits, into: &next) }
            case .singleDigits:
                for chunk in chunks {
                    var start = chunk.lowerBound
                    for i in chunk where u[i].category == .number {
                        if start < i { next.append(start..<i) }
                        next.append(i..<(i + 1))
                        start = i + 1
                    }
                    if start < chunk.upperBound { next.append(start..<chunk.upperBound) }
                }
            case .regex(let regex):
                u.withUnsafeBufferPointer { units in
                    for chunk in chunks { regex.split(units, chunk, into: &next) }
                }
            }
            chunks = next
        }
        return chunks.map { u[$0.lowerBound].start..<u[$0.upperBound - 1].end }
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
            out.append(i..<next)
            i = next
        }
    }

    /// The Llama 3 pattern over units `start..<end` (Qwen 2's with `digits` 1).
    static func scanLlama3(_ u: [Unit], _ start: Int, _ end: Int, digits: Int, into out: inout [Range<Int>]) {
        func isNewline(_ k: Int) -> Bool { u[k].value == 10 || u[k].value == 13 }
        var i = start
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
                while next < end && next < i + digits && u[next].category == .number { next += 1 }
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
            out.append(i..<next)
            i = next
        }
    }
}

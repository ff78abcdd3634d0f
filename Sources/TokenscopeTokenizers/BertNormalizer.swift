import Foundation

// MARK: - BERT normaliser and basic pre-tokenizer

/// BERT's text clean-up and word splitting, as HF `tokenizers` does it with `BertNormalizer` followed
/// by `BertPreTokenizer`, fused into one pass over the bytes:
///
/// 1. clean text: U+0000, U+FFFD and control characters (Cc, Cf, Cs, Co, but not tab, CR, LF;
///    unassigned code points stay, as in the reference)
///    are removed; every other White_Space character becomes a space;
/// 2. Chinese characters: CJK ideographs get a space on each side, so each is a word of its own;
/// 3. accent stripping (on by default when lower-casing): NFD, then every nonspacing mark (Mn) removed;
/// 4. lower-casing, scalar by scalar (full mappings: `İ` → `i̇` before step 3 removes the dot);
/// 5. split at whitespace (dropped) and around punctuation (ASCII punctuation or Unicode P*, kept
///    as one-character words).
///
/// Invalid UTF-8 is decoded as `String(decoding:as:)` does (each bad sequence becomes U+FFFD), and
/// step 1 then removes those U+FFFD: invalid bytes vanish without splitting the word around them.
public struct BertNormalizer: Sendable, Equatable {
    /// Remove control characters and turn whitespace into spaces.
    public var cleanText: Bool
    /// Put spaces around CJK ideographs.
    public var handleChineseCharacters: Bool
    /// Remove accents (NFD, then drop nonspacing marks); nil means "when lower-casing".
    public var stripAccents: Bool?
    /// Lower-case every scalar.
    public var lowercase: Bool
    /// Apply ``BertUnicodeExceptions`` (where HF `tokenizers`' older Unicode tables differ from
    /// Swift's). Off only to regenerate that table.
    public var appliesReferenceExceptions = true

    /// The normaliser of uncased BERT models (all-MiniLM-L6-v2).
    public init(cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseCharacters = handleChineseCharacters
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    var stripsAccents: Bool { stripAccents ?? lowercase }

    // MARK: Character classes

    /// Whether BERT counts the scalar as a control character to remove (tab, LF, CR are whitespace).
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v == 9 || v == 10 || v == 13 { return false }
        if v < 0x80 { return v < 0x20 || v == 0x7F }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse: return true
        default: return false
        }
    }

    /// Whether the scalar has the Unicode White_Space property (tab, LF and CR included).
    package static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 32 || (v >= 9 && v <= 13) }
        return s.properties.isWhitespace
    }

    /// CJK Unified Ideographs and their extensions and compatibility blocks, as BERT defines them.
    static func isChinese(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B920...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }

    /// ASCII punctuation (`!"#$%&'()*+,-./:;<=>?@[\]^_\`{|}~`) or a Unicode punctuation category.
    package static func isPunctuation(_ s: Unicode.Scalar, exceptions: Bool = true) -> Bool {
        let v = s.value
        if v < 0x80 { return isASCIIPunctuation[Int(v)] }
        if exceptions && BertUnicodeExceptions.punctuation.contains(v) { return true }
        if exceptions && BertUnicodeExceptions.notPunctuation.contains(v) { return false }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    static let isASCIIPunctuation: [Bool] = (0..<128).map { v in
        (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v)
    }

    // MARK: Normalising

    /// The normalised form of `text` (what the pre-tokenizer then splits), for display.
    public func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { normalize(scalar) { out.append($0) } }
        return String(out)
    }

    /// Normalises one scalar, passing the resulting scalars (zero or more) to `emit`.
    @inline(__always)
    func normalize(_ s: Unicode.Scalar, _ emit: (Unicode.Scalar) -> Void) {
        let v = s.value
        if v < 0x80 {
            if cleanText {
                if v < 0x20 || v == 0x7F {
                    if v == 9 || v == 10 || v == 13 { emit(" ") }
                    return
                }
            }
            if lowercase && v >= 65 && v <= 90 { emit(Unicode.Scalar(UInt8(v + 32))); return }
            emit(s)
            return
        }
        if appliesReferenceExceptions && isDefaultConfiguration {
            if let mapped = BertUnicodeExceptions.normalization[v] {
                for m in mapped { if let scalar = Unicode.Scalar(m) { emit(scalar) } }
                return
            }
            if BertUnicodeExceptions.unchanged.contains(v) { emit(s); return }
        }
        if cleanText {
            if v == 0xFFFD || Self.isControl(s) { return }
            if Self.isWhitespace(s) { emit(" "); return }
        }
        let chinese = handleChineseCharacters && Self.isChinese(v)
        if chinese { emit(" ") }
        if stripsAccents {
            if s.properties.generalCategory == .nonspacingMark { return }
            if let parts = Self.decompositions[v] {
                for part in parts { lowercased(part, emit) }
            } else {
                lowercased(s, emit)
            }
        } else {
            lowercased(s, emit)
        }
        if chinese { emit(" ") }
    }

    /// NFD of every non-ASCII scalar that has a canonical decomposition, nonspacing marks removed.
    /// Only planes 0 and 1 and the CJK compatibility supplement have decompositions. Built once, with
    /// one call to Foundation's NFD over all those scalars separated by line feeds.
    static let decompositions: [UInt32: [Unicode.Scalar]] = {
        var all = String.UnicodeScalarView()
        var sources: [UInt32] = []
        for v in UInt32(0x80)..<UInt32(0x3_0000) where v < 0x2_0000 || (0x2_F800...0x2_FA1F).contains(v) {
            guard let s = Unicode.Scalar(v), s.properties.generalCategory != .unassigned else { continue }
            sources.append(v)
            all.append(s)
            all.append("\n")
        }
        var table: [UInt32: [Unicode.Scalar]] = [:]
        var index = 0
        var current: [Unicode.Scalar] = []
        for d in String(all).decomposedStringWithCanonicalMapping.unicodeScalars {
            if d == "\n" {
                if index < sources.count, !(current.count == 1 && current[0].value == sources[index]) {
                    table[sources[index]] = current.filter { $0.properties.generalCategory != .nonspacingMark }
                }
                index += 1
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(d)
            }
        }
        return table
    }()

    @inline(__always)
    func lowercased(_ s: Unicode.Scalar, _ emit: (Unicode.Scalar) -> Void) {
        guard lowercase, s.properties.changesWhenLowercased else { emit(s); return }
        for l in s.properties.lowercaseMapping.unicodeScalars { emit(l) }
    }

    var isDefaultConfiguration: Bool {
        cleanText && handleChineseCharacters && stripsAccents && lowercase
    }
}

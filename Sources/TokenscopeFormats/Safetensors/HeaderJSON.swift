import Foundation

// MARK: - A strict JSON reader for untrusted headers

/// A JSON value as read from a model file's header, keeping object keys in file order and numbers
/// as their exact text (so `18446744073709551615` is never rounded through a Double).
enum HeaderJSON: Equatable {
    case object([(key: String, value: HeaderJSON, offset: Int)])
    case array([HeaderJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    static func == (lhs: HeaderJSON, rhs: HeaderJSON) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    /// A short name of the value's kind, for error messages.
    var kind: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// The value as an exact non-negative integer, when it is written as plain digits that fit a UInt64.
    var unsignedInteger: UInt64? {
        guard case .number(let text) = self else { return nil }
        return UInt64(text)  // nil for signs, fractions, exponents and overflow
    }
}

/// Parses JSON from a byte range with a nesting limit, reporting errors as `ModelFileError`s at
/// absolute file offsets. Duplicate keys in an object are an error.
struct HeaderJSONParser {
    let bytes: UnsafeRawBufferPointer
    let file: String
    /// Absolute file offset of `bytes[0]`.
    let base: Int
    var position = 0
    static let maximumDepth = 16

    init(bytes: UnsafeRawBufferPointer, file: String, base: Int) {
        self.bytes = bytes
        self.file = file
        self.base = base
    }

    /// Parses one value that must span the whole range (surrounding whitespace allowed).
    mutating func parseDocument() throws(ModelFileError) -> HeaderJSON {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected bytes after the JSON header") }
        return value
    }

    func error(_ reason: String, at offset: Int? = nil) -> ModelFileError {
        ModelFileError(file: file, offset: base + (offset ?? position), reason: "invalid header JSON: \(reason)")
    }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func parseValue(depth: Int) throws(ModelFileError) -> HeaderJSON {
        guard depth <= Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
        guard position < bytes.count else { throw error("unexpected end of the header") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character 0x\(String(bytes[position], radix: 16))")
        }
    }

    mutating func expect(_ word: String) throws(ModelFileError) {
        for byte in word.utf8 {
            guard position < bytes.count, bytes[position] == byte else { throw error("expected '\(word)'") }
            position += 1
        }
    }

    mutating func parseObject(depth: Int) throws(ModelFileError) -> HeaderJSON {
        position += 1  // {
        var members: [(key: String, value: HeaderJSON, offset: Int)] = []
        var seen = Set<String>()
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            let keyOffset = position
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw ModelFileError(file: file, offset: base + keyOffset, key: key, reason: "invalid header JSON: duplicate key")
            }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            members.append((key, value, base + keyOffset))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of the header inside an object") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw error("expected ',' or '}'")
        }
    }

    mutating func parseArray(depth: Int) throws(ModelFileError) -> HeaderJSON {
        position += 1  // [
        var elements: [HeaderJSON] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of the header inside an array") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
            throw error("expected ',' or ']'")
        }
    }

    mutating func parseNumber() throws(ModelFileError) -> String {
        let start = position
        func isNumberByte(_ b: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
        }
        while position < bytes.count, isNumberByte(bytes[position]) { position += 1 }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        // Validate the JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        var scalars = Array(text.utf8)[...]
        func digits() -> Int {
            var n = 0
            while let c = scalars.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { scalars.removeFirst(); n += 1 }
            return n
        }
        if scalars.first == UInt8(ascii: "-") { scalars.removeFirst() }
        if scalars.first == UInt8(ascii: "0") {
            scalars.removeFirst()
        } else if digits() == 0 {
            throw error("malformed number '\(text)'", at: start)
        }
        if scalars.first == UInt8(ascii: ".") {
            scalars.removeFirst()
            guard digits() > 0 else { throw error("malformed number '\(text)'", at: start) }
        }
        if scalars.first == UInt8(ascii: "e") || scalars.first == UInt8(ascii: "E") {
            scalars.removeFirst()
            if scalars.first == UInt8(ascii: "+") || scalars.first == UInt8(ascii: "-") { scalars.removeFirst() }
            guard digits() > 0 else { throw error("malformed number '\(text)'", at: start) }
        }
        guard scalars.isEmpty else { throw error("malformed number '\(text)'", at: start) }
        return text
    }

    mutating func parseString() throws(ModelFileError) -> String {
        let start = position
        position += 1  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard position < bytes.count else { throw error("unterminated string", at: start) }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(bytes: utf8, encoding: .utf8) else { throw error("string is not valid UTF-8", at: start) }
                return string
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw error("unterminated string", at: start) }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): utf8.append(0x22)
                case UInt8(ascii: "\\"): utf8.append(0x5C)
                case UInt8(ascii: "/"): utf8.append(0x2F)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate in string")
                        }
                        position += 2
                        let low = try parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw error("unpaired surrogate in string")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    utf8.append(contentsOf: String(Character(unicode)).utf8)
                default: throw error("invalid escape '\\\(Character(Unicode.Scalar(escape)))'", at: position - 2)
                }
            default:
                guard byte >= 0x20 else { throw error("control character in string", at: position - 1) }
                utf8.append(byte)
            }
        }
    }

    mutating func parseHex4() throws(ModelFileError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}

// MARK: - Paths to live values

/// The name of a live value in narration (`{top1.prob}`) and checks (`top1.prob < 0.5`): dotted
/// segments, the first naming what it is about; a segment may carry a quoted argument
/// (`token(" Canberra").prob`). The catalogue of names is in `Docs/LESSONS.md` and `LiveValues`.
public struct LivePath: Sendable, Equatable, Hashable {
    /// One segment: a name and an optional quoted argument.
    public struct Segment: Sendable, Equatable, Hashable {
        public let name: String
        public let argument: String?
    }

    public let segments: [Segment]
    /// The path as written.
    public let text: String

    /// The first segments every path must start with (`top3` is `top` + a number).
    static let roots: Set<String> = [
        "prompt", "text", "view", "tokens", "token", "generated", "top", "entropy", "perplexity", "kept", "vocab",
        "chosen", "draw", "temperature", "top_k", "top_p", "min_p", "seed", "next", "layer", "head", "layers", "heads",
        "kv_heads", "kv_head", "group", "row", "query", "neighbor", "static", "contextual", "hidden", "lens", "kv",
        "prefill", "decode", "context", "overview", "replay", "compare", "guess", "block", "embedding",
    ]

    /// Parses `text`, or says what is wrong.
    public static func parse(_ text: String) throws(LessonSyntaxError) -> LivePath {
        var segments: [Segment] = []
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        while !rest.isEmpty {
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !name.isEmpty else { throw LessonSyntaxError("'\(text)' is not a value name (letters, digits, _ and dots)") }
            rest = rest.dropFirst(name.count)
            var argument: String?
            if rest.hasPrefix("(\"") {
                guard let close = rest.range(of: "\")") else { throw LessonSyntaxError("'\(text)': an argument is not closed with \")") }
                argument = String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound])
                rest = rest[close.upperBound...]
            }
            segments.append(Segment(name: String(name).lowercased(), argument: argument))
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                if rest.isEmpty { throw LessonSyntaxError("'\(text)' ends with a dot") }
            } else if !rest.isEmpty {
                throw LessonSyntaxError("'\(text)': unexpected '\(rest.prefix(1))'")
            }
        }
        guard let first = segments.first else { throw LessonSyntaxError("an empty value name") }
        let root = first.name.trimmingCharacters(in: .decimalDigits)
        guard roots.contains(root) || roots.contains(first.name) else {
            throw LessonSyntaxError("unknown live value '\(text)' (see the list in Docs/LESSONS.md)")
        }
        return LivePath(segments: segments, text: text)
    }

    /// A path when `text` looks like one and starts with a known name; nil for plain words.
    static func parseIfPath(_ text: String) throws(LessonSyntaxError) -> LivePath? {
        let head = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" }.lowercased()
        let root = head.trimmingCharacters(in: .decimalDigits)
        guard roots.contains(root) || roots.contains(head) else { return nil }
        return try parse(text)
    }

    /// Every `{path}` in `text` with its range; `{{` and `}}` are literal braces. Scans UTF-8
    /// bytes (the braces are ASCII, so every index found is a character boundary): narration is
    /// scanned at every frame.
    public static func placeholders(in text: String) throws(LessonSyntaxError) -> [(path: LivePath, range: Range<String.Index>)] {
        var out: [(LivePath, Range<String.Index>)] = []
        let bytes = text.utf8
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == open || byte == close else {
                index = bytes.index(after: index)
                continue
            }
            let next = bytes.index(after: index)
            if next < bytes.endIndex, bytes[next] == byte {
                index = bytes.index(after: next)  // `{{` or `}}`: a literal brace
                continue
            }
            if byte == open {
                guard let end = bytes[next...].firstIndex(of: close) else { throw LessonSyntaxError("a '{' is not closed with '}'") }
                let inner = String(text[next..<end])
                out.append((try parse(inner), index..<bytes.index(after: end)))
                index = bytes.index(after: end)
                continue
            }
            index = next
        }
        return out
    }
}

/// A live value: a number with how it is shown, or text.
public enum LiveValue: Sendable, Equatable {
    case number(Double, display: String)
    case text(String)

    /// As narration shows it.
    public var display: String {
        switch self {
        case .number(_, let display): display
        case .text(let text): text
        }
    }

    /// As checks compare it.
    var plain: String {
        switch self {
        case .number(let n, _): String(n)
        case .text(let text): text
        }
    }
}

/// Why a live value could not be read in the current state.
public struct LiveValueError: Error, Sendable, Equatable {
    /// What is missing or wrong.
    public let reason: String
    init(_ reason: String) { self.reason = reason }
}

import TokenscopeTransformer

// MARK: - Setups written as text

/// A setup directive with a value it cannot take; `reason` says what it takes.
public struct SetupDirectiveError: Error, Sendable, Equatable {
    /// What is wrong.
    public let reason: String
    /// An error saying `reason`.
    public init(_ reason: String) { self.reason = reason }
}

extension Setup {
    /// Every directive `set(_:_:)` knows, for messages and the docs (a lesson's ```` ```setup ````
    /// block writes them as `name: value`, a demo script's step as `name value`).
    public static let directives = ["prompt", "chat", "view", "token", "layer", "head", "mode", "attention", "query",
                                    "sampler", "temperature", "top-k", "top-p", "min-p", "seed", "second-prompt", "keys"]

    /// Sets the field a directive names from its value as written: the one grammar of lesson setups
    /// and demo scripts. Values may be double-quoted with `\n`, `\t`, `\"` and `\\` escapes; an
    /// unquoted `\n` is a line break too.
    public mutating func set(_ name: String, _ value: String) throws(SetupDirectiveError) {
        func number<T: LosslessStringConvertible & Comparable>(_ type: T.Type, _ range: ClosedRange<T>) throws(SetupDirectiveError) -> T {
            guard let x = T(value), range.contains(x) else {
                throw SetupDirectiveError("\(name) must be a number from \(range.lowerBound) to \(range.upperBound), not '\(value)'")
            }
            return x
        }
        switch name {
        case "prompt":
            let text = value.hasPrefix("\"") ? try Self.unquoted(value) : value.replacingOccurrences(of: "\\n", with: "\n")
            guard !text.isEmpty else { throw SetupDirectiveError("'prompt' needs text") }
            prompt = text
        case "chat":
            switch value.lowercased() {
            case "on", "yes", "true": chat = true
            case "off", "no", "false": chat = false
            default: throw SetupDirectiveError("chat must be on or off, not '\(value)'")
            }
        case "view":
            if let kind = ViewKind(rawValue: value.lowercased()) {
                view = kind
            } else if let index = Int(value), (1...ViewKind.allCases.count).contains(index) {
                view = ViewKind.allCases[index - 1]
            } else {
                throw SetupDirectiveError("unknown view '\(value)'; views: \(ViewKind.viewNames) (or 1–\(ViewKind.allCases.count), the tab numbers)")
            }
        case "token":
            switch value.lowercased() {
            case "last": token = .position(-1)
            case "first": token = .position(0)
            default:
                if let n = Int(value), abs(n) <= 1_000_000 {
                    token = .position(n)
                } else if value.hasPrefix("\"") {
                    token = .text(try Self.unquoted(value))
                } else {
                    throw SetupDirectiveError("token must be a position from 0 (negative counts from the end), first, last or a quoted token text, not '\(value)'")
                }
            }
        case "layer": layer = try number(Int.self, 0...1000)
        case "head": head = try number(Int.self, 0...1000)
        case "mode":
            switch value.lowercased() {
            case "head": attentionMode = .head
            case "layer": attentionMode = .layer
            case "overview": attentionMode = .overview
            default: throw SetupDirectiveError("mode must be head, layer or overview, not '\(value)'")
            }
        case "attention":
            let names = Set(value.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "none" && !$0.isEmpty })
            let unknown = names.subtracting(Self.attentionToggleNames)
            guard unknown.isEmpty else { throw SetupDirectiveError("unknown attention toggle '\(unknown.sorted()[0])' (log, hide-first, average, scores, none)") }
            attentionToggles = names
        case "query": query = try Self.unquoted(value)
        case "sampler":
            switch value.lowercased() {
            case "default":
                let d = SamplerSettings()
                temperature = d.temperature; topK = d.topK; topP = d.topP; minP = d.minP; seed = d.seed
            case "greedy":
                temperature = 0; topK = 0; topP = 1; minP = 0
            case "off", "none":
                temperature = 1; topK = 0; topP = 1; minP = 0
            default: throw SetupDirectiveError("sampler must be default, greedy or off (temperature 1, no filters), not '\(value)'")
            }
        case "temperature": temperature = try number(Float.self, SamplerSettings.knobTemperature)
        case "top-k": topK = try number(Int.self, SamplerSettings.knobTopK)
        case "top-p": topP = try number(Float.self, SamplerSettings.knobTopP)
        case "min-p": minP = try number(Float.self, SamplerSettings.knobMinP)
        case "seed": seed = try number(UInt64.self, 0...UInt64.max)
        case "second-prompt":
            let text = value.hasPrefix("\"") ? try Self.unquoted(value) : value.replacingOccurrences(of: "\\n", with: "\n")
            guard !text.isEmpty else { throw SetupDirectiveError("'second-prompt' needs text, or 'off'") }
            secondPrompt = text.lowercased() == "off" ? "" : text
        case "keys":
            let text = try Self.unquoted(value)
            guard !text.isEmpty else { throw SetupDirectiveError("'keys' needs keys, e.g. keys <Down><Enter>") }
            keys = (keys ?? "") + text
        default:
            throw SetupDirectiveError("unknown setup directive '\(name)' (\(Self.directives.joined(separator: ", ")))")
        }
    }

    /// A value as written, or the inside of `"…"` with `\n`, `\t`, `\"` and `\\` escapes.
    public static func unquoted(_ value: String) throws(SetupDirectiveError) -> String {
        guard value.hasPrefix("\"") else { return value }
        guard value.count >= 2, value.hasSuffix("\""), !value.hasSuffix("\\\"") || value.hasSuffix("\\\\\"") else {
            throw SetupDirectiveError("a quoted value is not closed with \"")
        }
        var out = ""
        var escaped = false
        for c in value.dropFirst().dropLast() {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\"", "\\": out.append(c)
                default: throw SetupDirectiveError("unknown escape '\\\(c)' (\\n, \\t, \\\", \\\\)")
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}

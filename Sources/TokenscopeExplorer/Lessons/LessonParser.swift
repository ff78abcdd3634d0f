import Foundation
import TokenscopeTransformer

// MARK: - Reading lesson files

/// Parses the lesson format (`Docs/LESSONS.md`): a `# title`, a ```` ```lesson ```` block (minutes,
/// summary), then one `## heading` per step with an optional ```` ```setup ```` block, narration
/// paragraphs and an optional ```` ```task ```` block. Errors name the file, the line and what is wrong.
public enum LessonParser {
    /// Reads and parses a lesson file.
    public static func load(_ url: URL) throws(AssetError) -> Lesson {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw AssetError(file: url.path, line: nil, reason: "cannot read the lesson: \(error.localizedDescription)")
        }
        return try parse(text, file: url.path, name: name(of: url))
    }

    /// The lesson name of a file: `04-attention.md` → `attention`.
    public static func name(of url: URL) -> String {
        let base = url.deletingPathExtension().lastPathComponent
        let digits = base.prefix { $0.isNumber }
        return !digits.isEmpty && base.dropFirst(digits.count).hasPrefix("-") ? String(base.dropFirst(digits.count + 1)) : base
    }

    /// One fenced block being read.
    private struct Block {
        let kind: String
        let line: Int
        var lines: [(Int, String)] = []
    }

    /// A step being read.
    private struct Draft {
        let title: String
        let line: Int
        var setup = StepSetup()
        var expectations: [LessonCondition] = []
        var narration: [String] = []
        var task: LessonTask?
        var sawSetup = false
    }

    /// Parses lesson text; `file` is used in errors, `name` is the lesson's short name.
    public static func parse(_ text: String, file: String, name: String) throws(AssetError) -> Lesson {
        func fail(_ line: Int?, _ reason: String) -> AssetError { AssetError(file: file, line: line, reason: reason) }
        var title: String?
        var minutes: Int?
        var summary: String?
        var drafts: [Draft] = []
        var block: Block?
        let lines = text.components(separatedBy: "\n")
        for (offset, raw) in lines.enumerated() {
            let number = offset + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if var open = block {
                if line == "```" {
                    block = nil
                    try finish(open, into: &drafts, minutes: &minutes, summary: &summary, file: file)
                } else {
                    open.lines.append((number, raw))
                    block = open
                }
                continue
            }
            if line.hasPrefix("```") {
                let kind = line.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased()
                guard ["lesson", "setup", "task"].contains(kind) else {
                    throw fail(number, "unknown block '\(kind)': a lesson has ```lesson, ```setup and ```task blocks")
                }
                if kind == "lesson" {
                    guard drafts.isEmpty else { throw fail(number, "the ```lesson block belongs before the first step") }
                    guard minutes == nil else { throw fail(number, "a second ```lesson block") }
                } else {
                    guard let step = drafts.last else { throw fail(number, "a ```\(kind) block before the first step (## heading)") }
                    if kind == "setup" && step.sawSetup { throw fail(number, "a second ```setup block in step '\(step.title)'") }
                    if kind == "task" && step.task != nil { throw fail(number, "a second ```task block in step '\(step.title)'") }
                    if kind == "setup" { drafts[drafts.count - 1].sawSetup = true }
                }
                block = Block(kind: kind, line: number)
                continue
            }
            if line.hasPrefix("## ") {
                let heading = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                guard title != nil else { throw fail(number, "a step before the `# title` line") }
                guard !heading.isEmpty else { throw fail(number, "a step heading with no title") }
                if let last = drafts.last { try checkDraft(last, file: file) }
                drafts.append(Draft(title: heading, line: number))
                continue
            }
            if line.hasPrefix("# ") && title == nil {
                title = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
                continue
            }
            if line.hasPrefix("#") { throw fail(number, "only one `# title` and `## step` headings are allowed (found '\(line.prefix(20))')") }
            guard !drafts.isEmpty else {
                guard line.isEmpty || title != nil else { throw fail(number, "a lesson starts with a `# title` line") }
                continue  // an introduction before the first step is for people reading the file
            }
            do {
                _ = try LivePath.placeholders(in: raw)
            } catch {
                throw fail(number, error.reason)
            }
            drafts[drafts.count - 1].narration.append(raw)
        }
        if let open = block { throw fail(open.line, "the ```\(open.kind) block is not closed with ```") }
        guard let title else { throw fail(1, "a lesson starts with a `# title` line") }
        guard let minutes, let summary else { throw fail(nil, "no ```lesson block with `minutes:` and `summary:` after the title") }
        guard let last = drafts.last else { throw fail(nil, "no steps: each step starts with a `## heading`") }
        try checkDraft(last, file: file)
        guard drafts[0].setup.prompt != nil else { throw fail(drafts[0].line, "the first step must set a prompt in its ```setup block") }
        let steps = drafts.map { draft in
            LessonStep(title: draft.title, line: draft.line, setup: draft.setup, expectations: draft.expectations,
                       narration: trimmedParagraphs(draft.narration), task: draft.task)
        }
        return Lesson(name: name, title: title, minutes: minutes, summary: summary, file: file, steps: steps)
    }

    private static func checkDraft(_ draft: Draft, file: String) throws(AssetError) {
        guard draft.narration.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw AssetError(file: file, line: draft.line, reason: "step '\(draft.title)' has no narration")
        }
    }

    /// Narration lines without leading and trailing blank lines.
    static func trimmedParagraphs(_ lines: [String]) -> String {
        var lines = lines
        while lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeFirst() }
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    // MARK: Blocks

    /// `key: value` lines of a block (blank lines and `#` comments skipped).
    private static func directives(_ block: Block, file: String) throws(AssetError) -> [(line: Int, key: String, value: String)] {
        var out: [(Int, String, String)] = []
        for (number, raw) in block.lines {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw AssetError(file: file, line: number, reason: "'\(line)' is not a `name: value` directive")
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            out.append((number, key, value))
        }
        return out
    }

    private static func finish(_ block: Block, into drafts: inout [Draft], minutes: inout Int?, summary: inout String?, file: String) throws(AssetError) {
        func fail(_ line: Int, _ reason: String) -> AssetError { AssetError(file: file, line: line, reason: reason) }
        let items = try directives(block, file: file)
        switch block.kind {
        case "lesson":
            for (line, key, value) in items {
                switch key {
                case "minutes":
                    guard let m = Int(value), (1...240).contains(m) else { throw fail(line, "minutes must be a whole number from 1 to 240") }
                    minutes = m
                case "summary":
                    guard !value.isEmpty else { throw fail(line, "an empty summary") }
                    summary = value
                default: throw fail(line, "unknown lesson directive '\(key)' (minutes, summary)")
                }
            }
            if minutes == nil { throw fail(block.line, "the ```lesson block needs `minutes:`") }
            if summary == nil { throw fail(block.line, "the ```lesson block needs `summary:`") }
        case "setup":
            var setup = StepSetup()
            var expectations: [LessonCondition] = []
            for (line, key, value) in items {
                do {
                    if key == "expect" {
                        expectations.append(try LessonCondition.parse(value))
                    } else {
                        try set(key, value, in: &setup)
                    }
                } catch {
                    throw fail(line, error.reason)
                }
            }
            drafts[drafts.count - 1].setup = setup
            drafts[drafts.count - 1].expectations = expectations
        default:
            var goal: String?, action: String?, check: LessonCondition?
            var hints: [String] = []
            for (line, key, value) in items {
                do throws(LessonSyntaxError) {
                    switch key {
                    case "goal":
                        _ = try LivePath.placeholders(in: value)
                        goal = value
                    case "do": action = try unquoted(value)
                    case "check": check = try LessonCondition.parse(value)
                    case "hint":
                        _ = try LivePath.placeholders(in: value)
                        hints.append(value)
                    default: throw LessonSyntaxError("unknown task directive '\(key)' (goal, do, check, hint)")
                    }
                } catch {
                    throw fail(line, error.reason)
                }
            }
            guard let goal else { throw fail(block.line, "the task needs `goal:` (what the learner is asked to do)") }
            guard let action else { throw fail(block.line, "the task needs `do:` (the keys that do it, for --check)") }
            guard let check else { throw fail(block.line, "the task needs `check:` (when it is done)") }
            drafts[drafts.count - 1].task = LessonTask(goal: goal, action: action, check: check, hints: hints, line: block.line)
        }
    }

    // MARK: Setup directives

    /// Every setup directive, for errors and the docs.
    public static let setupDirectives = ["prompt", "chat", "view", "token", "layer", "head", "mode", "attention", "query",
                                         "sampler", "temperature", "top-k", "top-p", "min-p", "seed", "keys", "expect"]

    static func set(_ key: String, _ value: String, in setup: inout StepSetup) throws(LessonSyntaxError) {
        switch key {
        case "prompt":
            let prompt = try unquoted(value)
            guard !prompt.isEmpty else { throw LessonSyntaxError("an empty prompt") }
            setup.prompt = prompt
        case "chat": setup.chat = try flag(value)
        case "view":
            guard let view = ViewKind(rawValue: value.lowercased()) ?? Int(value).flatMap({ (1...5).contains($0) ? ViewKind.allCases[$0 - 1] : nil }) else {
                throw LessonSyntaxError("unknown view '\(value)' (\(ViewKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            setup.view = view
        case "token":
            switch value.lowercased() {
            case "last": setup.token = .position(-1)
            case "first": setup.token = .position(0)
            default:
                if let n = Int(value) {
                    setup.token = .position(n)
                } else if value.hasPrefix("\"") {
                    setup.token = .text(try unquoted(value))
                } else {
                    throw LessonSyntaxError("token: a position (0 = first, -1 = last), first, last, or a quoted token text")
                }
            }
        case "layer", "head":
            guard let n = Int(value), n >= 0 else { throw LessonSyntaxError("\(key): a number from 0, as the screens count") }
            if key == "layer" { setup.layer = n } else { setup.head = n }
        case "mode":
            switch value.lowercased() {
            case "head": setup.attentionMode = .head
            case "layer": setup.attentionMode = .layer
            case "overview": setup.attentionMode = .overview
            default: throw LessonSyntaxError("mode: head, layer or overview")
            }
        case "attention":
            let names = Set(value.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "none" && !$0.isEmpty })
            let unknown = names.subtracting(Reducer.attentionToggleNames)
            guard unknown.isEmpty else { throw LessonSyntaxError("unknown attention toggle '\(unknown.sorted()[0])' (log, hide-first, average, scores, none)") }
            setup.attentionToggles = names
        case "query": setup.query = try unquoted(value)
        case "sampler":
            switch value.lowercased() {
            case "default":
                setup.temperature = 0.8; setup.topK = 40; setup.topP = 0.95; setup.minP = 0.05; setup.seed = 42
            case "greedy":
                setup.temperature = 0; setup.topK = 0; setup.topP = 1; setup.minP = 0
            case "off", "none":
                setup.temperature = 1; setup.topK = 0; setup.topP = 1; setup.minP = 0
            default: throw LessonSyntaxError("sampler: default, greedy or off (temperature 1, no filters)")
            }
        case "temperature": setup.temperature = try number(value, key, SamplerSettings.knobTemperature)
        case "top-k":
            guard let k = Int(value), SamplerSettings.knobTopK.contains(k) else { throw LessonSyntaxError("top-k: a whole number from 0 (off) to 200") }
            setup.topK = k
        case "top-p": setup.topP = try number(value, key, SamplerSettings.knobTopP)
        case "min-p": setup.minP = try number(value, key, SamplerSettings.knobMinP)
        case "seed":
            guard let seed = UInt64(value) else { throw LessonSyntaxError("seed: a whole number") }
            setup.seed = seed
        case "keys": setup.keys = try unquoted(value)
        default: throw LessonSyntaxError("unknown setup directive '\(key)' (\(setupDirectives.joined(separator: ", ")))")
        }
    }

    static func number(_ value: String, _ key: String, _ range: ClosedRange<Float>) throws(LessonSyntaxError) -> Float {
        guard let x = Float(value), range.contains(x) else { throw LessonSyntaxError("\(key): a number from \(range.lowerBound) to \(range.upperBound)") }
        return x
    }

    static func flag(_ value: String) throws(LessonSyntaxError) -> Bool {
        switch value.lowercased() {
        case "on", "yes", "true": return true
        case "off", "no", "false": return false
        default: throw LessonSyntaxError("'\(value)': use on or off")
        }
    }

    /// A value as written, or the inside of `"…"` with `\n`, `\t`, `\"` and `\\` escapes.
    static func unquoted(_ value: String) throws(LessonSyntaxError) -> String {
        guard value.hasPrefix("\"") else { return value }
        guard value.count >= 2, value.hasSuffix("\""), !value.hasSuffix("\\\"") || value.hasSuffix("\\\\\"") else {
            throw LessonSyntaxError("a quoted value is not closed with \"")
        }
        var out = ""
        var escaped = false
        for c in value.dropFirst().dropLast() {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\"", "\\": out.append(c)
                default: throw LessonSyntaxError("unknown escape '\\\(c)' (\\n, \\t, \\\", \\\\)")
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

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
        switch AssetText.read(url.path) {
        case .success(let read): text = read
        case .failure(let error): throw AssetError(file: url.path, line: nil, reason: "cannot read the lesson: \(error.reason)")
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
        var setup = Setup()
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
            var setup = Setup()
            var expectations: [LessonCondition] = []
            for (line, key, value) in items {
                if key == "expect" {
                    do { expectations.append(try LessonCondition.parse(value)) } catch { throw fail(line, error.reason) }
                } else {
                    guard Setup.directives.contains(key) else {
                        throw fail(line, "unknown setup directive '\(key)' (\(setupDirectives.joined(separator: ", ")))")
                    }
                    do { try setup.set(key, value) } catch { throw fail(line, error.reason) }
                }
            }
            drafts[drafts.count - 1].setup = setup
            drafts[drafts.count - 1].expectations = expectations
        default:
            var goal: String?, action: String?, check: LessonCondition?, guess: String?
            var hints: [String] = []
            for (line, key, value) in items {
                do throws(LessonSyntaxError) {
                    switch key {
                    case "goal":
                        _ = try LivePath.placeholders(in: value)
                        goal = value
                    case "do": action = try unquoted(value)
                    case "guess":
                        let text = try unquoted(value)
                        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw LessonSyntaxError("guess: the reference guess --check types (a word)") }
                        guess = text
                    case "check": check = try LessonCondition.parse(value)
                    case "hint":
                        _ = try LivePath.placeholders(in: value)
                        hints.append(value)
                    default: throw LessonSyntaxError("unknown task directive '\(key)' (goal, do, check, guess, hint)")
                    }
                } catch {
                    throw fail(line, error.reason)
                }
            }
            guard let goal else { throw fail(block.line, "the task needs `goal:` (what the learner is asked to do)") }
            // A guess task steps with space and is done once the guess is revealed, unless it says otherwise.
            if guess != nil {
                action = action ?? "<Space>"
                if check == nil {
                    do throws(LessonSyntaxError) { check = try LessonCondition.parse(LessonTask.guessRevealedCheck) } catch { throw fail(block.line, error.reason) }
                }
            }
            guard let action else { throw fail(block.line, "the task needs `do:` (the keys that do it, for --check)") }
            guard let check else { throw fail(block.line, "the task needs `check:` (when it is done)") }
            var task = LessonTask(goal: goal, action: action, check: check, hints: hints, line: block.line)
            task.guess = guess
            drafts[drafts.count - 1].task = task
        }
    }

    // MARK: Setup directives

    /// Every setup directive, for errors and the docs: those of `Setup` and `expect`.
    public static let setupDirectives = Setup.directives + ["expect"]

    /// A value as written, or the inside of `"…"` with `\n`, `\t`, `\"` and `\\` escapes.
    static func unquoted(_ value: String) throws(LessonSyntaxError) -> String {
        do { return try Setup.unquoted(value) } catch { throw LessonSyntaxError(error.reason) }
    }
}

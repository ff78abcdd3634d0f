import Foundation
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Demo scripts

/// A teacher's prepared demo: a plain-text file of steps, each a setup (prompt, view, selection,
/// sampler settings), keys to press and speaker notes (format in Docs/PRESENTING.md). Step N is
/// reached by replaying steps 1…N from a fresh start, so going back shows exactly the screen seen
/// before.
public struct DemoScript: Sendable, Equatable {
    /// One step of the demo.
    public struct Step: Sendable, Equatable {
        /// The step's title (shown in the presenter strip).
        public var title: String
        /// What the step changes before its keys.
        public var setup = Setup()
        /// Keys pressed after the setup (input-script syntax, see `InputScript`).
        public var keys = ""
        /// Speaker notes, one entry per line.
        public var notes: [String] = []
        /// Where the step starts in the file (1-based), for messages.
        public var line: Int
    }

    /// The demo's title.
    public var title: String?
    /// The theme the script asks for (the command line wins).
    public var theme: String?
    /// The steps, in order.
    public var steps: [Step]

    /// The actions that lead from any state to step `index` (0-based): a restart on the first
    /// step's prompt (or `defaultPrompt`), then every step's setup and keys up to `index`.
    public func actions(through index: Int, defaultPrompt: String) -> [Action] {
        guard !steps.isEmpty else { return [] }
        var restart = Setup()
        restart.restart = true
        restart.prompt = steps[0].setup.prompt ?? defaultPrompt
        restart.chat = steps[0].setup.chat
        var actions = restart.actions
        for (offset, step) in steps[0...min(max(0, index), steps.count - 1)].enumerated() {
            var setup = step.setup
            if offset == 0 {
                setup.prompt = nil
                setup.chat = nil
            }
            actions += setup.actions
            actions += InputScript.parse(step.keys).map(Action.init)
        }
        return actions
    }
}

// MARK: - Parsing

/// A malformed or unreadable demo script: `file:line: what is wrong`.
public struct DemoScriptError: Error, CustomStringConvertible, Equatable {
    public let file: String
    /// The line (1-based), or nil for the whole file.
    public let line: Int?
    public let message: String

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

extension DemoScript {
    /// Reads and parses the script at `path`.
    public static func load(path: String) throws(DemoScriptError) -> DemoScript {
        let text: String
        switch AssetText.read(path) {
        case .success(let read): text = read
        case .failure(let error): throw DemoScriptError(file: path, line: nil, message: "cannot read the script: \(error.reason)")
        }
        return try parse(text, file: path)
    }

    /// The commands a script may use (for messages).
    static let commands = ["title", "theme", "step"] + Setup.directives.filter { $0 != "keys" } + ["keys", "note"]

    /// Parses a script's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(DemoScriptError) -> DemoScript {
        var script = DemoScript(title: nil, theme: nil, steps: [])
        var step: Step?
        func fail(_ line: Int, _ message: String) -> DemoScriptError { DemoScriptError(file: file, line: line, message: message) }
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let command: String, argument: String
            if let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) {
                command = trimmed[..<space].lowercased()
                argument = trimmed[space...].trimmingCharacters(in: .whitespaces)
            } else {
                command = trimmed.lowercased()
                argument = ""
            }
            switch command {
            case "title":
                guard step == nil else { throw fail(number, "'title' names the whole demo: put it before the first 'step'") }
                script.title = argument
                continue
            case "theme":
                guard step == nil else { throw fail(number, "'theme' applies to the whole demo: put it before the first 'step'") }
                guard !argument.isEmpty else { throw fail(number, "'theme' needs a name") }
                script.theme = argument
                continue
            case "step":
                if let step { script.steps.append(step) }
                step = Step(title: argument.isEmpty ? "step \(script.steps.count + 1)" : argument, line: number)
                continue
            default:
                break
            }
            guard var current = step else {
                if commands.contains(command) { throw fail(number, "'\(command)' before the first 'step': start a step with 'step TITLE'") }
                throw fail(number, "unknown command '\(command)'; commands: \(commands.joined(separator: ", "))")
            }
            switch command {
            case "keys":
                guard !argument.isEmpty else { throw fail(number, "'keys' needs keys, e.g. keys <Down><Enter>") }
                current.keys += argument
            case "note":
                current.notes.append(argument)
            case _ where Setup.directives.contains(command):
                do { try current.setup.set(command, argument) } catch { throw fail(number, error.reason) }
            default:
                throw fail(number, "unknown command '\(command)'; commands: \(commands.joined(separator: ", "))")
            }
            step = current
        }
        if let step { script.steps.append(step) }
        guard !script.steps.isEmpty else {
            throw DemoScriptError(file: file, line: nil, message: "the script has no steps (start one with 'step TITLE')")
        }
        return script
    }
}

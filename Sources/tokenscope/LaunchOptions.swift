import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Opening the explorer at a prepared state

/// The options that open the explorer (or `render`) at a prepared state: the view, the selected
/// token, layer and head (counted from 0, as the screen shows them), the sampler settings, and keys
/// to press once the prompt has run.
struct LaunchOptions: ParsableArguments {
    @Option(name: .long, help: "The view: \(ViewKind.viewNames) (or 1–\(ViewKind.allCases.count), the tab numbers; an encoder's 2 is similarity).") var view: String?
    @Option(name: .long, help: "Select token N (from 0, as the header shows it; default: the last).") var token: Int?
    @Option(name: .long, help: "The attention layer (from 0).") var layer: Int?
    @Option(name: .long, help: "The attention head (from 0).") var head: Int?
    @Option(name: .long, help: "Sampling temperature, 0–2 (0 = greedy).") var temperature: Float?
    @Option(name: .customLong("top-k"), help: "Keep the K most likely tokens, 0–200 (0 = off).") var topK: Int?
    @Option(name: .customLong("top-p"), help: "Nucleus threshold, 0.05–1 (1 = off).") var topP: Float?
    @Option(name: .customLong("min-p"), help: "Drop tokens below M × the top probability, 0–0.5 (0 = off).") var minP: Float?
    @Option(name: .long, help: "Seed of the sampler's draws.") var seed: UInt64?
    @Option(name: .customLong("second-prompt"), help: ArgumentHelp(
        "Open the side by side of two prompts with TEXT as the second (B): Δp in the sampling view, the same head on both in the attention view.",
        valueName: "text"))
    var secondPrompt: String?
    @Flag(name: .long, help: "Presenter mode: the main figure of each view big, little chrome (b toggles it).") var present = false
    @Option(name: .long, help: "Keys to press after the prompt has run, or @FILE to read them from a file (as written by --record-keys).")
    var keys: String = ""

    /// Checks the options before anything loads: a bad value is a usage error (exit 64).
    func validate() throws {
        do { _ = try setup() } catch let failure as CommandFailure { throw ValidationError(failure.description) }
        if keys.hasPrefix("@") == false, let name = InputScript.unknownName(in: keys) {
            throw ValidationError("--keys: <\(name)> is not a key name; known: \(Key.knownNames); <lt> types a literal '<'")
        }
    }

    /// The setup these options describe (no prompt: the caller runs it first).
    func setup() throws -> Setup {
        var setup = Setup()
        if let view {
            if let kind = ViewKind(rawValue: view.lowercased()) {
                setup.view = kind
            } else if let index = Int(view), (1...ViewKind.allCases.count).contains(index) {
                setup.view = ViewKind.allCases[index - 1]
            } else {
                throw CommandFailure("unknown view '\(view)'; use one of: \(ViewKind.viewNames) (or 1–\(ViewKind.allCases.count), the tab numbers)")
            }
        }
        func check<T: Comparable>(_ value: T?, _ name: String, _ range: ClosedRange<T>) throws -> T? {
            guard let value else { return nil }
            guard range.contains(value) else { throw CommandFailure("--\(name) must be from \(range.lowerBound) to \(range.upperBound), not \(value)") }
            return value
        }
        setup.token = try check(token, "token", 0...Int.max).map { .position($0) }
        setup.layer = try check(layer, "layer", 0...Int.max)
        setup.head = try check(head, "head", 0...Int.max)
        setup.temperature = try check(temperature, "temperature", SamplerSettings.knobTemperature)
        setup.topK = try check(topK, "top-k", SamplerSettings.knobTopK)
        setup.topP = try check(topP, "top-p", SamplerSettings.knobTopP)
        setup.minP = try check(minP, "min-p", SamplerSettings.knobMinP)
        setup.seed = seed
        if let secondPrompt {
            guard !secondPrompt.isEmpty else { throw CommandFailure("--second-prompt needs text") }
            setup.secondPrompt = secondPrompt
        }
        if present { setup.presenting = true }
        return setup
    }

    /// The input of `--keys`, read from the file when it starts with `@` (a final line break is
    /// not a key).
    func input() throws -> [Action] {
        guard keys.hasPrefix("@") else { return try Self.parse(keys) }
        let path = String(keys.dropFirst())
        guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8) else {
            throw CommandFailure("--keys @\(path): cannot read the file")
        }
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return try Self.parse(text)
    }

    /// The actions of a script, or an error naming the first bracketed word that is no key.
    static func parse(_ script: String) throws -> [Action] {
        if let name = InputScript.unknownName(in: script) {
            throw ValidationError("--keys: <\(name)> is not a key name; known: \(Key.knownNames); <lt> types a literal '<'")
        }
        return InputScript.parse(script).map(Action.init)
    }

    /// Everything to send after the runtime has started on the prompt: the setup, then the keys.
    func actions() throws -> [Action] { try setup().actions + input() }
}

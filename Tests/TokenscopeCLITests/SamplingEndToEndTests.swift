import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - Stepping through generation in the real explorer, in tmux

/// Drives the built binary on the real default model in tmux: types a prompt, steps greedily and
/// compares with `tokenscope generate`, changes the filters, forces and undoes a token.
@Suite("Sampling end to end", .serialized, .enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct SamplingEndToEndTests {
    static let prompt = "The quick brown fox"

    /// The text as the tokens view's chips spell it (whitespace made visible).
    static func visible(_ text: String) -> String {
        text.replacingOccurrences(of: " ", with: "␣").replacingOccurrences(of: "\n", with: "↵").replacingOccurrences(of: "\t", with: "⇥")
    }

    /// The chips of the tokens view, read off the screen: the rows between the tabs and the counts line.
    static func chipText(_ screen: String) -> String {
        let lines = screen.components(separatedBy: "\n")
        guard let counts = lines.firstIndex(where: { $0.contains(" characters · ") && $0.contains(" tokens · ") }) else { return "" }
        // Whitespace inside tokens is drawn as ␣ ↵ ⇥, so plain spaces are only gaps between chips
        // (monochrome terminals) and margins.
        return lines[2..<counts].joined().replacingOccurrences(of: " ", with: "")
    }

    /// `token N · M / 8 192 tokens` in the header (N counts from 0), as (N + 1, M): the last token
    /// is selected when the two are equal.
    static func position(_ screen: String) -> (Int, Int)? {
        guard let first = screen.components(separatedBy: "\n").first,
            let match = first.firstMatch(of: /token (\d+) · (\d+) \//), let selected = Int(match.1), let count = Int(match.2)
        else { return nil }
        return (selected + 1, count)
    }

    /// Presses `key` and waits until the sequence has `count` tokens with the last one selected and nothing busy.
    static func waitForCount(_ session: TmuxSession, _ count: Int, timeout: Double = 30) throws -> String {
        try session.waitFor("\(count) tokens, idle", timeout: timeout) { screen in
            guard let (selected, total) = position(screen) else { return false }
            return selected == count && total == count && !screen.contains("⏳")
        }
    }

    @Test func greedyStepsMatchGenerateAndForcingUndoes() throws {
        try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        // The reference: the CLI's greedy generation for the same prompt, in the explorer's
        // arithmetic. `generate` decodes with int8 activations by default and the explorer with
        // f32 ones; their logits differ by the int8 rounding, which decides near ties (after
        // eight tokens here " bear" leads " fox" clearly in f32 and by a hair in int8, where a
        // different summation order in the prompt's forward pass can flip it).
        var environment = ProcessInfo.processInfo.environment
        environment["TOKENSCOPE_ACTIVATIONS"] = "float"
        let generated = try ProcessRunner.run(binary, ["generate", "--temperature", "0", "-n", "10", Self.prompt], environment: environment)
        try #require(generated.status == 0, "tokenscope generate failed: \(generated.stderr)")
        var expected = generated.stdout
        if expected.hasSuffix("\n") { expected.removeLast() }

        let session = try TmuxSession(width: 120, height: 40, command: "'\(binary)'")
        defer { session.kill() }
        try session.waitFor(text: "ran 5 prompt tokens", timeout: 60)

        // Type the prompt in the editor (clear the default one first).
        try session.send("e")
        try session.waitFor(text: "Prompt (Enter runs it")
        for _ in 0..<40 { try session.send("BSpace") }
        try session.send(Self.prompt, literal: true)
        try session.send("Enter")
        let loaded = try session.waitFor("the new prompt to run", timeout: 30) { $0.contains("prompt tokens") && Self.chipText($0) == Self.visible(Self.prompt) }
        let promptCount = try #require(Self.position(loaded)?.1)

        // Greedy: temperature down to 0 in the sampling view.
        try session.send("2")
        for _ in 0..<8 { try session.send("t") }
        try session.waitFor(text: "temperature 0.0 (greedy)")
        for step in 1...10 {
            try session.send("Space")
            _ = try Self.waitForCount(session, promptCount + step)
        }
        try session.send("1")
        let afterSteps = try session.waitFor(text: " characters · ")
        let greedyText = Self.chipText(afterSteps)
        #expect(greedyText == Self.visible(Self.prompt + expected), "explorer: \(greedyText)\ngenerate: \(Self.visible(Self.prompt + expected))")

        // Temperature 1.0 and top-p 0.70: candidates beyond the nucleus are marked (and dimmed).
        try session.send("2")
        for _ in 0..<10 { try session.send("T") }
        for _ in 0..<5 { try session.send("p") }
        let filtered = try session.waitFor(text: "top-p 0.70")
        #expect(filtered.contains("temperature 1.0"))
        #expect(filtered.contains("✗ top-p") || filtered.contains("✗ top-k"), "no filtered candidate marked:\n\(filtered)")

        // Force the second-ranked candidate, check it was appended, then undo it.
        try session.send("Down")
        let highlighted = try session.waitFor(text: "✗")
        let rows = highlighted.components(separatedBy: "\n")
        let second = try #require(rows.first { $0.range(of: #"^ [ ▶][ ◆]\s+2 "#, options: .regularExpression) != nil }, "no rank-2 row:\n\(highlighted)")
        let afterRank = second.replacingOccurrences(of: #"^ [ ▶][ ◆]\s+2 "#, with: "", options: .regularExpression)
        let secondToken = String(afterRank.prefix { $0 != " " })
        try #require(!secondToken.isEmpty)
        try session.send("Enter")
        _ = try Self.waitForCount(session, promptCount + 11)
        try session.send("1")
        let forced = try session.waitFor(text: " characters · ")
        let forcedText = Self.chipText(forced)
        #expect(forcedText.hasPrefix(greedyText) && forcedText.dropFirst(greedyText.count).hasPrefix(secondToken.replacingOccurrences(of: "…", with: "")),
                "forced text \(forcedText) does not end with the second candidate \(secondToken)")
        #expect(forced.contains("rank 2"), "the forced token's details should say rank 2:\n\(forced)")
        try session.send("u")
        let undone = try Self.waitForCount(session, promptCount + 10)
        #expect(Self.chipText(undone) == greedyText)
        try session.send("q")
    }
}

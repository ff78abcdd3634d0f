import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - Side by side of two prompts, on the real model in tmux

@Suite("Side by side of two prompts end to end (real model, tmux)", .serialized,
       .enabled(if: ModelFixture.shouldRun, "needs the cached SmolLM2 model: run `tokenscope fetch`"))
struct SideBySideEndToEndTests {
    static let prompt = "The capital of France is"

    /// Whether the screen is settled: the model idle and both sides drawn.
    static func idle(_ screen: String) -> Bool { !screen.contains("⏳") && !screen.contains("computing") }

    @Test func opensEditsTheSecondPromptAndLeaves() throws {
        _ = try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let session = try TmuxSession(width: 80, height: 24, command: "env -u NO_COLOR -u COLORTERM \(binary) --view attention '\(Self.prompt)'",
                                      environment: ["TERM": "xterm-256color"])
        defer { session.kill() }
        try session.waitFor("the attention view, idle", timeout: 60) { $0.contains("attends to") && Self.idle($0) }

        // | opens the editor on B, holding A's text: change its last two words.
        try session.send("|", literal: true)
        try session.waitFor(text: "Second prompt, B")
        for _ in 0..<9 { try session.send("BSpace") }
        try session.send("Italy is", literal: true)
        try session.send("Enter")
        var screen = try session.waitFor("both maps", timeout: 60) {
            $0.contains("B  The capital of Italy is") && $0.components(separatedBy: "attends to").count == 3 && Self.idle($0)
        }
        #expect(screen.contains("A  The capital of France is"))
        #expect(screen.contains(" ␣France ") && screen.contains("│ ␣Italy "), "B's tokens label B's rows:\n\(screen)")

        // The sampling view shows Δp: ␣Paris loses, ␣Rome gains.
        try session.send("2")
        screen = try session.waitFor("the next-token comparison", timeout: 60) { $0.contains("p after B") && $0.contains("␣Rome") && Self.idle($0) }
        let paris = try #require(screen.split(separator: "\n").first { $0.hasPrefix(" ␣Paris ") })
        let rome = try #require(screen.split(separator: "\n").first { $0.hasPrefix(" ␣Rome ") })
        // Δp in percentage points ends each row (llama.cpp on the same file: ␣Paris −76.7, ␣Rome +38.8).
        let delta = { (row: Substring) in Double(row.split(separator: " ").last ?? "") ?? .nan }
        #expect(delta(paris) < -60 && delta(rome) > 25, "\(paris)\n\(rome)")

        // E edits B again.
        try session.send("E")
        try session.waitFor(text: "Second prompt, B")
        for _ in 0..<8 { try session.send("BSpace") }
        try session.send("Spain is", literal: true)
        try session.send("Enter")
        screen = try session.waitFor("B is Spain", timeout: 60) { $0.contains("B  The capital of Spain is") && $0.contains("␣Madrid") && Self.idle($0) }
        #expect(screen.contains("A  The capital of France is"), "A is untouched")

        // | leaves: the sampling view as it was.
        try session.send("|", literal: true)
        screen = try session.waitFor("the plain sampling view") { !$0.contains("p after B") && $0.contains("␣Paris") && Self.idle($0) }
        #expect(!screen.contains("B  The capital"))
        // The headless render with the same keys ends on the same screen.
        let keys = "|" + String(repeating: "<BS>", count: 9) + "Italy is<Enter>2E" + String(repeating: "<BS>", count: 8) + "Spain is<Enter>|"
        let render = try ProcessRunner.run(binary, ["render", "--view", "attention", "--size", "80x24", "--keys", keys, Self.prompt])
        #expect(render.status == 0, "\(render.stderr)")
        #expect(RecordingEndToEndTests.normalised(render.stdout) == RecordingEndToEndTests.normalised(screen))
    }
}

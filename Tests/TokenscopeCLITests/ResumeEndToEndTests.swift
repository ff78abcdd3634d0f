import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - --resume keeps the side by side's second prompt

/// Quitting saves the session, and `--resume` brings back the side by side of two prompts with its
/// second prompt (B), not only the prompt on screen (A).
@Suite("Resume end to end (real model, tmux)", .serialized,
       .enabled(if: ModelFixture.shouldRun, "needs the cached SmolLM2 model: run `tokenscope fetch`"))
struct ResumeEndToEndTests {
    static func idle(_ screen: String) -> Bool { !screen.contains("⏳") && !screen.contains("computing") }

    @Test func resumeBringsBackTheSecondPrompt() throws {
        _ = try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-state-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let environment = ["TERM": "xterm-256color", "XDG_STATE_HOME": state]
        let session = try TmuxSession(width: 80, height: 24,
                                      command: "env -u NO_COLOR \(binary) --no-color --view attention --second-prompt 'The nurse said that' 'The doctor said that'",
                                      environment: environment)
        defer { session.kill() }
        let before = try session.waitFor("both prompts", timeout: 60) {
            $0.contains("A  The doctor said that") && $0.contains("B  The nurse said that") && $0.components(separatedBy: "attends to").count == 3 && Self.idle($0)
        }
        try session.send("q")
        try session.waitFor("the explorer to quit", timeout: 10) { !$0.contains("Tokenscope │") }
        let saved = try String(contentsOfFile: state + "/tokenscope/last-session.json", encoding: .utf8)
        #expect(saved.contains("\"secondPrompt\" : \"The nurse said that\""), "\(saved)")

        let resumed = try TmuxSession(width: 80, height: 24, command: "env -u NO_COLOR \(binary) --resume --no-color", environment: environment)
        defer { resumed.kill() }
        let screen = try resumed.waitFor("the resumed side by side", timeout: 60) {
            $0.contains("A  The doctor said that") && $0.contains("B  The nurse said that") && $0.components(separatedBy: "attends to").count == 3 && Self.idle($0)
        }
        let keep = { (s: String) in Array(RecordingEndToEndTests.normalised(s).dropLast()) }
        #expect(keep(screen) == keep(before), "the same screen (but the status line)")
    }
}

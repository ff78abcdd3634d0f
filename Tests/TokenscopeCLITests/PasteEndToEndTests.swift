import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - Bracketed paste in a real terminal (tmux), end to end

/// tmux's `paste-buffer -p` wraps the text in ESC[200~ … ESC[201~ only when the program switched
/// bracketed paste on, as a desktop terminal does. So this checks both halves: the explorer asks for
/// it (pasted "q" and digits are text, not commands) and switches it off again when it quits.
@Suite("Paste end to end", .enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct PasteEndToEndTests {
    @Test func pasteOpensTheEditorAndTheModeIsOffAfterQuitting() throws {
        try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let command = "'\(binary)' 'The capital of France is'; echo exit=$?; echo after:; cat -v"
        let session = try TmuxSession(width: 120, height: 40, command: "sh -c \"\(command)\"", environment: ["TERM": "xterm-256color"])
        defer { session.kill() }
        try session.waitFor(text: "ran 5 prompt tokens", timeout: 60)

        // Letters that are commands when typed ("q" quits, "2" switches view) arrive as text.
        try session.tmux(["set-buffer", "-b", "probe", "q2 The capital of Italy is"])
        try session.tmux(["paste-buffer", "-p", "-b", "probe", "-t", session.name])
        try session.waitFor(text: "q2 The capital of Italy is")
        try session.waitFor(text: "pasted 26 characters: Enter runs them")
        #expect(try session.capture().contains("Prompt (Enter runs it"))
        try session.send("Enter")
        try session.waitFor(text: "ran 7 prompt tokens", timeout: 60)

        // A multi-line paste keeps its line break (shown as ↵) instead of running the prompt early.
        try session.tmux(["set-buffer", "-b", "lines", "first line\nsecond"])
        try session.tmux(["paste-buffer", "-p", "-b", "lines", "-t", session.name])
        try session.waitFor(text: "first line↵second")
        try session.send("Escape")
        try session.waitFor("the editor closed") { !$0.contains("Prompt (Enter runs it") }

        try session.send("q")
        try session.waitFor(text: "quit?")
        try session.send("y")
        try session.waitFor(text: "after:", timeout: 20)
        // Now `cat -v` reads the terminal: a paste must arrive without the ESC[200~ wrapper.
        try session.tmux(["set-buffer", "-b", "plain", "plain-paste\n"])
        try session.tmux(["paste-buffer", "-p", "-b", "plain", "-t", session.name])
        let screen = try session.waitFor(text: "plain-paste")
        #expect(!screen.contains("[200~"), "bracketed paste was left on after quitting:\n\(screen)")
        #expect(screen.split(separator: "\n").contains { $0.hasPrefix("exit=0") })
    }
}

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

    /// Bytes that are not UTF-8 in a paste become U+FFFD and the text after them is kept (curses'
    /// get_wch stopped at 0xFF and the rest was lost); an ESC in a paste is kept and shown as ␛,
    /// with a note on the status line, not turned into a space or a key. The model runs on the text.
    @Test func invalidUTF8AndEscapeInAPasteAreKeptVisibly() throws {
        try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let session = try TmuxSession(width: 120, height: 40, command: "'\(binary)' 'The capital of France is'", environment: ["TERM": "xterm-256color"])
        defer { session.kill() }
        try session.waitFor(text: "ran 5 prompt tokens", timeout: 60)

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-paste-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data([0x61, 0x62, 0xFF, 0xFE, 0x63, 0x64]).write(to: file)  // "ab", two bytes UTF-8 never uses, "cd"
        try session.tmux(["load-buffer", "-b", "invalid", file.path])
        try session.tmux(["paste-buffer", "-p", "-b", "invalid", "-t", session.name])
        try session.waitFor(text: "ab\u{FFFD}\u{FFFD}cd")
        try session.waitFor(text: "pasted 6 characters (2 \u{FFFD} stand for bytes that were not UTF-8): Enter runs them, Esc keeps the prompt")

        // An ESC inside the paste (not the end marker) is text: shown as ␛, said on the status line.
        try Data([0x78, 0x1B, 0x79]).write(to: file)
        try session.tmux(["load-buffer", "-b", "escape", file.path])
        try session.tmux(["paste-buffer", "-p", "-b", "escape", "-t", session.name])
        try session.waitFor(text: "ab\u{FFFD}\u{FFFD}cdx\u{241B}y")
        try session.waitFor(text: "pasted 3 characters (1 control character kept, shown as \u{241B})")
        #expect(try session.capture().contains("Prompt (Enter runs it"), "the ESC closed the editor")

        // The model runs on exactly that text: 2 + 3 + 3 + 2 + 1 + 1 + 1 bytes, 9 characters.
        try session.send("Enter")
        let screen = try session.waitFor("the model ran on the pasted text", timeout: 60) {
            $0.contains("9 characters · 13 bytes") && $0.range(of: #"ran \d+ prompt tokens"#, options: .regularExpression) != nil
                && !$0.contains("ran 5 prompt tokens")
        }
        // The chips (a gap between them without colour) spell the text, the ESC escaped.
        let strip = screen.split(separator: "\n").dropFirst(2).first.map { $0.filter { $0 != " " } } ?? ""
        #expect(strip == "ab\u{FFFD}\u{FFFD}cdx\\u001By", "the token strip does not show the text:\n\(screen)")
    }
}

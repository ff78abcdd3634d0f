import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - The explorer in a real terminal (tmux), end to end

/// Starts `tokenscope` on the real default model from a shell inside tmux, switches views, resizes,
/// opens help, quits with q, and checks the terminal settings (`stty -a`) are exactly as before.
/// tmux provides the pty, so this runs in CI without a TTY of its own.
@Suite("Shell end to end")
struct ShellEndToEndTests {
    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
    func exploreResizeHelpQuitLeavesTheTerminalClean() throws {
        try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = directory.appendingPathComponent("before").path, after = directory.appendingPathComponent("after").path

        let session = try TmuxSession(width: 120, height: 40, environment: ["TERM": "xterm-256color", "PS1": "$ "])
        defer { session.kill() }
        try session.type("stty -a > '\(before)'; '\(binary)' 'The capital of France is'; echo exit=$?; stty -a > '\(after)'; echo e2e-$((40+2))-done")

        // The first frame, then the prompt's run coming back from the worker thread.
        try session.waitFor(text: "Tokenscope │", timeout: 60)
        try session.waitFor(text: "ran 5 prompt tokens", timeout: 60)
        try session.send("2")
        try session.waitFor(text: "temperature", timeout: 20)
        try session.send("3")
        try session.waitFor(text: "shares KV head", timeout: 20)
        try session.send("Tab")
        try session.waitFor(text: "nearest to", timeout: 20)

        // Resizes: smaller, too small, back.
        try session.resize(width: 80, height: 24)
        try session.waitFor("an 80-column frame") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.first?.contains("Tokenscope") == true && lines.count <= 25
        }
        try session.resize(width: 30, height: 10)
        try session.waitFor(text: "terminal too small")
        try session.resize(width: 120, height: 40)
        try session.waitFor("the full frame again") { $0.contains("Tokenscope") && !$0.contains("too small") }

        // Help, closed by any key; then quit.
        try session.send("?")
        try session.waitFor(text: "Keys (any key closes)")
        try session.send("Escape")
        try session.waitFor("help closed") { !$0.contains("Keys (any key closes)") }
        try session.send("q")
        let screen = try session.waitFor(text: "e2e-42-done", timeout: 20)
        // The shell's own echo of the command line is on screen too: look for the output line.
        #expect(screen.split(separator: "\n").contains { $0.hasPrefix("exit=0") })
        #expect(!screen.contains("Tokenscope │"), "the explorer's screen is gone (alternate screen restored)")

        let stateBefore = try String(contentsOfFile: before, encoding: .utf8)
        let stateAfter = try String(contentsOfFile: after, encoding: .utf8)
        #expect(!stateBefore.isEmpty)
        #expect(stateBefore == stateAfter, "stty -a differs after quitting")
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"), arguments: ["C-c", "SIGTERM", "SIGHUP"])
    func interruptRestoresTheTerminal(how: String) throws {
        try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = directory.appendingPathComponent("before").path, after = directory.appendingPathComponent("after").path
        let session = try TmuxSession(width: 100, height: 30, environment: ["TERM": "xterm-256color", "PS1": "$ "])
        defer { session.kill() }
        try session.type("stty -a > '\(before)'; '\(binary)'; stty -a > '\(after)'; echo interrupted-$((40+2))-done")
        // The header and the prompt's run: curses is up and the terminal in raw mode.
        try session.waitFor(text: "Tokenscope │", timeout: 60)
        try session.waitFor(text: "prompt tokens", timeout: 60)
        if how.hasPrefix("SIG") {
            // The explorer is the shell's only child.
            let shell = try session.tmux(["display-message", "-p", "-t", session.name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
            let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
            let pid = try #require(children.split(separator: " ").first.flatMap { Int32($0) })
            #expect(kill(pid, how == "SIGTERM" ? SIGTERM : SIGHUP) == 0)
        } else {
            try session.send(how)
        }
        try session.waitFor(text: "interrupted-42-done", timeout: 20)
        #expect(try String(contentsOfFile: before, encoding: .utf8) == String(contentsOfFile: after, encoding: .utf8))
    }

    @Test func withoutATerminalItExitsNamingTheHeadlessCommands() throws {
        let binary = try TokenscopeBinary.require()
        let output = try ProcessRunner.run(binary, ["The capital of France is"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("needs a terminal"))
        #expect(output.stderr.contains("render"))
        #expect(output.stdout.isEmpty)
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
    func anUnknownTerminalTypeIsExplainedNotFatal() throws {
        try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let session = try TmuxSession(width: 120, height: 40, environment: ["PS1": "$ "])
        defer { session.kill() }
        try session.type("TERM=no-such-terminal '\(binary)' 'Hi'; echo exit=$?")
        let screen = try session.waitFor("the exit status", timeout: 60) { $0.split(separator: "\n").contains { $0.hasPrefix("exit=") } }
        #expect(screen.contains("terminal type 'no-such-terminal' is not in the terminfo database"))
        #expect(screen.split(separator: "\n").contains { $0.hasPrefix("exit=1") })
        #expect(!screen.contains("Error opening terminal"), "curses' own exit was not avoided")
    }
}

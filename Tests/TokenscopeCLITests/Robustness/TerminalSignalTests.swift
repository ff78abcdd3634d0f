import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - Terminals that cannot draw, and signals

/// TERM=dumb cannot move the cursor: the explorer refuses to start and says why. A signal
/// (SIGQUIT as well as SIGTERM, SIGHUP, SIGINT) restores the terminal and ends the explorer with
/// status 128 + the signal, as shells expect.
@Suite("Terminal types and signals", .enabled(if: CachedModel.isReady && TmuxSession.isAvailable, "needs tmux, the built binary and the cached model"))
struct TerminalSignalTests {
    @Test func aDumbTerminalIsRefusedWithAReason() throws {
        let binary = try TokenscopeBinary.require()
        let session = try TmuxSession(width: 120, height: 40, environment: ["PS1": "$ "])
        defer { session.kill() }
        try session.type("TERM=dumb '\(binary)' 'Hi'; echo exit=$?")
        let screen = try session.waitFor("the exit status", timeout: 60) { $0.split(separator: "\n").contains { $0.hasPrefix("exit=") } }
        #expect(screen.contains("cannot move the cursor"), "\(screen)")
        #expect(screen.split(separator: "\n").contains { $0.hasPrefix("exit=1") }, "\(screen)")
    }

    @Test(arguments: [("SIGQUIT", SIGQUIT), ("SIGTERM", SIGTERM), ("SIGHUP", SIGHUP), ("SIGINT", SIGINT)])
    func aSignalRestoresTheTerminalAndExitsWith128PlusIt(name: String, signal: Int32) throws {
        let binary = try TokenscopeBinary.require()
        let folder = try CachedModel.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = folder + "/before", after = folder + "/after"
        let session = try TmuxSession(width: 100, height: 30, environment: ["TERM": "xterm-256color", "PS1": "$ "])
        defer { session.kill() }
        try session.type("stty -a > '\(before)'; '\(binary)'; echo status=$?; stty -a > '\(after)'; echo signal-$((40+2))-done")  // the marker is not in the typed line
        try session.waitFor(text: "prompt tokens", timeout: 60)
        let shell = try session.tmux(["display-message", "-p", "-t", session.name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let pid = try #require(children.split(separator: " ").first.flatMap { Int32($0) })
        #expect(kill(pid, signal) == 0)
        let screen = try session.waitFor(text: "signal-42-done", timeout: 20)
        #expect(screen.contains("status=\(128 + signal)"), "\(screen)")
        #expect(!screen.contains("Backtrace") && !screen.contains("Crash"), "\(screen)")
        #expect(try String(contentsOfFile: before, encoding: .utf8) == String(contentsOfFile: after, encoding: .utf8))
    }
}

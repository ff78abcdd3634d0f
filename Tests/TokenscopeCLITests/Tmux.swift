import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - Driving the built binary in tmux

/// A failure while driving tmux, with what was on screen.
struct TmuxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One tmux server of its own (`tmux -L <unique socket>`) with one session, so tests can run in
/// parallel without seeing each other. Poll with `waitFor`; never sleep a fixed time.
final class TmuxSession {
    /// The socket name, unique per session.
    let socket: String
    let name = "main"
    private var alive = true

    /// Whether tmux is installed.
    static var isAvailable: Bool { tmuxPath != nil }

    static let tmuxPath: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Starts a detached session of `width` × `height` running `command` (a shell command line), or
    /// an interactive `sh` when `command` is nil.
    init(width: Int = 120, height: Int = 40, command: String? = nil, environment: [String: String] = [:]) throws {
        guard Self.tmuxPath != nil else { throw TmuxError("tmux is not installed (apt-get install tmux)") }
        socket = "tokenscope-test-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        var arguments = ["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)"]
        var environment = environment
        if environment["XDG_STATE_HOME"] == nil { environment["XDG_STATE_HOME"] = try Self.welcomedStateFolder() }
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
        if let command { arguments.append(command) } else { arguments += ["sh"] }
        // A fixed size regardless of attached clients, and no status line (the pane is the window).
        try tmux(["-f", "/dev/null"] + arguments)
        try tmux(["set-option", "-t", name, "status", "off"])
        try tmux(["set-option", "-t", name, "window-size", "manual"])
        try tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit { kill() }

    /// A state folder whose progress says the welcome was shown, for sessions that don't bring
    /// their own: a bare launch must not depend on whether this machine's real state folder has
    /// seen the first-run welcome (on a fresh machine it would take the test's first keys).
    private static func welcomedStateFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("tokenscope-tmux-state-\(ProcessInfo.processInfo.processIdentifier)")
        let state = folder.appendingPathComponent("tokenscope")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try Data(#"{"lessons":{},"welcomed":true}"#.utf8).write(to: state.appendingPathComponent("progress.json"))
        return folder.path
    }

    /// Runs a tmux command on this session's server.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        guard let path = Self.tmuxPath else { throw TmuxError("tmux is not installed") }
        let output = try ProcessRunner.run(path, ["-L", socket] + arguments)
        guard output.status == 0 else {
            throw TmuxError("tmux \(arguments.joined(separator: " ")) failed (\(output.status)): \(output.stderr)")
        }
        return output.stdout
    }

    /// Sends keys as tmux names them (`Tab`, `Down`, `Enter`, `C-c`, or literal strings with `literal`).
    func send(_ keys: String..., literal: Bool = false) throws {
        try tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    /// Types `text` literally and presses Enter (for commands in a shell).
    func type(_ text: String) throws {
        try send(text, literal: true)
        try send("Enter")
    }

    /// The visible screen as text.
    func capture() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

    /// Polls the screen until `predicate` holds, up to `timeout` seconds; returns the screen.
    @discardableResult
    func waitFor(_ description: String, timeout: Double = 20, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        repeat {
            screen = try capture()
            if predicate(screen) {
                // A frame reaches tmux in pieces: wait (up to a second) for a screen that has stopped
                // changing, so what the caller checks next is the whole frame, not its first half.
                // A screen that keeps moving (a generation streaming) is returned as last seen.
                for _ in 0..<15 {
                    usleep(60_000)
                    let next = try capture()
                    guard predicate(next) else { break }
                    if next == screen { return next }
                    screen = next
                }
                if predicate(screen) { return screen }
            }
            usleep(20_000)
        } while Date() < deadline
        throw TmuxError("timed out after \(timeout) s waiting for \(description); the screen was:\n\(screen)")
    }

    /// Polls until the screen contains `text`.
    @discardableResult
    func waitFor(text: String, timeout: Double = 20) throws -> String {
        try waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    /// Resizes the window (and so the pane).
    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The pane's size as tmux sees it.
    func paneSize() throws -> (width: Int, height: Int) {
        let parts = try tmux(["display-message", "-p", "-t", name, "#{pane_width} #{pane_height}"])
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard parts.count == 2 else { throw TmuxError("cannot read the pane size") }
        return (parts[0], parts[1])
    }

    /// Stops the server; safe to call twice.
    func kill() {
        if !alive { return }
        alive = false
        _ = try? tmux(["kill-server"])
    }
}

// MARK: - The helper's own checks

@Suite("Tmux helper")
struct TmuxHelperTests {
    @Test func drivesAShellAndPolls() throws {
        let session = try TmuxSession(width: 50, height: 10)
        defer { session.kill() }
        try session.type("echo tmux-helper-$((6*7))")
        try session.waitFor(text: "tmux-helper-42")
        try session.resize(width: 60, height: 12)
        let size = try session.paneSize()
        #expect(size.width == 60 && size.height == 12)
        #expect(throws: TmuxError.self) { try session.waitFor(text: "never shown", timeout: 0.2) }
    }
}

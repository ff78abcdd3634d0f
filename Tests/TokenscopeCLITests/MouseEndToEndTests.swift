import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - Mouse in a real terminal (tmux), end to end

/// Sends SGR mouse reports (what a terminal writes for a click once the program asked for mouse
/// events) and checks the token under the pointer gets selected, in the tokens and attention views.
@Suite("Mouse end to end", .enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct MouseEndToEndTests {
    /// A left click at screen cell (x, y), 0-based: press and release in SGR (1006) encoding.
    static func click(_ session: TmuxSession, x: Int, y: Int) throws {
        try session.send("\u{1B}[<0;\(x + 1);\(y + 1)M\u{1B}[<0;\(x + 1);\(y + 1)m", literal: true)
    }

    @Test func clickingATokenSelectsIt() throws {
        try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let session = try TmuxSession(width: 120, height: 40, command: "env TERM=xterm-256color '\(binary)' 'The capital of France is'")
        defer { session.kill() }
        try session.waitFor(text: "ran 5 prompt tokens", timeout: 60)
        // Tokens view: the chip strip is on row 2, " The␣capital␣of␣France␣is".
        let strip = try session.capture().split(separator: "\n", omittingEmptySubsequences: false)[2]
        let column = strip.distance(from: strip.startIndex, to: try #require(strip.range(of: "capital")).lowerBound)
        try Self.click(session, x: column, y: 2)
        try session.waitFor(text: "token 1 · 5 /")
        // Attention view: the label of query 4 on the left of the map.
        try session.send("3")
        let screen = try session.waitFor(text: "attends to", timeout: 20)
        let row = try #require(screen.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  3 ") })
        try Self.click(session, x: 2, y: row)
        try session.waitFor(text: "token 3 · 5 /")
        try session.send("q")
    }
}

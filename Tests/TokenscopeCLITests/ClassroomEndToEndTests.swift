import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - Presenter mode, saving the screen, quitting and resuming, on the real model in tmux

@Suite("Classroom end to end (real model, tmux)", .serialized, .enabled(if: ModelFixture.shouldRun, "needs the cached SmolLM2 model: run `tokenscope fetch`"))
struct ClassroomEndToEndTests {
    static let prompt = "The capital of France is"

    /// Starts the explorer with `arguments` at 80×24 and waits until the model is idle.
    func start(_ arguments: String, environment: [String: String] = [:], waitFor text: String) throws -> TmuxSession {
        let binary = try TokenscopeBinary.require()
        let session = try TmuxSession(width: 80, height: 24, command: "env -u NO_COLOR -u COLORTERM \(binary) \(arguments) '\(Self.prompt)'",
                                      environment: ["TERM": "xterm-256color"].merging(environment) { $1 })
        try session.waitFor("'\(text)' with the model idle", timeout: 60) { $0.contains(text) && !$0.contains("⏳") && !$0.contains("computing") }
        return session
    }

    @Test(arguments: ["sampling", "attention", "forward"])
    func presenterModeShowsEachMainFigureUncutAt80x24(view: String) throws {
        _ = try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let expected = ["sampling": "91.54%", "attention": "colour ∝", "forward": "block 29"][view] ?? ""
        let session = try start("--present --theme projector --view \(view)", waitFor: expected)
        defer { session.kill() }
        usleep(300_000)
        let screen = try session.capture()
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch view {
        case "sampling":
            // The candidate and its probability in block letters: two figures of 5 rows each.
            #expect(lines.filter { $0.contains("██") }.count >= 10, "\(screen)")
            #expect(screen.contains("␣Paris") && screen.contains("91.54%"))
        case "attention":
            for token in ["The", "␣capital", "␣of", "␣France", "␣is"] {
                #expect(lines.filter { $0.contains(token) }.count >= 2, "\(token) labels a row and a column:\n\(screen)")
            }
            #expect(screen.contains("0              1.00"), "the legend, under the whole map")
        default:
            #expect(screen.contains("embed"))
            for block in 0..<30 { #expect(screen.contains("block \(block) "), "block \(block) is on screen:\n\(screen)") }
        }
        #expect(lines.contains { $0.contains("b full view") })
        // The live screen is the headless one.
        let render = try ProcessRunner.run(binary, ["render", "--present", "--theme", "projector", "--view", view, "--size", "80x24", Self.prompt])
        #expect(RecordingEndToEndTests.normalised(render.stdout) == RecordingEndToEndTests.normalised(screen))
    }

    @Test func savingTheScreenReportsWhereOrWhyNotAndKeepsRunning() throws {
        _ = try ModelFixture.requireDefaultModelPath()
        let folder = RecordingEndToEndTests.temporaryPath("screens")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let session = try start("--view sampling", environment: ["TOKENSCOPE_EXPORT_DIR": folder], waitFor: "␣Paris")
        defer { session.kill() }
        try session.send("S")
        try session.waitFor(text: "error: cannot save the screen: no folder \(folder)")
        try session.send("3")
        try session.waitFor(text: "attends to")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try session.send("S")
        let screen = try session.waitFor(text: "saved \(folder)/tokenscope-attention-")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files.count == 2 && files[0].hasSuffix(".svg") && files[1].hasSuffix(".txt"))
        let text = try String(contentsOfFile: folder + "/" + files[1], encoding: .utf8)
        let saved = RecordingEndToEndTests.normalised(text), shown = RecordingEndToEndTests.normalised(screen)
        #expect(saved.dropLast() == shown.dropLast(), "the text file is the screen (but the status line, which now names it)")
    }

    @Test func qAsksFirstAndResumeBringsTheSessionBack() throws {
        _ = try ModelFixture.requireDefaultModelPath()
        let state = RecordingEndToEndTests.temporaryPath("state")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let session = try start("--view sampling --temperature 0 --no-color", environment: ["XDG_STATE_HOME": state], waitFor: "␣Paris")
        defer { session.kill() }
        try session.send("Space")
        try session.waitFor(text: "token 5 · 6 /")
        let before = try session.waitFor("idle") { !$0.contains("⏳") && $0.contains("steps (model p at T=1): 5") }
        try session.send("q")
        try session.waitFor(text: "quit? q or y quits")
        try session.send("x")
        try session.waitFor(text: "still here")
        try session.send("q")
        try session.send("y")
        try session.waitFor("the explorer to quit", timeout: 10) { !$0.contains("Tokenscope │") }
        let saved = try String(contentsOfFile: state + "/tokenscope/last-session.json", encoding: .utf8)
        #expect(saved.contains("\"generated\" : [\n    7042\n  ]"), "\(saved)")

        let binary = try TokenscopeBinary.require()
        let resumed = try TmuxSession(width: 80, height: 24, command: "env -u NO_COLOR \(binary) --resume --no-color",
                                      environment: ["TERM": "xterm-256color", "XDG_STATE_HOME": state])
        defer { resumed.kill() }
        let screen = try resumed.waitFor("the resumed session") { $0.contains("token 5 · 6 /") && $0.contains("steps (model p at T=1): 5") && !$0.contains("⏳") }
        let keep = { (s: String) in RecordingEndToEndTests.normalised(s).dropLast() }
        #expect(keep(screen) == keep(before), "the same screen (but the status line)")
    }
}

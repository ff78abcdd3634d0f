import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - The model picker on the real models, in tmux

/// `m` in the explorer lists the cached models, switches to all-MiniLM-L6-v2 (the tabs and the
/// tokens view change: similarity in sampling's place, WordPiece tokens with [CLS] and [SEP]) and
/// back to SmolLM2, without restarting — driven through a real terminal.
@Suite("Model picker end to end (real models, tmux)", .serialized,
       .enabled(if: ModelFixture.shouldRun && ModelFixture.shouldRunMiniLM, "needs SmolLM2 and all-MiniLM-L6-v2: run `tokenscope fetch`"))
struct ModelPickerEndToEndTests {
    static let prompt = "The capital of France is"

    /// Whether the model is idle.
    static func idle(_ screen: String) -> Bool { !screen.contains("⏳") }

    /// The picker's rows, in order: the paths `tokenscope models --json` lists (the same catalog).
    static func catalog(_ binary: String) throws -> [String] {
        let listed = try ProcessRunner.run(binary, ["models", "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let entries = try #require(JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        return entries.compactMap { $0["path"] as? String }
    }

    /// Moves the picker's highlight from row `from` to row `to` and presses Enter.
    static func choose(_ session: TmuxSession, from: Int, to: Int) throws {
        for _ in 0..<abs(to - from) { try session.send(to > from ? "Down" : "Up") }
        try session.send("Enter")
    }

    @Test func switchesToTheEncoderAndBack() throws {
        let smol = try ModelFixture.requireDefaultModelPath()
        let miniLM = try ModelFixture.requireMiniLMFolder()
        let binary = try TokenscopeBinary.require()
        let paths = try Self.catalog(binary)
        let name = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.path }
        let smolRow = try #require(paths.firstIndex { name($0) == name(smol) }, "the picker lists SmolLM2: \(paths)")
        let miniRow = try #require(paths.firstIndex { name($0) == name(miniLM) }, "the picker lists MiniLM: \(paths)")

        let state = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-state-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let session = try TmuxSession(width: 120, height: 40, command: "env -u NO_COLOR \(binary) --no-color '\(Self.prompt)'",
                                      environment: ["TERM": "xterm-256color", "XDG_STATE_HOME": state])
        defer { session.kill() }
        try session.waitFor("the decoder's tokens view", timeout: 60) {
            $0.contains("2 Sampling") && $0.contains("byte-level BPE") && $0.contains("␣France") && Self.idle($0)
        }

        // m lists the cached models: the loaded one marked, the encoder named as such.
        try session.send("m")
        var screen = try session.waitFor("the model picker") { $0.contains("Models (↑/↓ choose") && $0.contains("all-MiniLM-L6-v2") }
        #expect(screen.contains("● "), "the loaded model is marked:\n\(screen)")
        #expect(screen.contains("encoder") && screen.contains("runs"))
        #expect(screen.contains(smol), "the highlighted row (the loaded model) names its file under the list")

        // Switch to MiniLM: the tabs and the tokens view follow the encoder.
        try Self.choose(session, from: smolRow, to: miniRow)
        screen = try session.waitFor("the encoder's tokens view", timeout: 60) {
            $0.contains("2 Similarity") && $0.contains("tokenizer: WordPiece") && $0.contains("[CLS] the capital of france is [SEP]") && Self.idle($0)
        }
        #expect(!screen.contains("2 Sampling") && screen.contains("all-MiniLM-L6-v2 · bert encoder"))
        // The similarity tab is there, in sampling's place.
        try session.send("2")
        try session.waitFor("the similarity view", timeout: 60) { $0.contains("cosine") && Self.idle($0) }

        // And back to SmolLM2 from the tokens view: the same prompt, its own tokens again.
        try session.send("1")
        try session.waitFor(text: "tokenizer: WordPiece")
        try session.send("m")
        screen = try session.waitFor("the picker again") { $0.contains("Models (↑/↓ choose") && $0.contains("● all-MiniLM-L6-v2") }
        try Self.choose(session, from: miniRow, to: smolRow)
        screen = try session.waitFor("the decoder again", timeout: 60) {
            $0.contains("2 Sampling") && $0.contains("byte-level BPE") && $0.contains("The ␣capital ␣of ␣France ␣is") && Self.idle($0)
        }
        #expect(!screen.contains("Similarity"))
        try session.send("q")
        try session.waitFor("the explorer to quit", timeout: 10) { !$0.contains("Tokenscope │") }
    }
}

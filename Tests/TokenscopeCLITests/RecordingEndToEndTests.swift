import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - Recordings and demo scripts on the real model, in tmux

/// `--record` writes an asciicast v2 file that replays (in pyte, an independent terminal model) to
/// the screen the user saw; `--record-keys` writes keys that `render --keys @FILE` replays to the
/// same screen; files that cannot be written stop the command before the terminal is taken over.
@Suite("Recording end to end (real model, tmux)", .serialized, .enabled(if: ModelFixture.shouldRun, "needs the cached SmolLM2 model: run `tokenscope fetch`"))
struct RecordingEndToEndTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-\(UUID().uuidString.prefix(8))-\(name)").path
    }

    /// Lines with trailing blanks removed, without trailing empty lines.
    static func normalised(_ screen: String) -> [String] {
        var lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var text = String(line)
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    @Test func castAndKeysReplayToTheScreenSeen() throws {
        _ = try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let cast = Self.temporaryPath("session.cast"), keys = Self.temporaryPath("session.keys")
        defer {
            try? FileManager.default.removeItem(atPath: cast)
            try? FileManager.default.removeItem(atPath: keys)
        }
        let session = try TmuxSession(
            width: 100, height: 30, command: "\(binary) --no-color --record \(cast) --record-keys \(keys) 'The capital of France is'",
            environment: ["TERM": "xterm-256color"])
        defer { session.kill() }
        try session.waitFor(text: "ran 5 prompt tokens", timeout: 60)
        // Sample two tokens at a higher temperature, look at attention, come back to the tokens.
        for key in ["2", "T", "T"] { try session.send(key) }
        try session.waitFor(text: "temperature 1.0")
        try session.send("Space")
        try session.waitFor("token 5 with the model idle") { $0.contains("token 5 · 6 /") && !$0.contains("⏳") && $0.contains("steps (model p at T=1): 5") }
        try session.send("Space")
        try session.waitFor(text: "token 6 · 7 /")
        try session.send("3")
        try session.waitFor(text: "attends to")
        try session.send("Down")
        try session.send(".")
        try session.waitFor(text: "layer 1 (0–29) · head 1 (0–8)")
        try session.send("1")
        try session.send("Left")
        let seen = try session.waitFor("the tokens view at token 5") { $0.contains("token 5 · 7 /") && $0.contains("characters per token") && !$0.contains("⏳") }
        usleep(300_000)
        let final = try session.capture()
        #expect(Self.normalised(final) == Self.normalised(seen), "the screen settled")
        try session.send("q")
        try session.waitFor(text: "quit? q or y quits")
        try session.send("y")
        try session.waitFor("the explorer to quit", timeout: 10) { !$0.contains("Tokenscope │") }

        // The asciicast replays, in pyte, to the screen tmux showed.
        let script = TokenscopeBinary.packageRoot.appendingPathComponent("Tests/Reference/terminal/cast_screen.py").path
        let replay = try ProcessRunner.run("/usr/bin/env", ["python3", script, cast])
        if replay.status == 3 {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("pyte is missing: pip install pyte") }
            else { print("note: skipping the asciicast replay: pyte is not installed (pip install pyte)") }
        } else {
            #expect(replay.status == 0, "cast_screen.py: \(replay.stderr)")
            var lines = replay.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let events = Int(lines.removeFirst().split(separator: " ").last ?? "") ?? 0
            #expect(events > 5, "one event per frame drawn")
            // The last frame drawn is the screen with the quit question on its status line.
            let replayed = Self.normalised(lines.joined(separator: "\n")), seen = Self.normalised(final)
            #expect(replayed.dropLast() == seen.dropLast())
            #expect(replayed.last?.contains("quit? q or y quits") == true)
        }
        let header = try #require(try String(contentsOfFile: cast, encoding: .utf8).split(separator: "\n").first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])
        #expect(json["version"] as? Int == 2 && json["width"] as? Int == 100 && json["height"] as? Int == 30)

        // The recorded keys replay headless to the same screen.
        let recorded = try String(contentsOfFile: keys, encoding: .utf8)
        #expect(recorded.hasPrefix("2TT<Space><Space>3"), "keys: \(recorded)")
        let render = try ProcessRunner.run(binary, ["render", "--no-color", "--size", "100x30", "--keys", "@" + keys, "The capital of France is"])
        #expect(render.status == 0, "\(render.stderr)")
        #expect(Self.normalised(render.stdout) == Self.normalised(final))
    }

    @Test func aRecordingThatCannotBeOpenedStopsBeforeTheTerminalIsTakenOver() throws {
        let binary = try TokenscopeBinary.require()
        let session = try TmuxSession(width: 100, height: 20, command: nil, environment: ["TERM": "xterm-256color"])
        defer { session.kill() }
        func finished(_ screen: String) -> Bool { (0...9).contains { screen.contains("EXIT=\($0)") } }
        try session.type("\(binary) --record /nonexistent-folder/x.cast; echo EXIT=$?")
        let screen = try session.waitFor("the command to end", timeout: 30, finished)
        #expect(screen.contains("cannot record to /nonexistent-folder/x.cast"))
        #expect(screen.contains("EXIT=1"))
        #expect(!screen.contains("Tokenscope │"), "the explorer never drew")
        let folder = FileManager.default.temporaryDirectory.path
        try session.type("clear; \(binary) --record-keys \(folder); echo EXIT=$?")
        let second = try session.waitFor("the second command to end", timeout: 30) { finished($0) && !$0.contains("nonexistent") }
        #expect(second.contains("it is a folder") && second.contains("EXIT=1"))
    }
}

// MARK: - Demo scripts

@Suite("Present end to end (real model, tmux)", .serialized, .enabled(if: ModelFixture.shouldRun, "needs the cached SmolLM2 model: run `tokenscope fetch`"))
struct PresentEndToEndTests {
    @Test func theExampleDemoPlaysForwardAndBackWithIdenticalScreens() throws {
        _ = try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let demo = TokenscopeBinary.packageRoot.appendingPathComponent("Assets/Demos/next-token.demo").path
        let notes = RecordingEndToEndTests.temporaryPath("notes.txt")
        defer { try? FileManager.default.removeItem(atPath: notes) }
        let session = try TmuxSession(width: 80, height: 24, command: "\(binary) present \(demo) --notes \(notes)", environment: ["TERM": "xterm-256color"])
        defer { session.kill() }
        func settled(_ step: Int, _ total: Int) throws -> String {
            try session.waitFor("step \(step)", timeout: 60) { $0.contains("step \(step)/\(total) ·") && !$0.contains("⏳") && !$0.contains("computing") }
            usleep(400_000)  // the last frame after the model went idle
            return try session.capture()
        }
        let first = try settled(1, 12)
        #expect(first.contains("The␣capital␣of␣France␣is") || first.contains("The ␣capital"))
        var forward = [first]
        for step in 2...12 {
            try session.send("PageDown")
            forward.append(try settled(step, 12))
            let text = try String(contentsOfFile: notes, encoding: .utf8)
            #expect(text.hasPrefix("Step \(step)/12:"), "the notes file follows the demo")
        }
        #expect(forward[2].contains("Paris"), "the sampling step shows the candidates")
        for step in stride(from: 11, through: 1, by: -1) {
            try session.send("PageUp")
            let again = try settled(step, 12)
            #expect(again == forward[step - 1], "step \(step) looks different on the way back")
        }
    }

    @Test func aMalformedScriptFailsWithFileAndLine() throws {
        let binary = try TokenscopeBinary.require()
        let path = RecordingEndToEndTests.temporaryPath("bad.demo")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "title A demo\n\nstep One\nview sampling\ntemperature hot\n".write(toFile: path, atomically: true, encoding: .utf8)
        let output = try ProcessRunner.run(binary, ["present", path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("\(path):5: temperature must be a number from 0.0 to 2.0, not 'hot'"), "\(output.stderr)")
        let missing = try ProcessRunner.run(binary, ["present", "/nonexistent/demo.txt"])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent/demo.txt: cannot read the script"), "\(missing.stderr)")
    }
}

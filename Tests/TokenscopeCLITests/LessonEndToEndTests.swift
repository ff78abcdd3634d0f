import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - A lesson taken from start to end, as a learner would, in tmux

/// Opens `tokenscope learn next-token` at 120×40 on the real model, reads the narration (its live
/// values are those `learn --text` prints), does each step's task with real keys, sees the ✓ marks,
/// goes back a step and forth again and finds the screens exactly as they were, finishes, and
/// finds the progress in the state folder (a temporary `XDG_STATE_HOME`).
@Suite("Lesson end to end (real model, tmux)", .serialized, .enabled(if: ModelFixture.shouldRun, "needs the cached SmolLM2 model: run `tokenscope fetch`"))
struct LessonEndToEndTests {
    /// The screen as one line of words: the narration panel wraps its text, so a sentence is
    /// found whatever the line breaks.
    static func flat(_ screen: String) -> String {
        screen.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The first capture of a regular expression in `text`.
    static func capture(_ pattern: String, in text: String) throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        guard let match = regex.firstMatch(in: text, range: range), let found = Range(match.range(at: 1), in: text) else {
            throw TmuxError("'\(pattern)' is not in:\n\(text)")
        }
        return String(text[found])
    }

    /// Waits for `text` on screen with the model idle, and returns the screen.
    @discardableResult
    static func settled(_ session: TmuxSession, _ texts: String..., timeout: Double = 60) throws -> String {
        try session.waitFor("\(texts) with the model idle", timeout: timeout) { screen in
            let flat = Self.flat(screen)
            return texts.allSatisfy { flat.contains($0) } && !screen.contains("⏳") && !screen.contains("computing") && !screen.contains("analysing")
        }
    }

    @Test func aLearnerTakesTheNextTokenLessonFromStartToEnd() throws {
        _ = try ModelFixture.requireDefaultModelPath()
        let binary = try TokenscopeBinary.require()
        let state = RecordingEndToEndTests.temporaryPath("lesson-state")
        defer { try? FileManager.default.removeItem(atPath: state) }
        // The live values the narration must show, as `--text` fills them in.
        let text = try ProcessRunner.run(binary, ["learn", "next-token", "--text"])
        #expect(text.status == 0, "\(text.stderr)")
        let reference = Self.flat(text.stdout)
        let parisProbability = try Self.capture(#""␣Paris" gets ([0-9.]+ %)"#, in: reference)
        let coldProbability = try Self.capture(#"favourite is "␣cold" with ([0-9.]+ %)"#, in: reference)

        let session = try TmuxSession(width: 120, height: 40, command: "env -u NO_COLOR -u COLORTERM \(binary) learn next-token",
                                      environment: ["TERM": "xterm-256color", "XDG_STATE_HOME": state])
        defer { session.kill() }

        // Step 1: narration with live values, no task.
        let first = try Self.settled(session, "step 1/6: A distribution, not a word", "\"␣Paris\" gets \(parisProbability)")
        #expect(!first.contains("▶ Task") && !first.contains("✓ Done"))

        // Step 2: a task done with a real key; the mark turns to ✓.
        try session.send("}", literal: true)
        let secondFresh = try Self.settled(session, "step 2/6: Every position predicts", "▶ Task: Move the selection", "after token 1 \"␣capital\"", "step 2 of 6")
        #expect(!secondFresh.contains("✓ Done"))
        try session.send("End")
        try Self.settled(session, "✓ Done: Move the selection")

        // Progress is saved as the learner moves: step 2 (from 0: 1), not completed.
        let progressFile = state + "/tokenscope/progress.json"
        try session.send("}", literal: true)
        let thirdFresh = try Self.settled(session, "step 3/6: Guess first, then look", "▶ Your guess: ▏", "The␣opposite␣of␣hot␣is", "step 3 of 6")
        let midway = try Self.progress(progressFile) { $0.step == 2 }
        #expect(midway?.step == 2 && midway?.completed == false, "\(String(describing: midway))")

        // Step 3: the guess task — type a guess, lock it in, step, and read the model's verdict.
        try session.send("cold", literal: true)
        try Self.settled(session, "▶ Your guess: cold▏")
        try session.send("Enter")
        try Self.settled(session, "Your guess \"cold\" is the token ␣cold. Now press space")
        try session.send("Space")
        let revealed = try Self.settled(session, "✓ Done: Type your guess", "picked ␣cold")
        #expect(Self.flat(revealed).contains("The model gave it \(coldProbability) (rank 1) and picked ␣cold"),
                "the guess's probability is the model's own, as the next step's table quotes it (\(coldProbability)):\n\(revealed)")

        // Back a step: step 2 exactly as it first was (its task not yet done); forth again: step 3
        // exactly as it first was (no generated token, an empty guess field).
        try session.send("{", literal: true)
        let secondAgain = try Self.settled(session, "step 2/6: Every position predicts", "▶ Task: Move the selection", "after token 1 \"␣capital\"", "step 2 of 6")
        #expect(RecordingEndToEndTests.normalised(secondAgain) == RecordingEndToEndTests.normalised(secondFresh))
        try session.send("}", literal: true)
        let thirdAgain = try Self.settled(session, "step 3/6: Guess first, then look", "▶ Your guess: ▏", "The␣opposite␣of␣hot␣is", "step 3 of 6")
        #expect(RecordingEndToEndTests.normalised(thirdAgain) == RecordingEndToEndTests.normalised(thirdFresh))

        // Step 3 skipped with Esc this time; step 4 reads the table the guess was measured against.
        try session.send("Escape")
        try Self.settled(session, "No guess this time")
        try session.send("}", literal: true)
        try Self.settled(session, "step 4/6: What the model expected", "favourite is \"␣cold\" with \(coldProbability)")

        // Step 5: sample a token with space.
        try session.send("}", literal: true)
        try Self.settled(session, "step 5/6", "▶ Task: Press space")
        try session.send("Space")
        try Self.settled(session, "✓ Done: Press space")

        // Step 6: raise the temperature with T until the favourite falls under 50 %.
        try session.send("}", literal: true)
        try Self.settled(session, "step 6/6: Flatter and sharper", "▶ Task: Raise the temperature")
        for _ in 0..<12 { try session.send("T", literal: true) }
        try Self.settled(session, "✓ Done: Raise the temperature", "temperature 2.0")
        try session.send("}", literal: true)
        try Self.settled(session, "end of the lesson")

        // Quit; the lesson is completed in the state folder, and `learn` lists it so.
        try session.send("q", literal: true)
        try session.waitFor("the explorer to quit (asking first when text was generated)", timeout: 10) { screen in
            screen.contains("quit?") || screen.contains("Pane is dead") || !screen.contains("Tokenscope")
        }
        if try session.capture().contains("quit?") { try session.send("y", literal: true) }
        let done = try Self.progress(progressFile) { $0.completed }
        #expect(done?.step == 5 && done?.completed == true, "\(String(describing: done))")
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = state
        let list = try ProcessRunner.run(binary, ["learn"], environment: environment)
        #expect(list.stdout.contains("Next-token prediction · 8 min · 6 steps · completed"), "\(list.stdout)")
    }

    /// The next-token lesson's entry of the progress file once `wanted` holds (the file is written
    /// as the step changes: the explorer gets up to five seconds), else the last one read.
    static func progress(_ path: String, until wanted: ((step: Int, completed: Bool)) -> Bool) throws -> (step: Int, completed: Bool)? {
        var last: (step: Int, completed: Bool)?
        for _ in 0..<50 {
            if let data = FileManager.default.contents(atPath: path),
               let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let lessons = json["lessons"] as? [String: Any], let entry = lessons["next-token"] as? [String: Any],
               let step = entry["step"] as? Int, let completed = entry["completed"] as? Bool {
                last = (step, completed)
                if wanted((step, completed)) { return last }
            }
            usleep(100_000)
        }
        return last
    }
}

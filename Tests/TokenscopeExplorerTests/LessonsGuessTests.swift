import Foundation
import Testing
import TokenscopeTransformer
import TokenscopeUI
@testable import TokenscopeExplorer

// MARK: - The guess task

/// "Guess the next token": the format (a `guess:` task), the field that takes the guess, how the
/// guess is read as tokens, and — on the real model — the probability and rank the panel shows,
/// checked against the model's distribution computed before the step.
@Suite("Lessons: guess the next token")
struct LessonsGuessTests {
    static func lesson(prompt: String = "The capital of France is", task: String, keys: String = "") throws -> Lesson {
        let text = """
            # Guessing
            ```lesson
            minutes: 2
            summary: s
            ```
            ## Warm up
            ```setup
            prompt: \(prompt)
            view: sampling
            ```
            First.
            ## Guess
            ```setup
            view: tokens
            \(keys.isEmpty ? "" : "keys: \(keys)")
            ```
            Guess what comes next.
            ```task
            \(task)
            ```
            """
        return try LessonParser.parse(text, file: "guess.md", name: "guess")
    }

    @Test func aGuessTaskDefaultsToSpaceAndTheRevealCheck() throws {
        let task = try #require(try Self.lesson(task: "guess: Paris\ngoal: Guess.").steps[1].task)
        #expect(task.guess == "Paris" && task.action == "<Space>" && task.check.text == "guess.rank >= 1")
        let explicit = try #require(try Self.lesson(task: "guess: \" Paris\"\ngoal: Guess.\ndo: <Right>\ncheck: guess.prob > 0.5").steps[1].task)
        #expect(explicit.guess == " Paris" && explicit.action == "<Right>" && explicit.check.text == "guess.prob > 0.5")
        #expect(throws: AssetError.self) { try Self.lesson(task: "guess: \"  \"\ngoal: Guess.") }
    }

    @Test func theGuessIsReadWithALeadingSpaceAfterAWord() {
        #expect(GuessReport.variants(of: "cold", after: " is") == [" cold", "cold"])
        #expect(GuessReport.variants(of: " cold", after: " is") == [" cold"])
        #expect(GuessReport.variants(of: "cold", after: "\n") == ["cold"])
    }

    /// The field takes the step's keys as commands, the learner's keys as text; Esc closes it;
    /// going back and forth reopens it empty.
    @Test func theFieldTakesTheLearnersKeysNotTheSteps() throws {
        let lesson = try Self.lesson(task: "guess: Paris\ngoal: Guess.", keys: "<Left>")
        let explorer = try HeadlessExplorer()
        explorer.send(.teaching(.open(lesson, step: 1)))
        #expect(explorer.state.teaching.guessField?.text == "", "the field opens empty")
        #expect(explorer.state.selected == explorer.state.tokens.count - 2, "the step's own <Left> moved the selection")
        explorer.press("Tq<Left>x")
        #expect(explorer.state.teaching.guessField?.text == "Txq" && explorer.state.settings == SamplerSettings() && !explorer.state.quitting)
        explorer.press("<Esc>")
        #expect(explorer.state.teaching.guessField == nil && explorer.state.teaching.guess == nil)
        explorer.press("{}")
        #expect(explorer.state.teaching.guessField?.text == "")
    }

    /// On the real model: the guess becomes the tokens the tokenizer makes of " Paris"; before
    /// the step its probability is hidden, after it the panel and `guess.prob` show the model's
    /// probability, equal to the softmax of the logits taken before the step.
    @Test(.enabled(if: LessonsRealModel.isPresent, "needs the cached SmolLM2 model: run `tokenscope fetch`"))
    func theRevealShowsTheModelsProbabilityOfTheGuess() throws {
        let engine = try LessonsRealModel.engine()
        let lesson = try Self.lesson(task: "guess: Paris\ngoal: Guess.")
        let runner = LessonRunner(lesson: lesson, engine: engine)
        runner.apply(step: 1)
        let before = try #require(runner.runtime.state.analysis)
        let id = try #require(engine.singleTokenID(" Paris"))
        let expected = try #require(Softmax.probability(of: id, in: before.logits))
        let rank = before.logits.filter { $0 > before.logits[id] }.count + 1
        #expect(throws: LiveValueError.self) { try runner.values.value(LivePath.parse("guess.text")) }
        runner.type(guess: "Paris")
        #expect(try runner.values.value(LivePath.parse("guess.tokens")).display == "␣Paris")
        #expect(throws: LiveValueError.self, "hidden until the model picks") { try runner.values.value(LivePath.parse("guess.prob")) }
        let waiting = TeachingPanels.narrationLines(runner.runtime.state, width: 118).lines.joined(separator: " ")
        #expect(waiting.contains("is the token ␣Paris") && waiting.contains("press space") && !waiting.contains("rank"))
        runner.press("<Space>")
        let prob = try runner.values.value(LivePath.parse("guess.prob"))
        guard case .number(let p, let shown) = prob else { Issue.record("guess.prob is not a number"); return }
        #expect(abs(p - Double(expected)) < 1e-6)
        #expect(try runner.values.value(LivePath.parse("guess.rank")).display == "\(rank)")
        #expect(try runner.values.value(LivePath.parse("guess.bare.tokens")).display == "Paris")
        let panel = TeachingPanels.narrationLines(runner.runtime.state, width: 118).lines.joined(separator: " ")
        #expect(panel.contains("The model gave it \(shown) (rank \(rank))"), "\(panel)")
        #expect(panel.contains("✓ Done"))
        // A guess of a word the vocabulary does not hold: several tokens, the first one counts.
        runner.apply(step: 1)
        runner.type(guess: "Zyzzogeton")
        let tokens = try runner.values.value(LivePath.parse("guess.tokens")).display
        #expect(tokens.contains(" · ") && tokens.hasPrefix("␣"), "\(tokens)")
        #expect(try runner.values.value(LivePath.parse("guess.count")).display != "1")
    }

    /// `--check` types the reference guess and steps; a check the reveal contradicts fails.
    @Test(.enabled(if: LessonsRealModel.isPresent, "needs the cached SmolLM2 model: run `tokenscope fetch`"))
    func checkPerformsTheGuessAndCanFail() throws {
        let engine = try LessonsRealModel.engine()
        let good = try Self.lesson(task: "guess: Paris\ngoal: Guess.\ncheck: guess.rank == 1 and guess.picked == \"␣Paris\"")
        #expect(LessonRunner(lesson: good, engine: engine).check().isEmpty)
        let wrong = try Self.lesson(task: "guess: London\ngoal: Guess.\ncheck: guess.rank == 1")
        let failures = LessonRunner(lesson: wrong, engine: engine).check()
        #expect(failures.map(\.step) == [2])
        #expect(failures.first?.reason.contains("guess.rank is") == true, "\(failures)")
    }
}

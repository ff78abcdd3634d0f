import Foundation
import TokenscopeUI

// MARK: - Running a lesson on the real explorer

/// Runs a lesson's steps on the explorer's real state, reducer and engine (synchronously, as
/// `tokenscope render` does): applies a step's setup, resolves its narration from live values, and
/// for `--check` verifies its claims and performs each task's reference action.
public final class LessonRunner {
    /// The lesson.
    public let lesson: Lesson
    /// The explorer it runs in.
    public let runtime: ExplorerRuntime
    /// `token("…")` lookups.
    let tokenID: @Sendable (String) -> Int?

    /// A runner over `runtime`, which must be synchronous for `check`.
    public init(lesson: Lesson, runtime: ExplorerRuntime, tokenID: @escaping @Sendable (String) -> Int?) {
        self.lesson = lesson
        self.runtime = runtime
        self.tokenID = tokenID
    }

    /// A runner with its own synchronous explorer over `engine`, opened on the first step's prompt.
    public convenience init(lesson: Lesson, engine: LiveExplorerEngine, width: Int = 120, height: Int = 40) {
        let runtime = ExplorerRuntime(engine: engine, prompt: lesson.steps.first?.setup.prompt ?? "", width: width, height: height, synchronous: true)
        self.init(lesson: lesson, runtime: runtime, tokenID: { [engine] in engine.singleTokenID($0) })
    }

    /// The setup step `index` sees: every earlier step's setup with its own laid over it.
    public func setup(at index: Int) -> Setup {
        Self.setup(of: lesson, at: index)
    }

    /// The effective setup of step `index` of `lesson`: exact (what no step names is the default).
    public static func setup(of lesson: Lesson, at index: Int) -> Setup {
        var merged = Setup()
        for step in lesson.steps.prefix(index + 1) { merged = merged.merged(with: step.setup) }
        merged.keys = lesson.steps.indices.contains(index) ? lesson.steps[index].setup.keys : nil
        // A step looks the same however the learner left the one before.
        merged.exact = true
        return merged
    }

    /// Puts the explorer in step `index`'s state, as the learner's explorer does when the step
    /// opens (`{`/`}` or `learn NAME`): the same state however it was left.
    public func apply(step index: Int) {
        runtime.send(.teaching(.open(lesson, step: index)))
    }

    /// Types `guess` into the open guess field and locks it in (Enter), as a learner does.
    public func type(guess: String) {
        for character in guess { runtime.send(.key(.character(character))) }
        runtime.send(.key(.enter))
    }

    /// Presses keys written in the `render --keys` syntax.
    public func press(_ keys: String) {
        for key in Key.parse(keys) { runtime.send(.key(key)) }
    }

    /// Live values of the explorer now.
    public var values: LiveValues { LiveValues(state: runtime.state, tokenID: tokenID) }

    /// Step `index`'s narration with live values filled in.
    public func narration(_ index: Int) throws(LiveValueError) -> String {
        try values.fill(lesson.steps[index].narration)
    }

    // MARK: Checking

    /// One failed step: 1-based number and reason.
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        public let step: Int
        public let reason: String
        public var description: String { "step \(step): \(reason)" }
    }

    /// Runs every step: applies the setup, checks the model work succeeded, the claims (`expect:`)
    /// hold, every quoted value resolves, a task's check fails before its reference action and holds
    /// after it. Returns the failures (empty when the lesson holds).
    public func check() -> [Failure] {
        var failures: [Failure] = []
        for (index, step) in lesson.steps.enumerated() {
            let number = index + 1
            apply(step: index)
            if runtime.isBusy { failures.append(Failure(step: number, reason: "the model work did not finish (\(runtime.state.busy ?? ""))")); continue }
            if runtime.state.status.hasPrefix("error") { failures.append(Failure(step: number, reason: runtime.state.status)); continue }
            let values = self.values
            for expectation in step.expectations {
                let (holds, reason) = expectation.evaluate(values)
                if !holds { failures.append(Failure(step: number, reason: "expected `\(expectation)`, but \(reason ?? "it does not hold")")) }
            }
            do {
                _ = try values.fill(step.narration)
                if let task = step.task {
                    _ = try values.fill(task.goal)
                    for hint in task.hints { _ = try values.fill(hint) }
                }
            } catch {
                failures.append(Failure(step: number, reason: "a quoted value does not resolve: \(error.reason)"))
            }
            guard let task = step.task else { continue }
            if task.check.evaluate(values).holds {
                failures.append(Failure(step: number, reason: "the task's check `\(task.check)` already holds before its action: nothing to do"))
                continue
            }
            if let guess = task.guess { type(guess: guess) }
            press(task.action)
            let (holds, reason) = task.check.evaluate(self.values)
            if !holds {
                failures.append(Failure(step: number, reason: "after the reference action `\(task.action)`, `\(task.check)` fails: \(reason ?? "")"))
            }
        }
        return failures
    }
}

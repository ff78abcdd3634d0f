import Foundation
import Testing
@testable import TokenscopeExplorer

// MARK: - Every shipped lesson holds on the real model

/// Runs `LessonRunner.check` — what `tokenscope learn NAME --check` runs — on every shipped lesson:
/// setups apply, every quoted value resolves, every claim (`expect:`) holds, every task's check
/// fails before its reference action and holds after it. A lesson can never claim what the model
/// does not do.
@Suite("Shipped lessons hold on the model", .serialized, .enabled(if: LessonsRealModel.isPresent))
struct LessonsCheckTests {
    @Test func everyShippedLessonHolds() throws {
        let engine = try LessonsRealModel.engine()
        for lesson in try LessonLibrary.shipped() {
            let failures = LessonRunner(lesson: lesson, engine: engine).check()
            #expect(failures.isEmpty, "\(lesson.name): \(failures.map(\.description).joined(separator: "; "))")
        }
    }

    /// The check can fail: a claim the model contradicts is reported with its step.
    @Test func aFalseClaimFails() throws {
        let text = """
            # Wrong
            ```lesson
            minutes: 1
            summary: s
            ```
            ## Australia
            ```setup
            prompt: The capital of Australia is
            view: sampling
            sampler: off
            expect: top1.text == "␣Canberra"
            ```
            The favourite is {top1.text}.
            ```task
            goal: nothing
            do: x
            check: top1.prob > 0.99
            ```
            """
        let lesson = try LessonParser.parse(text, file: "wrong.md", name: "wrong")
        let failures = LessonRunner(lesson: lesson, engine: try LessonsRealModel.engine()).check()
        #expect(failures.map(\.step) == [1, 1])
        #expect(failures.first?.description.hasPrefix("step 1: expected `top1.text == \"␣Canberra\"`, but top1.text is ␣Sydney") == true)
    }

    /// Back restores a step's state exactly: after the learner wanders off, applying the step again
    /// gives the same state as applying it fresh.
    @Test func applyingAStepAgainRestoresItsState() throws {
        let lesson = try #require(try LessonLibrary.shipped().first { $0.name == "attention" })
        let runner = LessonRunner(lesson: lesson, engine: try LessonsRealModel.engine())
        runner.apply(step: 2)
        let fresh = runner.runtime.state
        runner.press("<Right><Right>o3<Left>e")
        runner.apply(step: 4)
        runner.apply(step: 2)
        var again = runner.runtime.state
        again.promptHistory = fresh.promptHistory
        again.timings = fresh.timings
        #expect(again.view == fresh.view && again.layer == fresh.layer && again.head == fresh.head && again.selected == fresh.selected)
        #expect(again.tokens.map(\.id) == fresh.tokens.map(\.id))
        #expect(again.attentionView.mode == fresh.attentionView.mode, "\(again.attentionView.mode) after, \(fresh.attentionView.mode) fresh; editor \(again.editor == nil ? "closed" : "open"), status \(again.status)")
        #expect(try runner.narration(2) == (try LessonRunner(lesson: lesson, engine: try LessonsRealModel.engine()).applied(2)))
    }
}

extension LessonRunner {
    /// Applies step `index` and returns its narration.
    func applied(_ index: Int) throws -> String {
        apply(step: index)
        return try narration(index)
    }
}

import Foundation
import Testing
@testable import TokenscopeExplorer

// MARK: - Opening a lesson and moving to the next step stays fast

/// The bar: opening a lesson and each next step take under 100 ms on top of the model work they
/// need. `LessonTimer` opens every shipped lesson on the real model as `learn NAME` does (the
/// lessons and glossary read from their files) and presses `}` through it, drawing each frame;
/// the engine is metered, so the time spent outside its model calls is the lesson machinery's.
/// The bar is checked on the explorer thread's CPU time (a busy machine stretches wall time
/// without adding work); `tokenscope learn --timings` prints both.
@Suite("Lessons: opening and stepping are fast", .serialized, .enabled(if: LessonsRealModel.isPresent))
struct LessonsTimingTests {
    @Test func openingALessonAndEachNextStepTakeUnder100MillisecondsOutsideTheModel() throws {
        let engine = try LessonsRealModel.engine()
        var report: [String] = []
        for lesson in try LessonLibrary.shipped() {
            let steps = LessonTimer.measure(lesson, engine: engine)
            #expect(steps.count == lesson.steps.count)
            #expect(steps.first.map { $0.modelMilliseconds > 0 } == true, "opening \(lesson.name) runs its prompt in the metered engine")
            for step in steps {
                report.append(String(format: "%@ %d: total %.1f ms, model %.1f ms, outside %.1f ms (CPU %.1f ms)",
                                     lesson.name, step.number, step.totalMilliseconds, step.modelMilliseconds,
                                     step.outsideMilliseconds, step.outsideCPUMilliseconds))
                #expect(step.outsideCPUMilliseconds < 100, "\(lesson.name) step \(step.number) '\(step.title)': \(step.outsideCPUMilliseconds) ms outside the model")
            }
        }
        print(report.joined(separator: "\n"))
    }

    /// A step that needs no new prompt run (same prompt, same token, another view) stays under the
    /// bar too, and its split adds up.
    @Test func aStepWithoutAPromptRunStaysUnderTheBar() throws {
        let text = """
            # Two views
            ```lesson
            minutes: 1
            summary: s
            ```
            ## One
            ```setup
            prompt: The capital of France is
            view: sampling
            ```
            First {top1.text}.
            ## Two
            ```setup
            view: tokens
            ```
            Same prompt, same token: nothing to compute.
            """
        let lesson = try LessonParser.parse(text, file: "two.md", name: "two")
        let steps = LessonTimer.measure(lesson, engine: try LessonsRealModel.engine())
        #expect(steps.count == 2 && steps[0].modelMilliseconds > 0)
        #expect(steps[1].totalMilliseconds >= steps[1].outsideMilliseconds)
        #expect(steps[1].outsideCPUMilliseconds < 100)
    }
}

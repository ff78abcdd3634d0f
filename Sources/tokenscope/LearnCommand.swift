import ArgumentParser
import Foundation
import TokenscopeExplorer
import TokenscopeUI

/// `tokenscope learn`: the guided lessons — list them, check them on the real model, print them.
struct LearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn", abstract: "Guided lessons on the live model: list, check or read them.",
        discussion: """
            Without NAME, lists the lessons with their progress. --check runs every step headless on the
            real model (setup, quoted values, claims, each task's reference action) and exits 1 with
            `step N: reason` lines when one does not hold. --text prints every step's narration with the
            live values filled in. --timings times opening the lesson and each next step, split into model
            work and the rest. With NAME alone, opens the explorer in the lesson. --lesson PATH uses a
            lesson file of your own (format: Docs/LESSONS.md).
            """)

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "The lesson's name (see `tokenscope learn`).") var name: String?
    @Option(name: .long, help: "A lesson file to use instead of a shipped lesson.") var lesson: String?
    @Flag(name: .long, help: "Run every step on the real model and verify it; exit 1 when a step fails.") var check = false
    @Flag(name: .long, help: "Print every step with its live values filled in.") var text = false
    @Flag(name: .long, help: "Time opening the lesson (every lesson without NAME) and each next step: model work and the rest, in ms.")
    var timings = false
    @Flag(name: .long, help: "Print JSON: [{\"name\", \"title\", \"minutes\", \"summary\", \"steps\"}] (steps: how many).") var json = false
    @Option(name: .long, help: "Open the lesson at this step (from 1; default: where you left it).") var step: Int?
    @Flag(name: .long, help: "No colours in the explorer.") var noColor = false
    @Option(name: .long, help: "Theme: dark, light, projector, high-contrast or colorblind.") var theme: Theme.Name = .dark

    struct Output: Encodable {
        let name: String
        let title: String
        let minutes: Int
        let summary: String
        let steps: Int
    }

    func run() throws {
        if timings { return try printTimings(try chosenLesson().map { [$0] } ?? shipped()) }
        guard let chosen = try chosenLesson() else { return try list() }
        if check {
            let runner = LessonRunner(lesson: chosen, engine: try engine())
            let failures = runner.check()
            for failure in failures { print(failure) }
            if !failures.isEmpty { throw ExitCode(1) }
            print("\(chosen.name): all \(chosen.steps.count) steps hold on the model")
            return
        }
        if json {
            try printJSON([Output(name: chosen.name, title: chosen.title, minutes: chosen.minutes, summary: chosen.summary, steps: chosen.steps.count)])
            return
        }
        if text { return try printText(chosen) }
        try openExplorer(chosen)
    }

    /// Opens the explorer in the lesson, at `--step` or where the learner left it.
    func openExplorer(_ chosen: Lesson) throws {
        let saved = LearnerProgress.load().lessons[chosen.name]
        var start = (step.map { $0 - 1 }) ?? ((saved?.completed ?? true) ? 0 : saved?.step ?? 0)
        if let step, !(1...chosen.steps.count).contains(step) {
            throw CommandFailure("--step must be from 1 to \(chosen.steps.count) for the lesson '\(chosen.name)'")
        }
        start = min(max(0, start), chosen.steps.count - 1)
        var explorer = try ExploreCommand.parse([])
        explorer.modelOptions = modelOptions
        explorer.noColor = noColor
        explorer.theme = theme
        try explorer.runExplorer(lesson: chosen, step: start)
    }

    /// The lesson named or given by path; nil when none is asked for.
    func chosenLesson() throws -> Lesson? {
        if let lesson {
            do { return try LessonParser.load(URL(fileURLWithPath: lesson)) } catch { throw CommandFailure(error.description) }
        }
        guard let name else { return nil }
        let lessons = try shipped()
        guard let found = lessons.first(where: { $0.name == name }) else {
            throw CommandFailure("unknown lesson '\(name)'; the lessons are: " + lessons.map(\.name).joined(separator: ", "))
        }
        return found
    }

    func shipped() throws -> [Lesson] {
        do { return try LessonLibrary.shipped() } catch { throw CommandFailure(error.description) }
    }

    func engine() throws -> LiveExplorerEngine {
        let engine = LiveExplorerEngine(model: try loadExplorerModel(modelOptions))
        engine.comparisonTokenizers = CompareOptions().defaultComparisonTokenizers()
        return engine
    }

    func list() throws {
        let lessons = try shipped()
        if json {
            try printJSON(lessons.map { Output(name: $0.name, title: $0.title, minutes: $0.minutes, summary: $0.summary, steps: $0.steps.count) })
            return
        }
        let progress = LearnerProgress.load()
        let width = (lessons.map(\.name.count).max() ?? 8) + 2
        for lesson in lessons {
            print(lesson.name.padding(toLength: width, withPad: " ", startingAt: 0)
                + "\(lesson.title) · \(lesson.minutes) min · \(lesson.steps.count) steps · \(progress.label(for: lesson))")
            print(String(repeating: " ", count: width) + lesson.summary)
        }
        print("\n`tokenscope learn NAME --text` prints a lesson; `--check` verifies it on the model.")
    }

    /// Opens each lesson and steps through it as a learner does (`LessonTimer`), printing per step
    /// the wall time, the part in model calls and the rest.
    func printTimings(_ lessons: [Lesson]) throws {
        let engine = try engine()
        var worst = 0.0, worstCPU = 0.0
        print("lesson              step  total ms  model ms  outside ms  outside CPU ms  title")
        for lesson in lessons {
            for step in LessonTimer.measure(lesson, engine: engine) {
                worst = max(worst, step.outsideMilliseconds)
                worstCPU = max(worstCPU, step.outsideCPUMilliseconds)
                let name = lesson.name.padding(toLength: 18, withPad: " ", startingAt: 0)
                let number = step.number == 1 ? "open" : String(step.number)
                print(name + "  " + [String(repeating: " ", count: max(0, 4 - number.count)) + number,
                                     String(format: "%8.1f", step.totalMilliseconds), String(format: "%8.1f", step.modelMilliseconds),
                                     String(format: "%10.1f", step.outsideMilliseconds), String(format: "%14.1f", step.outsideCPUMilliseconds)].joined(separator: "  ") + "  " + step.title)
            }
        }
        print(String(format: "most time outside the model in one step: %.1f ms (CPU %.1f ms)", worst, worstCPU))
    }

    func printText(_ lesson: Lesson) throws {
        let runner = LessonRunner(lesson: lesson, engine: try engine())
        print("# \(lesson.title) (\(lesson.minutes) min)\n\n\(lesson.summary)")
        for (index, step) in lesson.steps.enumerated() {
            runner.apply(step: index)
            print("\n## \(index + 1). \(step.title)\n")
            do {
                print(try runner.narration(index))
                if let task = step.task {
                    print("\nTask: " + (try runner.values.fill(task.goal)))
                    for hint in task.hints { print("Hint: " + (try runner.values.fill(hint))) }
                }
            } catch {
                throw CommandFailure("step \(index + 1): \(error.reason)")
            }
        }
    }
}

import ArgumentParser
import Foundation
import TokenscopeExplorer

// MARK: - Lessons and the glossary for the explorer

/// Everything the explorer needs for teaching: the shipped lessons (plus `extra`), their progress,
/// the ids of the token texts they quote, and the glossary. Problems with the Assets folder leave
/// the lists empty and come back as a message; they never stop the explorer.
func teachingCatalogue(engine: LiveExplorerEngine, extra: Lesson? = nil) -> (TeachingAction, problem: String?) {
    var problem: String?
    var lessons: [Lesson] = []
    do { lessons = try LessonLibrary.shipped() } catch { problem = error.description }
    if let extra, !lessons.contains(where: { $0.name == extra.name && $0.file == extra.file }) { lessons.append(extra) }
    var glossary: Glossary?
    do { glossary = try Glossary.shipped() } catch { problem = problem ?? error.description }
    let progress = LearnerProgress.load()
    var labels: [String: String] = [:]
    for lesson in lessons { labels[lesson.name] = progress.label(for: lesson) }
    return (.catalogue(lessons, progress: labels, tokenIDs: tokenIDs(in: lessons, engine: engine), glossary: glossary), problem)
}

/// The ids of every `token("…")` text the lessons quote.
func tokenIDs(in lessons: [Lesson], engine: LiveExplorerEngine) -> [String: Int] {
    var ids: [String: Int] = [:]
    for lesson in lessons {
        for step in lesson.steps {
            var texts = [step.narration]
            if let task = step.task { texts += [task.goal, task.check.text] + task.hints }
            texts += step.expectations.map(\.text)
            for text in texts {
                var rest = Substring(text)
                while let start = rest.range(of: "token(\"") {
                    rest = rest[start.upperBound...]
                    guard let end = rest.range(of: "\")") else { break }
                    let argument = String(rest[..<end.lowerBound])
                    if ids[argument] == nil, let id = engine.singleTokenID(argument) { ids[argument] = id }
                    rest = rest[end.upperBound...]
                }
            }
        }
    }
    return ids
}

/// A shipped lesson by name, or a lesson file; an unknown name lists the lessons.
func findLesson(name: String?, path: String?) throws -> Lesson? {
    if let path {
        do { return try LessonParser.load(URL(fileURLWithPath: path)) } catch { throw CommandFailure(error.description) }
    }
    guard let name else { return nil }
    let lessons: [Lesson]
    do { lessons = try LessonLibrary.shipped() } catch { throw CommandFailure(error.description) }
    guard let found = lessons.first(where: { $0.name == name }) else {
        throw CommandFailure("unknown lesson '\(name)'; the lessons are: " + lessons.map(\.name).joined(separator: ", "))
    }
    return found
}

/// Saves the lesson step on screen as the learner's progress when it changed.
struct ProgressRecorder {
    private var last: (String, Int)?

    /// Records `state`'s lesson step if it is new since the last call.
    mutating func record(_ state: AppState) {
        guard let lesson = state.teaching.lesson else { return }
        if let last, last.0 == lesson.name, last.1 == state.teaching.step { return }
        last = (lesson.name, state.teaching.step)
        var progress = LearnerProgress.load()
        progress.reached(state.teaching.step, of: lesson.steps.count, in: lesson.name)
        progress.save()
    }
}

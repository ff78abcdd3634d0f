import Foundation

// MARK: - What the learner has done, kept between runs

/// The last step reached in each lesson, which lessons are completed, and whether the welcome was
/// shown. Saved as JSON in `${XDG_STATE_HOME:-~/.local/state}/tokenscope/progress.json`; a missing
/// or unreadable file is a fresh start (progress is a convenience, never a reason to fail).
public struct LearnerProgress: Sendable, Equatable, Codable {
    /// One lesson's progress.
    public struct Entry: Sendable, Equatable, Codable {
        /// The last step shown, 0-based.
        public var step: Int
        /// Whether the learner reached the end.
        public var completed: Bool
    }

    /// Progress per lesson name.
    public var lessons: [String: Entry] = [:]
    /// Whether the first-run welcome was shown.
    public var welcomed = false

    /// Empty progress.
    public init() {}

    /// The state folder: `$XDG_STATE_HOME/tokenscope`, else `~/.local/state/tokenscope`.
    public static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty, state.hasPrefix("/") {
            return URL(fileURLWithPath: state).appendingPathComponent("tokenscope")
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".local/state/tokenscope")
    }

    /// The progress file.
    public static func file(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        folder(environment: environment).appendingPathComponent("progress.json")
    }

    /// The saved progress, or a fresh start.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> LearnerProgress {
        guard let data = try? Data(contentsOf: file(environment: environment)),
            let progress = try? JSONDecoder().decode(LearnerProgress.self, from: data)
        else { return LearnerProgress() }
        return progress
    }

    /// Writes the progress (atomically); returns an error message instead of throwing.
    @discardableResult
    public func save(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let url = Self.file(environment: environment)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(self).write(to: url, options: .atomic)
            return nil
        } catch {
            return "cannot save progress to \(url.path): \(error.localizedDescription)"
        }
    }

    /// Records that step `index` of `lesson` (of `count` steps) was shown.
    public mutating func reached(_ index: Int, of count: Int, in lesson: String) {
        var entry = lessons[lesson] ?? Entry(step: 0, completed: false)
        entry.step = index
        if index >= count - 1 { entry.completed = true }
        lessons[lesson] = entry
    }

    /// "step 3/7", "completed" or "not started", for lists.
    public func label(for lesson: Lesson) -> String {
        guard let entry = lessons[lesson.name] else { return "not started" }
        return entry.completed ? "completed" : "step \(entry.step + 1)/\(lesson.steps.count)"
    }
}

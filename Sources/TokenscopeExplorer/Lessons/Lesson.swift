import TokenscopeTransformer

// MARK: - A lesson as data

/// A guided walk through one idea on the live model: a title, how long it takes, what it covers, and
/// its steps. Read from a Markdown file (`LessonParser`; format in `Docs/LESSONS.md`).
public struct Lesson: Sendable, Equatable {
    /// The short name used on the command line (`attention`): the file name without its order
    /// prefix (`04-`) and extension.
    public let name: String
    /// The `# title` of the file.
    public let title: String
    /// Minutes a learner needs.
    public let minutes: Int
    /// One sentence: what the lesson covers.
    public let summary: String
    /// The file it was read from.
    public let file: String
    /// The steps, in order.
    public let steps: [LessonStep]
}

/// One step: what to set up, what to say, and optionally something for the learner to do.
public struct LessonStep: Sendable, Equatable {
    /// The `## heading`.
    public let title: String
    /// The heading's line in the file.
    public let line: Int
    /// What this step changes (unset fields keep the previous steps' values; an exact setup, see
    /// `Setup.exact`).
    public let setup: Setup
    /// Claims about the live model that must hold once the setup is applied (`--check` verifies them).
    public let expectations: [LessonCondition]
    /// The narration: Markdown paragraphs with `{placeholders}` for live values.
    public let narration: String
    /// Something to do, with a check.
    public let task: LessonTask?
}

/// A task: what the learner is asked to do, the keys that do it (the reference action `--check`
/// performs), the condition that says it is done, and hints. A task with a `guess` is a guess
/// task: the learner types a guess for the next token in the narration panel before stepping, and
/// the panel then shows how likely the model thought it was.
public struct LessonTask: Sendable, Equatable {
    /// The request, shown to the learner.
    public let goal: String
    /// The reference action in the `render --keys` syntax (for a guess task, pressed after the
    /// reference guess is typed and locked in).
    public let action: String
    /// The reference guess `--check` types, for a guess task; nil for a task done with keys alone.
    public var guess: String? = nil
    /// Done when this holds.
    public let check: LessonCondition
    /// Hints, shown one at a time.
    public let hints: [String]
    /// The block's line in the file.
    public let line: Int
}

import TokenscopeUI

// MARK: - What the explorer keeps for teaching

/// The explain panel, the lesson in progress, the lesson list, the glossary and the welcome: one
/// property of `AppState`, changed only by the reducer.
public struct TeachingState: Sendable, Equatable {
    /// Whether the explain panel is open.
    public var explainOpen = false
    /// The lesson being followed and its step (0-based).
    public var lesson: Lesson?
    public var step = 0
    /// Hints of the step's task shown so far.
    public var hints = 0
    /// Whether the narration panel shows everything (on small screens it collapses to two lines).
    public var narrationExpanded = false
    /// The rest of a setup waiting for its prompt to finish running, and a setup's keys still to
    /// press (`Setup.keys`; a lesson step's own), with whether one of them is being pressed now.
    public var pendingSetup: Setup?
    public var pendingKeys: [Key] = []
    public var pressingStepKeys = false
    /// A guess task's text field while it is open, and the guess locked in (see `LessonGuess`).
    public var guessField: PromptEditor?
    public var guess: LessonGuess?
    /// Every lesson the list offers, with a progress label per lesson name.
    public var catalogue: [Lesson] = []
    public var progressLabels: [String: String] = [:]
    /// Whether the lesson list is open, and its highlighted row.
    public var listOpen = false
    public var listSelection = 0
    /// Token ids of the `token("…")` texts the lessons quote (the renderer has no tokenizer).
    public var tokenIDs: [String: Int] = [:]
    /// The glossary, the search box while it is open, and the highlighted match.
    public var glossary: Glossary?
    public var glossarySearch: PromptEditor?
    public var glossarySelection = 0
    /// Whether the first-run welcome is on screen.
    public var welcome = false

    /// Nothing open.
    public init() {}

    /// The step on screen, if a lesson is open.
    public var currentStep: LessonStep? {
        guard let lesson, lesson.steps.indices.contains(step) else { return nil }
        return lesson.steps[step]
    }
}

/// What the command line hands the explorer for teaching, and what the learner does with lessons.
public enum TeachingAction: Sendable {
    /// The lessons, their progress labels, the token ids their values quote, and the glossary.
    case catalogue([Lesson], progress: [String: String], tokenIDs: [String: Int], glossary: Glossary?)
    /// Opens `lesson` at `step`.
    case open(Lesson, step: Int)
    /// Shows the first-run welcome.
    case welcome
}

import TokenscopeUI

// MARK: - Lessons, the explain panel, the glossary and the welcome

extension Reducer {
    static func teaching(_ state: inout AppState, _ action: TeachingAction) -> [Effect] {
        switch action {
        case .catalogue(let lessons, let progress, let tokenIDs, let glossary):
            state.teaching.catalogue = lessons
            state.teaching.progressLabels = progress
            state.teaching.tokenIDs.merge(tokenIDs) { _, new in new }
            state.teaching.glossary = glossary
            return []
        case .open(let lesson, let step):
            state.teaching.lesson = lesson
            state.teaching.step = min(max(0, step), max(0, lesson.steps.count - 1))
            state.teaching.listOpen = false
            state.teaching.narrationExpanded = false
            return applyStep(&state)
        case .welcome:
            state.teaching.welcome = true
            return []
        }
    }

    /// Puts the explorer in the current step's state: its setup (exact: the same state however
    /// the learner left the previous step), then its keys; a guess task opens its field.
    static func applyStep(_ state: inout AppState) -> [Effect] {
        guard let lesson = state.teaching.lesson else { return [] }
        let setup = LessonRunner.setup(of: lesson, at: state.teaching.step)
        state.teaching.hints = 0
        state.teaching.explainOpen = false
        state.teaching.guess = nil
        state.teaching.guessField = state.teaching.currentStep?.task?.guess != nil ? PromptEditor(text: "") : nil
        let effects = apply(setup, to: &state)
        lessonStatus(&state)
        return effects
    }

    /// The status line of an open lesson: where the learner is.
    static func lessonStatus(_ state: inout AppState) {
        guard let lesson = state.teaching.lesson else { return }
        state.status = "lesson \(lesson.title): step \(state.teaching.step + 1) of \(lesson.steps.count)"
    }

    static func teachingCommand(_ state: inout AppState, _ command: Command) -> [Effect] {
        switch command {
        case .explain:
            state.teaching.explainOpen.toggle()
        case .lessonList:
            state.teaching.listOpen = true
            if let lesson = state.teaching.lesson, let index = state.teaching.catalogue.firstIndex(where: { $0.name == lesson.name }) {
                state.teaching.listSelection = index
            }
        case .glossary:
            state.teaching.glossarySearch = PromptEditor(text: "")
            state.teaching.glossarySelection = 0
        case .lessonNext, .lessonBack:
            guard let lesson = state.teaching.lesson else {
                state.status = "no lesson open: L lists the lessons"
                return []
            }
            let next = state.teaching.step + (command == .lessonNext ? 1 : -1)
            guard lesson.steps.indices.contains(next) else {
                state.status = command == .lessonNext ? "end of the lesson \(lesson.title): L opens another" : "this is the first step"
                return []
            }
            state.teaching.step = next
            return applyStep(&state)
        case .lessonHint:
            guard let task = state.teaching.currentStep?.task else {
                state.status = state.teaching.lesson == nil ? "no lesson open: L lists the lessons" : "this step has no task"
                return []
            }
            state.teaching.hints = min(task.hints.count, state.teaching.hints + 1)
            if task.hints.isEmpty { state.status = "no hints for this task" }
        case .lessonPanel:
            state.teaching.narrationExpanded.toggle()
        default:
            break
        }
        return []
    }

    /// Keys taken by the welcome, the lesson list and the glossary search while they are open;
    /// nil lets the key through.
    static func teachingKey(_ state: inout AppState, _ key: Key) -> [Effect]? {
        if state.teaching.welcome {
            state.teaching.welcome = false
            return []
        }
        if state.teaching.listOpen {
            let count = state.teaching.catalogue.count
            switch key {
            case .up: state.teaching.listSelection = max(0, state.teaching.listSelection - 1)
            case .down: state.teaching.listSelection = min(max(0, count - 1), state.teaching.listSelection + 1)
            case .enter:
                guard state.teaching.catalogue.indices.contains(state.teaching.listSelection) else { return [] }
                let lesson = state.teaching.catalogue[state.teaching.listSelection]
                return teaching(&state, .open(lesson, step: 0))
            default: state.teaching.listOpen = false
            }
            return []
        }
        if var search = state.teaching.glossarySearch {
            switch key {
            case .escape, .enter, .control("c"): state.teaching.glossarySearch = nil
            case .up: state.teaching.glossarySelection = max(0, state.teaching.glossarySelection - 1)
            case .down: state.teaching.glossarySelection += 1
            default:
                _ = search.edit(key)
                state.teaching.glossarySearch = search
                state.teaching.glossarySelection = 0
            }
            return []
        }
        if let handled = guessKey(&state, key) { return handled }
        return nil
    }
}

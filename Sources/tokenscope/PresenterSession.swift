import Foundation
import TokenscopeExplorer
import TokenscopeUI

// MARK: - Playing a demo script

/// The demo being presented: which step is on screen, the presenter keys (Space, →, PgDn — what a
/// presenter clicker sends — go forward; PgUp, ← go back; Home/End jump; `N` shows or hides the
/// notes), the strip that names the step, and the notes file kept up to date as the demo advances.
struct PresenterSession {
    let script: DemoScript
    let defaultPrompt: String
    /// The step on screen (0-based).
    private(set) var index = 0
    /// Whether the notes strip is shown.
    private(set) var showNotes = true
    /// Where the current step's notes are written (a file, or another terminal's tty).
    let notesPath: String?

    init(script: DemoScript, defaultPrompt: String, notesPath: String?) {
        self.script = script
        self.defaultPrompt = defaultPrompt
        self.notesPath = notesPath
    }

    /// The actions that show the current step (replayed from a fresh start).
    func actionsForCurrentStep() -> [Action] { script.actions(through: index, defaultPrompt: defaultPrompt) }

    /// Handles a presenter key: the actions that reach the new step, or nil when the key is not a
    /// presenter key (it then goes to the explorer).
    mutating func handle(_ key: Key) -> [Action]? {
        let last = script.steps.count - 1
        switch key {
        case .character(" "), .right, .pageDown:
            guard index < last else { return [] }
            index += 1
        case .left, .pageUp:
            guard index > 0 else { return [] }
            index -= 1
        case .home: index = 0
        case .end: index = last
        case .character("N"):
            showNotes.toggle()
            return []
        default:
            return nil
        }
        writeNotes()
        return actionsForCurrentStep()
    }

    /// Draws the presenter strip over the footer (and the notes above it when shown).
    func draw(on canvas: inout Canvas, theme: Theme) {
        PresenterStrip(script: script, index: index, showNotes: showNotes).render(on: &canvas, theme: theme)
    }

    /// Writes the current step's notes to the notes file, if any; a terminal gets the screen
    /// cleared first. Failures are ignored (the demo goes on).
    func writeNotes() {
        guard let notesPath else { return }
        var info = stat()
        let isTerminal = stat(notesPath, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR
        let text = (isTerminal ? "\u{1B}[H\u{1B}[2J" : "") + Self.notesText(script, index)
        try? text.write(toFile: notesPath, atomically: false, encoding: .utf8)
    }

    /// The notes page for step `index`: a heading, the notes, and what comes next.
    static func notesText(_ script: DemoScript, _ index: Int) -> String {
        let step = script.steps[index]
        var text = "Step \(index + 1)/\(script.steps.count): \(step.title)\n\n"
        text += step.notes.isEmpty ? "(no notes)\n" : step.notes.joined(separator: "\n") + "\n"
        if index + 1 < script.steps.count { text += "\nNext: \(script.steps[index + 1].title)\n" }
        return text
    }
}

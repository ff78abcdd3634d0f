import Foundation
import TokenscopeExplorer
import TokenscopeTerminal
import TokenscopeUI

// MARK: - The interactive loop

/// Runs the explorer in a terminal: drains model results, feeds prepared input when the model is
/// idle, draws changed frames (and records them), and turns terminal input into actions. Shared by
/// `explore` and `present`.
struct ExplorerLoop {
    let runtime: ExplorerRuntime
    let terminal: CursesTerminal
    var input = ScriptedInput()
    var cast: CastRecorder?
    var keys: KeyRecorder?
    var presenter: PresenterSession?
    /// Whether the session is saved for `--resume` when the loop ends.
    var savesSession = true
    /// Called with the state after each round of input (e.g. to record a learner's progress).
    var observe: ((AppState) -> Void)?

    /// Runs until the user quits or a signal arrives.
    mutating func run() {
        var dirty = true
        var frame: Canvas?
        while !runtime.state.quitting && CursesTerminal.interrupted == 0 {
            if runtime.drainInbox() { dirty = true }
            if input.pump(runtime, theme: terminal.theme) { dirty = true }
            if dirty {
                var canvas = Renderer.render(runtime.state, theme: terminal.theme)
                presenter?.draw(on: &canvas, theme: terminal.theme)
                terminal.draw(canvas)
                cast?.record(canvas)
                frame = canvas
                dirty = false
            }
            for event in terminal.read(timeout: 30) {
                dirty = true
                if var presenter, case .key(let key) = event, runtime.state.editor == nil, runtime.state.embeddingsView.input == nil,
                    let actions = presenter.handle(key)
                {
                    self.presenter = presenter
                    input.replace(with: actions)
                    continue
                }
                let before = keys == nil ? nil : runtime.state
                runtime.send(event, frame: frame)
                if let keys, let before {
                    // Asking to quit is not part of the screen a replay should reach.
                    let quitting = runtime.state.quitting || runtime.state.confirmingQuit || before.confirmingQuit
                    keys.record(event, changedState: !quitting && before != runtime.state)
                }
                if runtime.state.saveRequested, let frame {
                    runtime.send(.notice(ScreenSaver.save(frame, theme: terminal.theme, view: runtime.state.view.rawValue)))
                }
            }
            observe?(runtime.state)
        }
        if savesSession, !runtime.state.tokens.isEmpty { _ = SavedSession(runtime.state).save() }
        cast?.close()
        keys?.close()
    }
}

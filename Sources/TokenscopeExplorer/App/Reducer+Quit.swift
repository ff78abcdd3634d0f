import TokenscopeUI

// MARK: - Quitting without losing a demo

extension Reducer {
    /// Whether quitting now would lose text the user made here: generated tokens, or a prompt
    /// typed in the editor (a prompt given on the command line is still in the shell's history).
    static func wouldLoseText(_ state: AppState) -> Bool {
        state.tokens.contains(where: \.generated) || !state.promptHistory.isEmpty
    }

    /// `q`: quits at once when nothing would be lost, otherwise asks first.
    static func askToQuit(_ state: inout AppState) {
        guard wouldLoseText(state) else {
            state.quitting = true
            return
        }
        state.confirmingQuit = true
        state.status = "quit? q or y quits, any other key stays (the text is kept for --resume)"
    }

    /// The key after the question: `q` or `y` quits; anything else keeps working (and is not taken
    /// as a command); Ctrl-C quits.
    static func confirmQuit(_ state: inout AppState, _ key: Key) -> [Effect] {
        state.confirmingQuit = false
        switch key {
        case .character("q"), .character("y"), .character("Y"), .control("c"):
            state.quitting = true
        default:
            state.status = "still here"
        }
        return []
    }
}

import TokenscopeUI

// MARK: - Embeddings view commands

extension Reducer {
    /// Opens the embeddings view's look-up box on the current query.
    static func embeddingsCommand(_ state: inout AppState, _ command: Command) -> [Effect] {
        if command == .lookUp { state.embeddingsView.input = PromptEditor(text: state.embeddingsView.query) }
        return []
    }

    /// Keys while the embeddings view's input box is open: Enter looks the text up, Esc cancels.
    static func embeddingsInputKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var input = state.embeddingsView.input else { return [] }
        switch key {
        case .escape, .control("c"):
            state.embeddingsView.input = nil
            return []
        case .enter:
            state.embeddingsView.input = nil
            state.embeddingsView.query = input.text
            return []
        default: _ = input.edit(key)
        }
        state.embeddingsView.input = input
        return []
    }
}

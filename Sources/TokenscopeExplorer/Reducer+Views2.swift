// MARK: - Attention, embeddings and forward view commands

extension Reducer {
    /// Most positions one heatmap pixel averages.
    static let maximumZoom = 64

    static func views2Command(_ state: inout AppState, _ command: Command) -> [Effect] {
        switch command {
        case .attentionMode(let mode):
            state.attentionView.mode = state.attentionView.mode == mode && mode != .head ? .head : mode
        case .openHead:
            state.attentionView.mode = .head
            state.attentionView.averageHeads = false
        case .attentionToggle(let toggle):
            state.attentionView.flip(toggle)
        case .zoom(let direction):
            let zoom = state.attentionView.zoom
            state.attentionView.zoom = direction > 0 ? min(maximumZoom, zoom * 2) : max(1, zoom / 2)
        case .lookUp:
            state.embeddingsView.input = PromptEditor(text: state.embeddingsView.query)
        default:
            break
        }
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

import TokenscopeUI

// MARK: - Attention view commands

extension Reducer {
    /// Most positions one heatmap pixel averages.
    static let maximumZoom = 64

    /// The attention view's modes, toggles and zoom.
    static func attentionCommand(_ state: inout AppState, _ command: Command) -> [Effect] {
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
        default:
            break
        }
        return []
    }
}

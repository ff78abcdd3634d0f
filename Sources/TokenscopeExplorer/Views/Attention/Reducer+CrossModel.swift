import TokenscopeTransformer
import TokenscopeUI

// MARK: - The attention view's comparison with the other kind of model: keys and model work

extension Reducer {
    /// `d`: puts the other kind of model's head beside the one on screen, or takes it away.
    static func toggleCrossModel(_ state: inout AppState) -> [Effect] {
        var cross = state.attentionView.crossModel
        cross.isOpen.toggle()
        cross.message = nil
        cross.failed = nil
        state.attentionView.crossModel = cross
        guard cross.isOpen else {
            state.status = "comparison closed"
            return []
        }
        // One side by side at a time.
        state.secondPrompt.isOpen = false
        state.attentionView.mode = .head
        state.status = state.isEncoder
            ? "beside the encoder: the decoder's head at the same relative depth · ,/. head · ↑/↓ layer · d leaves"
            : "beside the decoder: the encoder's head at the same relative depth · ,/. head · ↑/↓ layer · d leaves"
        return []
    }

    /// The text both models read: the prompt, and for a decoder the tokens it generated after it.
    static func crossModelText(_ state: AppState) -> String {
        guard !state.isEncoder else { return state.prompt }
        return state.prompt + state.tokens.filter(\.generated).map(\.text).joined()
    }

    /// The request the comparison on screen needs, if any.
    static func wantedCrossModel(_ state: AppState) -> CrossModelRequest? {
        guard state.view == .attention, state.attentionView.crossModel.isOpen, !state.tokens.isEmpty else { return nil }
        return CrossModelRequest(text: crossModelText(state), layer: state.layer, layerCount: state.layerCount)
    }

    /// After every action: asks the other model for what the comparison needs and has not got.
    static func crossModelEffects(_ state: inout AppState) -> [Effect] {
        guard let wanted = wantedCrossModel(state) else { return [] }
        let cross = state.attentionView.crossModel
        guard cross.data?.request != wanted, !cross.pending.contains(wanted), cross.failed != wanted else { return [] }
        state.attentionView.crossModel.message = nil
        state.attentionView.crossModel.pending.append(wanted)
        return [.crossModel(wanted)]
    }

    /// The other model answered: its data is kept, or its message shown in its half.
    static func crossModelAnswered(_ state: inout AppState, _ result: CrossModelResult) -> [Effect] {
        switch result {
        case .data(let data):
            state.attentionView.crossModel.pending.removeAll { $0 == data.request }
            state.attentionView.crossModel.data = data
            state.attentionView.crossModel.message = nil
            state.attentionView.crossModel.failed = nil
        case .failed(let request, let message):
            state.attentionView.crossModel.pending.removeAll { $0 == request }
            state.attentionView.crossModel.failed = request
            if request == wantedCrossModel(state) { state.attentionView.crossModel.message = message }
        }
        return []
    }
}

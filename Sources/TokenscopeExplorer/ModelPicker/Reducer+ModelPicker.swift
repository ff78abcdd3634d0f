import TokenscopeTransformer
import TokenscopeUI

// MARK: - Switching models

extension Reducer {
    /// `m`: opens the picker and asks the runtime for the list of models.
    static func openModelPicker(_ state: inout AppState) -> [Effect] {
        state.modelPicker = ModelPickerState()
        return [.listModels]
    }

    /// The list arrived: the loaded model is highlighted.
    static func modelsListed(_ state: inout AppState, _ entries: [CatalogEntry], current: String?) -> [Effect] {
        guard var picker = state.modelPicker else { return [] }
        picker.entries = entries
        picker.current = current
        picker.loading = false
        picker.selected = entries.firstIndex { $0.path == current } ?? 0
        state.modelPicker = picker
        return []
    }

    /// Keys while the picker is open: ↑/↓ move, Enter switches to a runnable model, Esc (or `m`,
    /// `q`) closes it.
    static func modelPickerKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var picker = state.modelPicker else { return [] }
        switch key {
        case .escape, .character("m"), .character("q"):
            state.modelPicker = nil
            return []
        case .up:
            picker.selected = max(0, picker.selected - 1)
        case .down:
            picker.selected = min(max(0, picker.entries.count - 1), picker.selected + 1)
        case .enter:
            guard picker.entries.indices.contains(picker.selected) else { return [] }
            let entry = picker.entries[picker.selected]
            if entry.path == picker.current {
                state.modelPicker = nil
                state.status = "\(entry.name) is the model already loaded"
                return []
            }
            // Decoders run; an encoder folder opens on its similarity and search views.
            guard entry.use != .inspect else {
                picker.message = "\(entry.name) cannot run here: \(entry.reason ?? "not supported")"
                state.modelPicker = picker
                return []
            }
            guard state.busy == nil else {
                picker.message = "the model is busy: switch when it is free"
                state.modelPicker = picker
                return []
            }
            state.modelPicker = nil
            state.autoPlay = false
            state.busy = "loading \(entry.name)"
            return [.switchModel(path: entry.path)]
        default:
            return []
        }
        picker.message = nil
        state.modelPicker = picker
        return []
    }

    /// Another model is loaded: what was computed with the old one goes, the prompt stays and is
    /// run on the new one.
    static func modelSwitched(_ state: inout AppState, _ facts: EngineFacts) -> [Effect] {
        state.adopt(facts)
        state.busy = nil
        state.tokens = []
        state.selected = 0
        state.analysis = nil
        state.candidate = 0
        state.timings = []
        state.vocabularyText = [:]
        state.history = SequenceHistory()
        let mode = state.attentionView.mode
        state.attentionView = AttentionViewState()
        state.attentionView.mode = mode
        state.embeddingsView = EmbeddingsViewState()
        state.forwardView = ForwardViewState()
        state.tokensView = TokensViewState()
        let effects = runPrompt(&state, state.prompt, chat: state.chat)
        state.status = "switched to \(facts.summary)"
        return effects
    }
}

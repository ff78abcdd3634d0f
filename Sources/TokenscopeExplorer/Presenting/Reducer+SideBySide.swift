import TokenscopeTransformer
import TokenscopeUI

// MARK: - Side by side: keys, the second prompt's editor, and its model work

extension Reducer {
    /// `|`: in the sampling view, off → two sampler settings → two prompts → off; in the attention
    /// view, off → two prompts → off.
    static func toggleSideBySide(_ state: inout AppState) -> [Effect] {
        if state.secondPrompt.isOpen {
            state.secondPrompt.isOpen = false
            state.secondPrompt.editing = false
            state.status = "side by side closed"
            return []
        }
        if state.view == .sampling, state.comparison == nil {
            // Start from the current settings with the temperature far from it.
            var second = state.settings
            second.temperature = state.settings.temperature >= 1 ? 0.2 : 1.5
            state.comparison = second
            state.editingComparison = true
            state.status = "side by side: the setting keys change B (\\ for A), X swaps, | compares two prompts"
            return []
        }
        state.comparison = nil
        state.editingComparison = false
        return openPromptComparison(&state, edit: state.secondPrompt.prompt.isEmpty)
    }

    /// Opens the side by side of two prompts; with `edit`, the prompt editor opens on B first
    /// (holding B's prompt, or A's to change a word of it).
    static func openPromptComparison(_ state: inout AppState, edit: Bool) -> [Effect] {
        state.secondPrompt.isOpen = true
        state.attentionView.mode = .head
        guard edit else {
            state.status = "side by side: A is the prompt on screen, B the second · E edits B, e edits A, W swaps, | leaves"
            return []
        }
        let text = state.secondPrompt.prompt.isEmpty ? state.prompt : state.secondPrompt.prompt
        state.editor = PromptEditor(text: text, history: state.promptHistory + [state.prompt])
        state.secondPrompt.editing = true
        state.status = "the second prompt (B): Enter runs it beside A, Esc cancels"
        return []
    }

    /// `E`: edit the second prompt (opening the side by side when it is closed).
    static func editSecondPrompt(_ state: inout AppState) -> [Effect] {
        state.comparison = nil
        state.editingComparison = false
        return openPromptComparison(&state, edit: true)
    }

    /// `W`: A's prompt becomes B and B's runs as the sequence on screen.
    static func swapPrompts(_ state: inout AppState) -> [Effect] {
        guard state.secondPrompt.isOpen, !state.secondPrompt.prompt.isEmpty else {
            state.status = "W swaps the prompts of the side by side: open it with | or E"
            return []
        }
        guard state.history.pendingPrompt == nil else { return [] }
        let second = state.secondPrompt.prompt
        setSecondPrompt(&state, state.prompt)
        state.status = "swapped: A is now \"\(second)\""
        return runPrompt(&state, second, chat: state.chat)
    }

    /// Enter, Esc or Ctrl-C in the editor open on B: Enter makes the text the second prompt (its
    /// run is asked for by `secondPromptEffects`), Esc and Ctrl-C keep the one there was (and leave
    /// the side by side when there was none).
    static func secondPromptEditorKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        let text = state.editor?.text ?? ""
        state.editor = nil
        state.secondPrompt.editing = false
        guard key == .enter else {
            if state.secondPrompt.prompt.isEmpty { state.secondPrompt.isOpen = false }
            state.status = ""
            return []
        }
        guard !text.isEmpty else {
            if state.secondPrompt.prompt.isEmpty { state.secondPrompt.isOpen = false }
            state.status = "the second prompt is empty: type some text"
            return []
        }
        setSecondPrompt(&state, text)
        state.secondPrompt.isOpen = true
        state.status = "side by side: A is the prompt on screen, B the second · E edits B, e edits A, W swaps, | leaves"
        return []
    }

    /// A prepared state's side by side (`--compare`, a demo's `compare`): open with `text` as B,
    /// or closed when it is empty.
    static func compareWith(_ text: String, in state: inout AppState) -> [Effect] {
        guard !text.isEmpty else {
            state.secondPrompt.isOpen = false
            return []
        }
        state.comparison = nil
        state.editingComparison = false
        setSecondPrompt(&state, text)
        return openPromptComparison(&state, edit: false)
    }

    /// Makes `text` the second prompt; its data is asked for again.
    static func setSecondPrompt(_ state: inout AppState, _ text: String) {
        guard text != state.secondPrompt.prompt else { return }
        state.secondPrompt.prompt = text
        state.secondPrompt.message = nil
    }

    // MARK: Model work for B

    /// The request for B that the view on screen needs: the next-token logits lined up with A's
    /// selection (sampling), or the layer shown (attention).
    static func wantedSecondPrompt(_ state: AppState) -> SecondPromptRequest? {
        let second = state.secondPrompt
        guard second.isOpen, !second.prompt.isEmpty, !state.tokens.isEmpty, state.selected < state.tokens.count else { return nil }
        switch state.view {
        case .sampling:
            return SecondPromptRequest(prompt: second.prompt, chat: state.chat, part: .nextToken(fromEnd: state.tokens.count - 1 - state.selected))
        case .attention:
            return SecondPromptRequest(prompt: second.prompt, chat: state.chat, part: .layer(state.layer, scores: state.attentionView.scores))
        default:
            return nil
        }
    }

    /// After every action: forgets requests a new prompt run made stale (the runtime drops work
    /// queued before a reset), then asks for B's data when the view needs what it has not got.
    static func secondPromptEffects(_ state: inout AppState, after action: Action?, _ effects: [Effect]) -> [Effect] {
        if effects.contains(.cancelPrompt) || effects.contains(where: { if case .reset = $0 { true } else { false } }) {
            state.secondPrompt.pending.removeAll()
        }
        if case .failed = action { state.secondPrompt.pending.removeAll() }
        guard let wanted = wantedSecondPrompt(state), state.secondPrompt.message == nil,
            !state.secondPrompt.pending.contains(wanted),
            state.secondPrompt.next?.request != wanted, state.secondPrompt.layer?.request != wanted
        else { return [] }
        state.secondPrompt.pending.append(wanted)
        return [.inspect(.secondPrompt(wanted))]
    }

    /// Stores B's data (the next `secondPromptEffects` asks again if it is already stale).
    static func receivedSecondPrompt(_ state: inout AppState, _ data: SecondPromptData) {
        state.secondPrompt.pending.removeAll { $0 == data.request }
        switch data.request.part {
        case .nextToken: state.secondPrompt.next = data
        case .layer: state.secondPrompt.layer = data
        }
        state.vocabularyText.merge(data.texts) { _, new in new }
    }

    /// A request for B failed: the message shows in B's half, and B is not asked again until its
    /// prompt changes.
    static func secondPromptFailed(_ state: inout AppState, _ request: SecondPromptRequest, _ message: String) {
        state.secondPrompt.pending.removeAll { $0 == request }
        if request.prompt == state.secondPrompt.prompt { state.secondPrompt.message = message }
    }
}

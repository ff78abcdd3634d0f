import TokenscopeTransformer
import TokenscopeTokenizers

// MARK: - Applying a lesson step's setup

extension Reducer {
    /// Puts the explorer in the state a lesson step describes. When the prompt (or the chat
    /// wrapping) differs from the sequence on screen, or tokens were generated after it, the prompt
    /// is run again first and the caller sends the setup again once it is loaded (`needsPrompt`);
    /// otherwise the view, selection, layer, head, attention mode and toggles, embeddings query and
    /// sampler settings are set, and anything not named returns to its default, so a step looks the
    /// same however the learner left the previous one.
    static func arrange(_ state: inout AppState, _ setup: StepSetup) -> [Effect] {
        state.autoPlay = false
        state.editor = nil
        state.showHelp = false
        state.embeddingsView.input = nil
        if needsPrompt(state, setup), let prompt = setup.prompt {
            if state.promptHistory.last != state.prompt { state.promptHistory.append(state.prompt) }
            state.prompt = prompt
            state.chat = setup.chat ?? false
            state.busy = "running the prompt"
            return [.reset(prompt: prompt, chat: state.chat)]
        }
        state.view = setup.view ?? state.view
        state.settings = setup.settings
        state.candidate = 0
        state.layer = min(max(0, setup.layer ?? 0), max(0, state.layerCount - 1))
        state.head = min(max(0, setup.head ?? 0), max(0, state.headCount - 1))
        var attention = state.attentionView
        attention.mode = setup.attentionMode ?? .head
        let toggles = setup.attentionToggles ?? []
        attention.logScale = toggles.contains("log")
        attention.hideFirst = toggles.contains("hide-first")
        attention.averageHeads = toggles.contains("average")
        attention.scores = toggles.contains("scores")
        attention.zoom = 1
        state.attentionView = attention
        state.embeddingsView.query = setup.query ?? ""
        state.tokensView = TokensViewState()
        state.status = ""
        return select(&state, position(of: setup.token, in: state.tokens) ?? state.tokens.count - 1, force: true)
    }

    /// Whether applying `setup` must run its prompt first.
    public static func needsPrompt(_ state: AppState, _ setup: StepSetup) -> Bool {
        guard let prompt = setup.prompt else { return false }
        return prompt != state.prompt || (setup.chat ?? false) != state.chat || state.tokens.isEmpty || state.tokens.contains(where: \.generated)
    }

    /// The 0-based position a token choice names in `tokens`, if any.
    public static func position(of choice: TokenChoice?, in tokens: [TokenInfo]) -> Int? {
        switch choice {
        case nil: return nil
        case .position(let n): return n < 0 ? tokens.count + n : n
        case .text(let text): return tokens.lastIndex { $0.text == text || TokenSpelling.visible($0.text) == text }
        }
    }

    /// The attention toggles a setup may name.
    public static let attentionToggleNames: Set<String> = ["log", "hide-first", "average", "scores"]
}

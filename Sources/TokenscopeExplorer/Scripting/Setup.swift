import TokenscopeUI
import TokenscopeTransformer
import TokenscopeTokenizers

// MARK: - A prepared state

/// Where the explorer should be: the prompt, the view, the selected token, layer and head, the
/// attention view's mode and toggles, the embeddings query and the sampler settings. The one way to
/// put the explorer in a prepared state: launch options (`--view sampling --token 3 …`), a demo
/// script's steps, `--resume` and lesson steps are all setups, applied by the reducer (`.setup`).
/// Numbers are as the screen shows them: token, layer and head count from 0.
public struct Setup: Sendable, Equatable {
    /// Start from a fresh state (everything not set here back to its default) and run the prompt
    /// again: how a demo step is reached the same way every time.
    public var restart = false
    /// Whether what the setup does not name returns to its default (a lesson step: the same screen
    /// however the learner left the previous one; the prompt runs again only when it differs or
    /// tokens were generated) rather than staying as it is (launch options, a demo step).
    public var exact = false
    /// The prompt (special tokens parsed), and whether it is wrapped as a ChatML user turn.
    public var prompt: String?
    public var chat: Bool?
    /// The view on screen.
    public var view: ViewKind?
    /// The token to select; nil keeps the selection (the last token for an exact setup).
    public var token: TokenChoice?
    /// The attention layer and head, counted from 0.
    public var layer: Int?
    public var head: Int?
    /// The attention view's mode and toggles (`log`, `hide-first`, `average`, `scores`).
    public var attentionMode: AttentionViewState.Mode?
    public var attentionToggles: Set<String>?
    /// The embeddings view's look-up (`king - man + woman`; empty: the selected token).
    public var query: String?
    /// Sampler settings.
    public var temperature: Float?
    public var topK: Int?
    public var topP: Float?
    public var minP: Float?
    public var seed: UInt64?
    /// Presenter mode on or off.
    public var presenting: Bool?
    /// The side by side of two prompts: open with this second prompt (B), or closed when empty.
    public var secondPrompt: String?
    /// Vocabulary ids to append after the prompt, as if generated (a resumed session's text).
    public var generated: [Int] = []
    /// Keys pressed once the rest is applied (the `render --keys` syntax), each after the model
    /// work of the one before; a lesson step's own (never inherited by `merged(with:)`).
    public var keys: String?

    /// An empty setup (changes nothing).
    public init() {}

    /// Whether the setup runs a prompt (which must finish before the rest applies).
    public var runsPrompt: Bool { restart || prompt != nil || chat != nil }

    /// The setup as actions to send one at a time, each when the model is idle: the prompt part
    /// first, then the generated tokens (the tokens must exist before one can be selected), then
    /// the rest.
    public var actions: [Action] {
        var first = Setup()
        first.restart = restart
        first.prompt = prompt
        first.chat = chat
        var second = Setup()
        second.generated = generated
        var rest = self
        rest.restart = false
        rest.prompt = nil
        rest.chat = nil
        rest.generated = []
        return [first, second, rest].filter { $0 != Setup() }.map { .setup($0) }
    }

    /// `self` with every field `later` sets taken from `later`: how a lesson step's setup is laid
    /// over the steps before it. Keys are never inherited.
    public func merged(with later: Setup) -> Setup {
        var out = self
        out.restart = later.restart
        out.exact = later.exact || exact
        out.prompt = later.prompt ?? prompt
        out.chat = later.chat ?? chat
        out.view = later.view ?? view
        out.token = later.token ?? token
        out.layer = later.layer ?? layer
        out.head = later.head ?? head
        out.attentionMode = later.attentionMode ?? attentionMode
        out.attentionToggles = later.attentionToggles ?? attentionToggles
        out.query = later.query ?? query
        out.temperature = later.temperature ?? temperature
        out.topK = later.topK ?? topK
        out.topP = later.topP ?? topP
        out.minP = later.minP ?? minP
        out.seed = later.seed ?? seed
        out.presenting = later.presenting ?? presenting
        out.secondPrompt = later.secondPrompt ?? secondPrompt
        out.generated = later.generated.isEmpty ? generated : later.generated
        out.keys = later.keys
        return out
    }

    /// The sampler settings this setup names, `base` for the rest.
    public func settings(over base: SamplerSettings) -> SamplerSettings {
        var s = base
        if let t = temperature { s.temperature = t }
        if let k = topK { s.topK = k }
        if let p = topP { s.topP = p }
        if let m = minP { s.minP = m }
        s = s.clampedToKnobs
        if let seed { s.seed = seed }
        return s
    }

    /// The attention toggles a setup may name.
    public static let attentionToggleNames: Set<String> = ["log", "hide-first", "average", "scores"]
}

/// Which token a setup selects.
public enum TokenChoice: Sendable, Equatable {
    /// A position from 0; negative counts from the end (−1 = the last token); past the end is the last.
    case position(Int)
    /// The last token whose text is exactly this (`" is"`, or its visible spelling `"␣is"`).
    case text(String)

    /// The position this choice names in `tokens`, if any.
    public func position(in tokens: [TokenInfo]) -> Int? {
        switch self {
        case .position(let n): return n < 0 ? tokens.count + n : min(n, tokens.count - 1)
        case .text(let text): return tokens.lastIndex { $0.text == text || TokenSpelling.visible($0.text) == text }
        }
    }
}

// MARK: - Applying a setup

extension Reducer {
    /// Applies a setup. A prompt to run goes first; the rest of the setup waits for it to load
    /// (`setupFollowUp`) and then applies to its tokens. Values out of range are clamped to what
    /// the model has; an exact setup returns what it does not name to its default.
    static func apply(_ setup: Setup, to state: inout AppState) -> [Effect] {
        if setup.exact {
            state.autoPlay = false
            state.editor = nil
            state.showHelp = false
            state.embeddingsView.input = nil
        }
        state.teaching.pendingKeys = Key.parse(setup.keys ?? "")
        state.teaching.pendingSetup = nil
        if needsPrompt(state, setup) {
            runPrompt(setup, &state)
            // What is left once the prompt has loaded.
            var rest = setup
            rest.restart = false
            if !setup.exact {
                rest.prompt = nil
                rest.chat = nil
            }
            rest.keys = nil
            state.teaching.pendingSetup = rest.hasMoreThanPrompt ? rest : nil
            return [.reset(prompt: state.prompt, chat: state.chat)]
        }
        var effects: [Effect] = []
        if !setup.generated.isEmpty, !state.tokens.isEmpty {
            state.busy = "decoding"
            effects += setup.generated.map { .append(id: $0) }
        }
        let exact = setup.exact
        // `view 2` and `sampling` name the second tab, which an encoder fills with similarity (it has
        // no sampling view); `similarity` opens that view on a decoder too (it loads MiniLM for it).
        if let view = setup.view { state.view = view == .sampling && state.isEncoder ? .similarity : view }
        if let layer = setup.layer ?? (exact ? 0 : nil) { state.layer = min(max(0, layer), max(0, state.layerCount - 1)) }
        if let head = setup.head ?? (exact ? 0 : nil) { state.head = min(max(0, head), max(0, state.headCount - 1)) }
        state.settings = setup.settings(over: exact ? SamplerSettings() : state.settings)
        if let presenting = setup.presenting { state.presenting = presenting }
        if let second = setup.secondPrompt { effects += compareWith(second, in: &state) }
        if exact {
            state.candidate = 0
            var attention = state.attentionView
            attention.mode = setup.attentionMode ?? .head
            let toggles = setup.attentionToggles ?? []
            attention.logScale = toggles.contains("log")
            attention.hideFirst = toggles.contains("hide-first")
            attention.averageHeads = toggles.contains("average")
            attention.scores = toggles.contains("scores")
            attention.zoom = 1
            attention.crossModel.isOpen = false
            state.attentionView = attention
            state.embeddingsView.query = setup.query ?? ""
            state.tokensView = TokensViewState()
            state.status = ""
        } else {
            if let mode = setup.attentionMode { state.attentionView.mode = mode }
            if let query = setup.query { state.embeddingsView.query = query }
        }
        guard effects.isEmpty, !state.tokens.isEmpty else { return effects }
        if exact { return select(&state, setup.token?.position(in: state.tokens) ?? state.tokens.count - 1, force: true) }
        if let index = setup.token?.position(in: state.tokens) { return select(&state, index) }
        return []
    }

    /// Whether applying `setup` must run its prompt first: a restart; a prompt or chat wrapping
    /// named by a launch or demo setup; for an exact setup, a prompt that differs from the sequence
    /// on screen, or tokens generated after it.
    public static func needsPrompt(_ state: AppState, _ setup: Setup) -> Bool {
        if setup.restart { return true }
        guard setup.exact else { return setup.prompt != nil || setup.chat != nil }
        guard let prompt = setup.prompt else { return false }
        return prompt != state.prompt || (setup.chat ?? false) != state.chat || state.tokens.isEmpty || state.tokens.contains(where: \.generated)
    }

    /// Starts the prompt part of a setup: a fresh state for a restart, else the new prompt.
    private static func runPrompt(_ setup: Setup, _ state: inout AppState) {
        if setup.restart {
            var fresh = AppState(prompt: setup.prompt ?? state.prompt, width: state.width, height: state.height)
            fresh.modelSummary = state.modelSummary
            fresh.tokenizerSummary = state.tokenizerSummary
            fresh.layerCount = state.layerCount
            fresh.headCount = state.headCount
            fresh.kvHeadCount = state.kvHeadCount
            fresh.kvBytesPerToken = state.kvBytesPerToken
            fresh.vocabularyText = state.vocabularyText
            fresh.promptHistory = state.promptHistory
            fresh.chat = setup.chat ?? false
            fresh.presenting = state.presenting
            fresh.teaching = state.teaching
            state = fresh
        } else {
            let prompt = setup.prompt ?? state.prompt
            if state.promptHistory.last != state.prompt && prompt != state.prompt { state.promptHistory.append(state.prompt) }
            state.prompt = prompt
            state.chat = setup.chat ?? (setup.exact ? false : state.chat)
            state.editor = nil
        }
        state.busy = "running the prompt"
    }

    /// After the prompt a setup ran has loaded, the rest of the setup applies to its tokens.
    static func setupFollowUp(_ state: inout AppState, after action: Action) -> [Effect] {
        guard case .loaded = action, let rest = state.teaching.pendingSetup else { return [] }
        let keys = state.teaching.pendingKeys
        let effects = apply(rest, to: &state)
        state.teaching.pendingKeys = keys
        lessonStatus(&state)
        return effects
    }
}

extension Setup {
    /// Whether anything but the prompt is set (what must wait for the prompt to load).
    var hasMoreThanPrompt: Bool {
        var other = self
        other.restart = false
        other.prompt = nil
        other.chat = nil
        other.keys = nil
        return exact || other != Setup()
    }
}

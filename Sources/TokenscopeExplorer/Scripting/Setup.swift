import TokenscopeUI
import TokenscopeTransformer

// MARK: - A prepared state

/// Where the explorer should be: the prompt, the view, the selected token, layer and head, and the
/// sampler settings — what launch options (`--view sampling --token 3 …`) and a demo script's steps
/// describe. Numbers are as the screen shows them: token, layer and head count from 0.
public struct Setup: Sendable, Equatable {
    /// Start from a fresh state (everything not set here back to its default) and run the prompt
    /// again: how a demo step is reached the same way every time.
    public var restart = false
    public var prompt: String?
    public var chat: Bool?
    public var view: ViewKind?
    /// The token to select, from 0; nil keeps the selection, a negative one (or past the end) the last token.
    public var token: Int?
    public var layer: Int?
    public var head: Int?
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
}

extension Reducer {
    /// Applies a setup: values out of range are clamped to what the model has.
    static func apply(_ setup: Setup, to state: inout AppState) -> [Effect] {
        var effects: [Effect] = []
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
            state = fresh
            state.busy = "running the prompt"
            effects.append(.reset(prompt: state.prompt, chat: state.chat))
        } else if setup.prompt != nil || setup.chat != nil {
            let prompt = setup.prompt ?? state.prompt
            if state.promptHistory.last != state.prompt && prompt != state.prompt { state.promptHistory.append(state.prompt) }
            state.prompt = prompt
            state.chat = setup.chat ?? state.chat
            state.editor = nil
            state.busy = "running the prompt"
            effects.append(.reset(prompt: prompt, chat: state.chat))
        }
        if !setup.generated.isEmpty, effects.isEmpty, !state.tokens.isEmpty {
            state.busy = "decoding"
            effects += setup.generated.map { .append(id: $0) }
        }
        if let view = setup.view { state.view = view }
        if let layer = setup.layer { state.layer = min(max(0, layer), max(0, state.layerCount - 1)) }
        if let head = setup.head { state.head = min(max(0, head), max(0, state.headCount - 1)) }
        if let t = setup.temperature { state.settings.temperature = t }
        if let k = setup.topK { state.settings.topK = k }
        if let p = setup.topP { state.settings.topP = p }
        if let m = setup.minP { state.settings.minP = m }
        state.settings = state.settings.clampedToKnobs
        if let seed = setup.seed { state.settings.seed = seed }
        if let presenting = setup.presenting { state.presenting = presenting }
        if let second = setup.secondPrompt { effects += compareWith(second, in: &state) }
        if let token = setup.token, effects.isEmpty, !state.tokens.isEmpty {
            let index = token < 0 || token >= state.tokens.count ? state.tokens.count - 1 : token
            effects += select(&state, index)
        }
        return effects
    }
}

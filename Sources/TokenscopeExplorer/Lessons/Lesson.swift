import TokenscopeTransformer

// MARK: - A lesson as data

/// A guided walk through one idea on the live model: a title, how long it takes, what it covers, and
/// its steps. Read from a Markdown file (`LessonParser`; format in `Docs/LESSONS.md`).
public struct Lesson: Sendable, Equatable {
    /// The short name used on the command line (`attention`): the file name without its order
    /// prefix (`04-`) and extension.
    public let name: String
    /// The `# title` of the file.
    public let title: String
    /// Minutes a learner needs.
    public let minutes: Int
    /// One sentence: what the lesson covers.
    public let summary: String
    /// The file it was read from.
    public let file: String
    /// The steps, in order.
    public let steps: [LessonStep]
}

/// One step: what to set up, what to say, and optionally something for the learner to do.
public struct LessonStep: Sendable, Equatable {
    /// The `## heading`.
    public let title: String
    /// The heading's line in the file.
    public let line: Int
    /// What this step changes (unset fields keep the previous steps' values; see `StepSetup`).
    public let setup: StepSetup
    /// Claims about the live model that must hold once the setup is applied (`--check` verifies them).
    public let expectations: [LessonCondition]
    /// The narration: Markdown paragraphs with `{placeholders}` for live values.
    public let narration: String
    /// Something to do, with a check.
    public let task: LessonTask?
}

/// What a step sets up. Every field is optional: a step inherits what earlier steps set and
/// overrides what it names. `keys` belong to their own step only.
public struct StepSetup: Sendable, Equatable {
    /// The prompt (escapes `\n` and `\t` allowed in the file).
    public var prompt: String?
    /// Whether the prompt is wrapped as a ChatML user turn.
    public var chat: Bool?
    /// The view on screen.
    public var view: ViewKind?
    /// The selected token.
    public var token: TokenChoice?
    /// The attention layer and head, counted from 0 as the screens count them.
    public var layer: Int?
    public var head: Int?
    /// The attention view's mode and toggles.
    public var attentionMode: AttentionViewState.Mode?
    public var attentionToggles: Set<String>?
    /// The embeddings view's query (`king - man + woman`).
    public var query: String?
    /// Sampler settings.
    public var temperature: Float?
    public var topK: Int?
    public var topP: Float?
    public var minP: Float?
    public var seed: UInt64?
    /// Keys pressed after the rest is set up (the `render --keys` syntax), as written.
    public var keys: String?

    /// An empty setup.
    public init() {}

    /// `self` with every field `later` sets taken from `later` (keys are never inherited).
    public func merged(with later: StepSetup) -> StepSetup {
        var out = self
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
        out.keys = later.keys
        return out
    }

    /// The sampler settings this setup names, defaults for the rest.
    public var settings: SamplerSettings {
        let d = SamplerSettings()
        return SamplerSettings(temperature: temperature ?? d.temperature, topK: topK ?? d.topK, topP: topP ?? d.topP,
                               minP: minP ?? d.minP, seed: seed ?? d.seed)
    }
}

/// Which token a step selects.
public enum TokenChoice: Sendable, Equatable {
    /// 1-based position; negative counts from the end (−1 = the last token).
    case position(Int)
    /// The last token whose text is exactly this (`" is"`).
    case text(String)
}

/// A task: what the learner is asked to do, the keys that do it (the reference action `--check`
/// performs), the condition that says it is done, and hints.
public struct LessonTask: Sendable, Equatable {
    /// The request, shown to the learner.
    public let goal: String
    /// The reference action in the `render --keys` syntax.
    public let action: String
    /// Done when this holds.
    public let check: LessonCondition
    /// Hints, shown one at a time.
    public let hints: [String]
    /// The block's line in the file.
    public let line: Int
}

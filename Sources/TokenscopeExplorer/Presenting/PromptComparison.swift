import TokenscopeTransformer

// MARK: - Side by side of two prompts

/// The side by side of two prompts: the sequence on screen (A, the explorer's own session) against
/// a second prompt (B) the model runs in a session of its own. The sampling view shows both
/// next-token distributions and the change Δp per candidate; the attention view shows the same
/// layer and head on both. Stored as one property of `AppState`.
public struct PromptComparison: Sendable, Equatable {
    /// Whether the side by side is on screen (the sampling and attention views draw it).
    public var isOpen = false
    /// The second prompt (B), as typed; empty until one is given.
    public var prompt = ""
    /// Whether the prompt editor is open on B (Enter runs B, not A).
    public var editing = false
    /// B's next-token logits for the position that matches A's selection.
    public var next: SecondPromptData?
    /// Every head of one layer on B.
    public var layer: SecondPromptData?
    /// Requests sent and not yet answered.
    public var pending: [SecondPromptRequest] = []
    /// The last failure (a prompt the model refused), shown in B's half.
    public var message: String?

    /// Creates the closed state.
    public init() {}

    /// B's tokens, from whichever answer came last for the current prompt (empty before any).
    public var tokens: [TokenInfo] {
        [next, layer].compactMap { $0 }.first { $0.request.prompt == prompt }?.tokens ?? []
    }
}

/// What the side by side asks the engine about the second prompt. The engine keeps the prompt's
/// run, so asking for another part of the same prompt only reads it.
public struct SecondPromptRequest: Sendable, Equatable {
    /// What to read from the run.
    public enum Part: Sendable, Equatable {
        /// The next-token logits after the token `fromEnd` positions before B's last one (0: the
        /// last), so the two sides line up from the end (a few-shot prompt is longer than a
        /// zero-shot one, but both end where the answer comes).
        case nextToken(fromEnd: Int)
        /// Every head of one layer (probabilities, or pre-softmax scores).
        case layer(Int, scores: Bool)
    }

    /// The second prompt, as typed.
    public var prompt: String
    /// Whether it is wrapped as a ChatML user turn (as A is).
    public var chat: Bool
    /// The part asked for.
    public var part: Part

    /// Creates a request.
    public init(prompt: String, chat: Bool, part: Part) {
        self.prompt = prompt
        self.chat = chat
        self.part = part
    }
}

/// The engine's answer about the second prompt: its tokens, and the part asked for.
public struct SecondPromptData: Sendable, Equatable {
    /// The request answered.
    public let request: SecondPromptRequest
    /// B's tokens (each with the probability the model gave it, as A's chips carry).
    public let tokens: [TokenInfo]
    /// For `.nextToken`: the position read, and the logits after it (empty for a layer).
    public let position: Int
    public let logits: [Float]  // (vocabulary) or empty
    /// Decoded text of B's most likely next tokens.
    public let texts: [Int: String]
    /// For `.layer`: every head of the layer on B.
    public let attention: LayerAttention?

    /// Creates an answer.
    public init(request: SecondPromptRequest, tokens: [TokenInfo], position: Int, logits: [Float], texts: [Int: String], attention: LayerAttention?) {
        self.request = request
        self.tokens = tokens
        self.position = position
        self.logits = logits
        self.texts = texts
        self.attention = attention
    }
}

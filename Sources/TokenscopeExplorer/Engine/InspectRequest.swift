import TokenscopeTransformer
import TokenscopeUI

// MARK: - View data requests

/// Data the attention, embeddings and forward views ask the engine for, beyond `PositionAnalysis`.
/// Computed once per sequence (or query) and kept in the state, so moving between layers and heads
/// re-renders from memory.
public enum InspectRequest: Sendable, Equatable {
    /// Every head of one layer (probabilities, or pre-softmax scores).
    case layer(Int, scores: Bool)
    /// Every layer × head summarised: entropy, pattern, thumbnail.
    case overview
    /// Neighbours of `query` (or of the selected token when empty), the analogy it spells, and the
    /// hidden state of `position` after `layer` blocks.
    case embeddings(query: String, position: Int, layer: Int)
    /// The pipeline figures of `position`, block `layer` laid open.
    case forward(position: Int, layer: Int)
    /// The next-token distribution after `position` with `ablations` switched off, against the
    /// unedited one.
    case ablation(position: Int, ablations: [AblationTarget])
    /// Part of the side by side's second prompt, run in a session of its own.
    case secondPrompt(SecondPromptRequest)
    /// Direct logit attribution of `target` after `position` (the Why view).
    case attribution(position: Int, target: Int)
    /// Occlusion of every token up to `position` for `target` (long: progress, cancellable).
    case occlusion(position: Int, target: Int)
    /// Activation patching from the sequence up to `position` into `corrupt` (long: progress, cancellable).
    case patching(position: Int, corrupt: String)

    /// Whether the request reports progress and Esc cancels it.
    public var isLong: Bool {
        switch self {
        case .occlusion, .patching: true
        default: false
        }
    }
}

/// What the engine answers to an `InspectRequest`.
public enum InspectResult: Sendable, Equatable {
    case layer(LayerAttention)
    case overview(AttentionOverview)
    case embeddings(EmbeddingsReport)
    case forward(ForwardDetails)
    case ablation(AblationDiff)
    case secondPrompt(SecondPromptData)
    case attribution(AttributionReport)
    case occlusion(OcclusionReport)
    case patching(PatchingReport)
    /// The request failed; the message is for the user.
    case failed(InspectRequest, String)
}

/// A request sent for one sequence; kept while unanswered, and after a failure so it is not retried
/// for the same sequence.
public struct AskedRequest: Sendable, Equatable {
    public let request: InspectRequest
    public let tokenIDs: [Int]
}

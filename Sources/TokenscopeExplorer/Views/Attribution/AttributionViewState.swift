import TokenscopeUI

// MARK: - Why view state

/// What the Why view shows — direct logit attribution, input attribution by occlusion, or
/// activation patching — and the data it keeps for the current sequence.
public struct AttributionViewState: Sendable, Equatable {
    /// The three questions the view answers.
    public enum Mode: Sendable, Equatable {
        /// Which heads and MLPs write the target's logit (layer × head grid).
        case logit
        /// Which input tokens matter (the prompt coloured by effect).
        case occlusion
        /// Which layers, positions and heads carry the difference between two prompts.
        case patching
    }

    /// How far a long request has got.
    public struct Progress: Sendable, Equatable {
        public let request: InspectRequest
        /// Done, 0…1.
        public let fraction: Double
    }

    public var mode: Mode = .logit
    /// The target among the next-token candidates, by rank (0: the top candidate).
    public var targetRank = 0
    /// Data for the current sequence.
    public var attribution: AttributionReport?
    public var occlusion: OcclusionReport?
    public var patching: PatchingReport?
    /// The corrupted prompt for patching, and the field it is typed in while open.
    public var corrupt = ""
    public var input: PromptEditor?
    /// Long work in flight (occlusion, patching): what and how far, 0…1.
    public var progress: Progress?
    /// Requests sent and not yet answered.
    public var pending: [AskedRequest] = []
    /// The last failure or cancellation.
    public var message: String?

    /// Candidates the target can be chosen from.
    public static let targetChoices = 20

    /// Creates the default state.
    public init() {}
}

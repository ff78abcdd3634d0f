import TokenscopeTransformer

// MARK: - What the Why view shows

/// Direct logit attribution of one target at one position, as the Why view draws it.
public struct AttributionReport: Sendable, Equatable {
    /// The sequence it was computed on (the views show it only while it is on screen).
    public let tokenIDs: [Int]
    /// Each head's and MLP's contribution, the embedding term and the real logit.
    public let attribution: LogitAttribution
    /// The target's decoded text.
    public let targetText: String

    /// Creates a report.
    public init(tokenIDs: [Int], attribution: LogitAttribution, targetText: String) {
        self.tokenIDs = tokenIDs
        self.attribution = attribution
        self.targetText = targetText
    }

    /// The contribution of `head` (nil: the MLP) of `layer`, or nil when not computed.
    public func contribution(layer: Int, head: Int?) -> Double? {
        attribution.components.first { $0.layer == layer && $0.head == head }?.contribution
    }

    /// Whether the parts add up to the real logit within ``LogitAttribution/tolerance(for:)``.
    public var addsUp: Bool { abs(attribution.total - attribution.logit) <= LogitAttribution.tolerance(for: attribution.logit) }
}

/// Input attribution by occlusion: how much each token up to the position matters to the target.
public struct OcclusionReport: Sendable, Equatable {
    /// The sequence it was computed on.
    public let tokenIDs: [Int]
    /// The position whose prediction is explained (tokens 0…position were occluded one at a time).
    public let position: Int
    /// Δ log p of the target per dropped token, and the baseline.
    public let occlusion: Occlusion
    /// The target's decoded text.
    public let targetText: String

    /// Creates a report.
    public init(tokenIDs: [Int], position: Int, occlusion: Occlusion, targetText: String) {
        self.tokenIDs = tokenIDs
        self.position = position
        self.occlusion = occlusion
        self.targetText = targetText
    }
}

/// Activation patching from the sequence up to a position (clean) into a second prompt (corrupted):
/// the residual stream per layer × position (when both have as many tokens) and each head's output
/// at the last position.
public struct PatchingReport: Sendable, Equatable {
    /// The sequence on screen when it was computed; the clean run is its tokens 0…position.
    public let tokenIDs: [Int]
    public let position: Int
    /// The corrupted prompt as typed, and its tokens' texts.
    public let corrupt: String
    public let corruptTokens: [String]
    /// The two answer tokens of the metric, decoded.
    public let answerText: String
    public let otherText: String
    /// Layer × position, or nil when the prompts differ in length (`residualNote` says why).
    public let residual: PatchingResult?
    public let residualNote: String?
    /// Layer × head at the last position.
    public let heads: PatchingResult
    /// Seconds both patchings took.
    public let seconds: Double

    /// Creates a report.
    public init(tokenIDs: [Int], position: Int, corrupt: String, corruptTokens: [String], answerText: String, otherText: String,
                residual: PatchingResult?, residualNote: String?, heads: PatchingResult, seconds: Double) {
        self.tokenIDs = tokenIDs
        self.position = position
        self.corrupt = corrupt
        self.corruptTokens = corruptTokens
        self.answerText = answerText
        self.otherText = otherText
        self.residual = residual
        self.residualNote = residualNote
        self.heads = heads
        self.seconds = seconds
    }

    /// The metric (shared by both patchings).
    public var metric: PatchingMetric { heads.metric }
}

// MARK: - Observation

/// How much of the forward pass a session records for the views.
public enum ObservationLevel: Int, Sendable, Comparable, CaseIterable {
    /// Nothing beyond the KV cache and each position's final hidden state: full speed.
    case off = 0
    /// The residual stream after every block and the norms of every attention and MLP output.
    case summary = 1
    /// Everything in `summary` plus the attention probabilities of every layer and head.
    case full = 2

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a session records, chosen by the caller.
public struct TraceOptions: Sendable, Equatable {
    /// The granularity of the record.
    public var level: ObservationLevel
    /// Also keep the pre-softmax attention scores (scaled by 1/√head size), with `.full`.
    public var recordsScores: Bool
    /// Bytes the stored attention (and scores) may take; past it, layers are recomputed on demand.
    public var attentionBudgetBytes: Int

    /// Bytes the residual stream may take in f32; a sequence expected to need more keeps it in f16
    /// (relative rounding ≤ 2⁻¹¹; attention recomputed from it and the logit lens read it).
    public var residualBudgetBytes: Int
    /// When set, a whole prompt run with `.full` observation gathers every head's overview summary
    /// (with thumbnails of this many cells per side) from the rows it makes anyway, so
    /// `headSummaries` for exactly that sequence is immediate.
    public var overviewThumbnailSize: Int?

    /// Creates options; the default budgets keep a 2 000-token SmolLM2 session under 400 MB
    /// (stored attention past 256 MB is recomputed per view; a residual stream past 96 MB — about
    /// 1 300 SmolLM2 positions — is held in f16).
    public init(level: ObservationLevel = .full, recordsScores: Bool = false, attentionBudgetBytes: Int = 256 << 20, residualBudgetBytes: Int = 96 << 20,
        overviewThumbnailSize: Int? = nil
    ) {
        self.level = level
        self.recordsScores = recordsScores
        self.attentionBudgetBytes = attentionBudgetBytes
        self.residualBudgetBytes = residualBudgetBytes
        self.overviewThumbnailSize = overviewThumbnailSize
    }

    /// No observation: decoding at full speed.
    public static let off = TraceOptions(level: .off)
}

import TokenscopeUI

// MARK: - Attention view state

/// What the attention view shows and the attention data it keeps, so moving between layers and heads
/// re-renders from memory.
public struct AttentionViewState: Sendable, Equatable {
    /// One head, every head of the layer, or every layer × head.
    public enum Mode: Sendable, Equatable { case head, layer, overview }

    /// The display toggles.
    public enum Toggle: Sendable, Equatable { case logScale, hideFirst, averageHeads, scores }

    public var mode: Mode = .head
    /// Colour ∝ log10 of the weight (from 10⁻⁴) instead of its square root.
    public var logScale = false
    /// Leave out the first key column (the attention sink) and rescale the rest.
    public var hideFirst = false
    /// The mean over the layer's heads instead of one head.
    public var averageHeads = false
    /// Pre-softmax scores instead of probabilities.
    public var scores = false
    /// Positions per heatmap pixel (1, 2, 4, …): zooming out averages cells.
    public var zoom = 1
    /// Every head of the selected layer, and the model overview, for the current sequence.
    public var layerData: LayerAttention?
    public var overview: AttentionOverview?
    /// Components switched off by the user, in the order added (the diff panel re-runs with them).
    public var ablations: [AblationTarget] = []
    /// The next-token distribution before → after the ablations, for the selected position.
    public var ablationDiff: AblationDiff?
    /// Requests sent and not yet answered.
    public var pending: [AskedRequest] = []
    /// The last failure.
    public var message: String?
    /// The other kind of model's head beside this one (`d`: the decoder beside an encoder).
    public var crossModel = CrossModelAttention()

    /// Creates the default state.
    public init() {}

    /// Flips a toggle.
    public mutating func flip(_ toggle: Toggle) {
        switch toggle {
        case .logScale: logScale.toggle()
        case .hideFirst: hideFirst.toggle()
        case .averageHeads: averageHeads.toggle()
        case .scores: scores.toggle()
        }
    }
}

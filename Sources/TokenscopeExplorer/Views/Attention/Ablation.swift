import Foundation
import TokenscopeTransformer

// MARK: - Ablations in the explorer

/// A component the user switched off in the attention view: one head, or a layer's feed-forward
/// network (zero ablation). Layers and heads count from 0, as on screen.
public struct AblationTarget: Sendable, Hashable {
    /// The block.
    public let layer: Int
    /// The head; nil for the layer's feed-forward network.
    public let head: Int?

    /// Creates a target.
    public init(layer: Int, head: Int?) {
        self.layer = layer
        self.head = head
    }

    /// The intervention that switches it off.
    public var intervention: Intervention {
        head.map { .ablateHead(layer: layer, head: $0, .zero) } ?? .ablateMLP(layer: layer, .zero)
    }

    /// How the screen names it ("L18 H6", "L3 MLP").
    public var label: String { head.map { "L\(layer) H\($0)" } ?? "L\(layer) MLP" }
}

/// The next-token distribution after one position, with and without the ablations: what the diff
/// panel shows.
public struct AblationDiff: Sendable, Equatable {
    /// One candidate before → after.
    public struct Row: Sendable, Equatable {
        /// Vocabulary id.
        public let id: Int
        /// Decoded text.
        public let text: String
        /// Probability without and with the ablations.
        public let before: Float
        public let after: Float
        /// after − before.
        public var delta: Float { after - before }
    }

    /// The sequence and position the diff belongs to.
    public let tokenIDs: [Int]
    public let position: Int
    /// The ablations applied, in the order they were added.
    public let ablations: [AblationTarget]
    /// The union of the top candidates before and after, by probability before.
    public let rows: [Row]
    /// KL(before ‖ after) in nats over the whole vocabulary.
    public let divergence: Double
    /// Milliseconds the ablated run took.
    public let milliseconds: Double
}

extension AblationDiff {
    /// The diff of two logit vectors: the top `count` of each, and the KL divergence.
    public static func between(
        before: [Float], after: [Float], count: Int, text: (Int) -> String
    ) -> (rows: [Row], divergence: Double) {
        let p = Softmax.probabilities(before).probabilities, q = Softmax.probabilities(after).probabilities
        var divergence = 0.0
        for i in p.indices where p[i] > 0 {
            divergence += p[i] * (log(p[i]) - log(max(q[i], 1e-300)))
        }
        var ids: [Int] = []
        for id in Softmax.top(before, count: count).map(\.id) + Softmax.top(after, count: count).map(\.id) where !ids.contains(id) {
            ids.append(id)
        }
        let rows = ids.map { Row(id: $0, text: text($0), before: Float(p[$0]), after: Float(q[$0])) }.sorted { $0.before > $1.before }
        return (rows, max(0, divergence))
    }
}

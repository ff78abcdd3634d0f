import TokenscopeTransformer
import TokenscopeUI

// MARK: - Attention data for the views

/// Every head of one layer over the whole sequence, read once from the trace.
public struct LayerAttention: Sendable, Equatable {
    /// The sequence the matrices belong to.
    public let tokenIDs: [Int]
    /// The block.
    public let layer: Int
    /// Whether the matrices hold pre-softmax scores.
    public let isScores: Bool
    /// One matrix per query head.
    public let heads: [AttentionMatrix]
    /// Probability statistics per head (from the probabilities even when `isScores`).
    public let statistics: [AttentionStatistics]

    /// Creates the data.
    public init(tokenIDs: [Int], layer: Int, isScores: Bool, heads: [AttentionMatrix], statistics: [AttentionStatistics]) {
        self.tokenIDs = tokenIDs
        self.layer = layer
        self.isScores = isScores
        self.heads = heads
        self.statistics = statistics
    }

    /// The mean of every head's matrix (the "average over heads" toggle).
    public var average: AttentionMatrix {
        let n = heads.first?.count ?? 0
        var values = [Float](repeating: 0, count: n * (n + 1) / 2)  // (query, key ≤ query)
        for matrix in heads where matrix.count == n {
            matrix.accumulateLower(into: &values, weight: 1 / Float(heads.count))
        }
        // An encoder's matrices also hold every key after the query.
        guard heads.first?.isBidirectional == true else {
            return AttentionMatrix(layer: layer, head: -1, count: n, lowerTriangle: values, isScores: isScores)
        }
        var upper = [Float](repeating: 0, count: n * (n - 1) / 2)  // (query, key > query)
        for matrix in heads where matrix.upperTriangle.count == upper.count {
            for i in upper.indices { upper[i] += matrix.upperTriangle[i] / Float(heads.count) }
        }
        return AttentionMatrix(layer: layer, head: -1, count: n, lowerTriangle: values, isScores: isScores, upperTriangle: upper)
    }
}

/// One head in the model overview.
public struct HeadSummary: Sendable, Equatable {
    public let layer: Int
    public let head: Int
    /// Entropy, target weights and pattern.
    public let statistics: AttentionStatistics
    /// The matrix averaged into `thumbnailSize`² cells (NaN = future).
    public let thumbnail: [Float]  // (thumbnailSize, thumbnailSize)
    public let thumbnailSize: Int
}

/// Every layer × head of the model summarised for the overview grid.
public struct AttentionOverview: Sendable, Equatable {
    /// The sequence summarised.
    public let tokenIDs: [Int]
    /// Layers and heads.
    public let layerCount: Int
    public let headCount: Int
    /// Row-major (layer, head).
    public let heads: [HeadSummary]  // (layers, heads)

    /// The summary of `layer`/`head`, if present.
    public func summary(layer: Int, head: Int) -> HeadSummary? {
        let index = layer * headCount + head
        return index >= 0 && index < heads.count ? heads[index] : nil
    }
}

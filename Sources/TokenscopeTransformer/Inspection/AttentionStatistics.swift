import Foundation

// MARK: - Attention head statistics

/// A recognisable attention pattern: what most query positions of a head look at.
public enum AttentionPattern: String, Sendable, Equatable, CaseIterable {
    /// Most weight on the token just before the query.
    case previousToken = "previous"
    /// Most weight on the first token of the sequence (an attention sink).
    case firstToken = "first"
    /// Most weight on the query's own token.
    case selfToken = "self"
    /// Most weight on the token after an earlier occurrence of the query's token (an induction head).
    case induction = "induction"
    /// Weight spread over many keys (high normalised entropy).
    case diffuse = "diffuse"

    /// The pattern a detector names.
    public init(_ detector: HeadDetector) {
        switch detector {
        case .previous: self = .previousToken
        case .first: self = .firstToken
        case .current: self = .selfToken
        case .induction: self = .induction
        }
    }
}

/// How one head spreads its attention over a sequence, summarised for labels and pattern detection.
public struct AttentionStatistics: Sendable, Equatable {
    /// Mean entropy of the rows in bits (rows with one key count as 0).
    public let entropy: Double
    /// Mean of entropy / log2(keys) over rows with at least two keys, in [0, 1].
    public let normalizedEntropy: Double
    /// Mean weight on the previous token, the first token and the query's own token, over queries ≥ 1.
    public let previousTokenWeight: Double
    public let firstTokenWeight: Double
    public let selfWeight: Double
    /// The induction score (``HeadDetector/induction``) on this sequence; nil when no token repeats.
    public let inductionScore: Double?
    /// The clear pattern, if one is: the detector with the best score at or above
    /// ``HeadDetector/threshold`` (``HeadDetector/label(_:)``), else diffuse from a normalised
    /// entropy of at least `diffuseThreshold`.
    public let pattern: AttentionPattern?

    /// Mean weight a pattern needs to be called clear.
    public static let dominance = HeadDetector.threshold
    /// Normalised entropy from which a head is called diffuse.
    public static let diffuseThreshold = 0.75
}

extension AttentionStatistics {
    /// Statistics from their means, the pattern labelled from them: the detector with the best
    /// score at or above the threshold, else diffuse from the normalised entropy.
    init(entropy: Double, normalizedEntropy: Double, previousTokenWeight previous: Double, firstTokenWeight first: Double,
         selfWeight own: Double, inductionScore induction: Double?) {
        var scores: [HeadDetector: Double] = [.previous: previous, .first: first, .current: own]
        if let induction { scores[.induction] = induction }
        var pattern: AttentionPattern?
        if let best = HeadDetector.label(scores) {
            pattern = AttentionPattern(best.detector)
        } else if normalizedEntropy >= AttentionStatistics.diffuseThreshold {
            pattern = .diffuse
        }
        self.init(entropy: entropy, normalizedEntropy: normalizedEntropy, previousTokenWeight: previous, firstTokenWeight: first,
                  selfWeight: own, inductionScore: induction, pattern: pattern)
    }

    /// The statistics of a matrix without them (scores, or a single position): zeros, no pattern.
    static let none = AttentionStatistics(entropy: 0, normalizedEntropy: 0, previousTokenWeight: 0, firstTokenWeight: 0, selfWeight: 0,
                                          inductionScore: nil, pattern: nil)
}

extension AttentionMatrix {
    /// Entropy, the detector scores (previous / first / own token, and induction when `tokenIDs`
    /// — the sequence's tokens — has a repeated token) and the labelled pattern of this head. Uses
    /// query rows 1..<count (row 0 has a single key, where every pattern coincides). Scores
    /// matrices (pre-softmax) have no entropy and give zeros.
    public func statistics(tokenIDs: [Int] = []) -> AttentionStatistics {
        guard !isScores, count > 1 else { return .none }
        var entropy = 0.0, normalized = 0.0, previous = 0.0, first = 0.0, own = 0.0
        for query in 1..<count {
            var h = 0.0
            let keys = keys(of: query)
            for key in keys {
                let p = Double(value(query: query, key: key))
                if p > 0 { h -= p * log2(p) }
            }
            entropy += h
            normalized += h / log2(Double(keys.count))
            previous += Double(value(query: query, key: query - 1))
            first += Double(value(query: query, key: 0))
            own += Double(value(query: query, key: query))
        }
        let rows = Double(count - 1)
        entropy /= rows; normalized /= rows; previous /= rows; first /= rows; own /= rows
        let induction = tokenIDs.count >= count ? HeadDetector.induction.score(self, tokenIDs: tokenIDs) : nil
        return AttentionStatistics(entropy: entropy, normalizedEntropy: normalized, previousTokenWeight: previous,
                                   firstTokenWeight: first, selfWeight: own, inductionScore: induction)
    }

    /// The matrix averaged into at most `size` × `size` cells over the entries a query sees
    /// (causal entries only for a decoder); a cell with no such entry (entirely in the future) is
    /// NaN. Rows are query ranges, columns key ranges, each ``thumbnailCellWidth(count:size:)``
    /// positions wide (the last one may hold fewer): with cells a power of two wide, a longer
    /// sequence's cells are whole unions of a shorter one's, so an overview can grow by rows
    /// instead of being pooled again.
    public func pooled(size: Int) -> [Float] {  // (cells, cells)
        let width = Self.thumbnailCellWidth(count: count, size: size)
        let cells = max(1, Self.thumbnailCells(count: count, size: size))
        var out = [Float](repeating: .nan, count: cells * cells)
        guard count > 0 else { return out }
        for row in 0..<cells {
            let q0 = row * width, q1 = min(count, q0 + width)
            for column in 0..<cells {
                let k0 = column * width, k1 = min(count, k0 + width)
                var sum = 0.0, n = 0
                for q in q0..<q1 where k0 <= q || isBidirectional {
                    for k in k0..<min(k1, keys(of: q).upperBound) {
                        sum += Double(value(query: q, key: k))
                        n += 1
                    }
                }
                if n > 0 { out[row * cells + column] = Float(sum / Double(n)) }
            }
        }
        return out
    }

    /// Positions per thumbnail cell for `count` positions in at most `size` cells a side: the
    /// smallest power of two that fits them.
    public static func thumbnailCellWidth(count: Int, size: Int) -> Int {
        guard size > 0 else { return max(1, count) }
        var width = 1
        while width * size < count { width *= 2 }
        return width
    }

    /// Thumbnail cells a side for `count` positions in at most `size` (0 when either is 0).
    public static func thumbnailCells(count: Int, size: Int) -> Int {
        guard size > 0, count > 0 else { return 0 }
        let width = thumbnailCellWidth(count: count, size: size)
        return (count + width - 1) / width
    }
}

extension AttentionMatrix {
    /// A matrix from a full square of values (query, key) row-major — entries above the diagonal
    /// are dropped — for tests and hand-made matrices.
    public init(values: [Float], count: Int, layer: Int, head: Int, isScores: Bool) {
        var triangle = [Float](repeating: 0, count: count * (count + 1) / 2)  // (query, key ≤ query)
        for query in 0..<count {
            for key in 0...query where query * count + key < values.count {
                triangle[Self.rowOffset(query) + key] = values[query * count + key]
            }
        }
        self.init(layer: layer, head: head, count: count, lowerTriangle: triangle, isScores: isScores)
    }
}

import Foundation
import TokenscopeTransformer

// MARK: - Δp: two next-token distributions, candidate by candidate

/// The next-token distributions after two prompts compared token by token: for the union of both
/// top lists, each candidate's probability after A, after B, and the change Δp = p(B) − p(A).
/// Rows are ordered by |Δp|, largest first: the tokens the change of prompt moves most come first
/// ("The doctor said that" → "The nurse said that" puts ␣he and ␣she at the top), whatever their
/// rank on either side.
public struct ProbabilityShift: Sendable, Equatable {
    /// One candidate on both sides.
    public struct Row: Sendable, Equatable {
        /// Vocabulary id.
        public let id: Int
        /// Probability after A and after B (softmax at temperature 1, the model's own distribution).
        public let left: Double
        public let right: Double
        /// Rank in A's and in B's distribution (0 = most likely).
        public let leftRank: Int
        public let rightRank: Int
        /// Δp = p(B) − p(A).
        public var delta: Double { right - left }
    }

    /// The union of A's and B's top candidates, by |Δp| (ties: the likelier after A first).
    public let rows: [Row]
    /// Entropy of each distribution, in bits.
    public let leftEntropy: Double
    public let rightEntropy: Double
    /// The probability mass that moved: Σ max(0, Δp) over the whole vocabulary (the total variation
    /// distance; 0 for the same distribution, 1 for distributions with nothing in common).
    public let moved: Double

    /// Compares the distributions of two logit vectors over the same vocabulary, listing the union
    /// of each side's `top` most likely tokens.
    public static func between(_ left: [Float], _ right: [Float], top: Int) -> ProbabilityShift {
        let p = Softmax.probabilities(left).probabilities, q = Softmax.probabilities(right).probabilities
        guard p.count == q.count, !p.isEmpty else { return ProbabilityShift(rows: [], leftEntropy: 0, rightEntropy: 0, moved: 0) }
        var moved = 0.0
        for i in p.indices where q[i] > p[i] { moved += q[i] - p[i] }
        var ids: [Int] = []
        for id in Softmax.top(left, count: top).map(\.id) + Softmax.top(right, count: top).map(\.id) where !ids.contains(id) {
            ids.append(id)
        }
        let rows = ids.map { id in
            Row(id: id, left: p[id], right: q[id], leftRank: Softmax.rank(of: id, in: left) ?? 0, rightRank: Softmax.rank(of: id, in: right) ?? 0)
        }
        .sorted { a, b in
            let da = abs(a.delta), db = abs(b.delta)
            if da != db { return da > db }
            if a.left != b.left { return a.left > b.left }
            return a.id < b.id
        }
        return ProbabilityShift(rows: rows, leftEntropy: entropyBits(p), rightEntropy: entropyBits(q), moved: moved)
    }

    /// −Σ p log₂ p.
    static func entropyBits(_ p: [Double]) -> Double {
        var sum = 0.0
        for value in p where value > 0 { sum -= value * log2(value) }
        return sum
    }
}

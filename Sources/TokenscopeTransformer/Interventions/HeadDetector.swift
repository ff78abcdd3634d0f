import Foundation

// MARK: - Head detectors

/// A named attention pattern, scored per head in [0, 1] as the mean attention weight the head puts
/// on the pattern's target keys (TransformerLens's `detect_head` with the "mul" method).
///
/// Query 0 is left out of every score (its only key is itself, where every pattern coincides).
/// - previous: weight on key q − 1.
/// - first: weight on key 0 (an attention sink).
/// - current: weight on key q, the query's own token.
/// - induction: for a query whose token occurred earlier at j (with j + 1 < q), the summed weight on
///   the keys j + 1 — the token that followed the earlier occurrence — averaged over the queries
///   that have one. On a random sequence repeated twice that is the weight from each token of the
///   second copy to the token after its first occurrence, as in the induction-head paper. With no
///   repeated token there is no score.
public enum HeadDetector: String, Sendable, Equatable, CaseIterable, Codable {
    case previous
    case first
    case current
    case induction

    /// The score from which a head is labelled with this pattern: more than half of its attention,
    /// on average, goes to the pattern's targets. A head gets the label of its best score at or
    /// above the threshold, so no label can be contradicted by its own score.
    public static let threshold = 0.5

    /// The score of `matrix` (probabilities) on `tokenIDs`, or nil when the pattern has no query
    /// there (induction without repeated tokens, or fewer than two positions).
    public func score(_ matrix: AttentionMatrix, tokenIDs: [Int]) -> Double? {
        let n = tokenIDs.isEmpty && self != .induction ? matrix.count : min(matrix.count, tokenIDs.count)
        guard !matrix.isScores, n > 1 else { return nil }
        var sum = 0.0, queries = 0
        switch self {
        case .previous, .first, .current:
            for q in 1..<n {
                let key = self == .previous ? q - 1 : (self == .first ? 0 : q)
                sum += Double(matrix.value(query: q, key: key))
            }
            queries = n - 1
        case .induction:
            var seen: [Int: [Int]] = [:]  // token → earlier positions
            for q in 0..<n {
                let token = tokenIDs[q]
                let targets = (seen[token] ?? []).map { $0 + 1 }.filter { $0 < q }
                if !targets.isEmpty {
                    sum += targets.reduce(0.0) { $0 + Double(matrix.value(query: q, key: $1)) }
                    queries += 1
                }
                seen[token, default: []].append(q)
            }
        }
        return queries > 0 ? sum / Double(queries) : nil
    }
}

/// One head's score on one detector.
public struct HeadScore: Sendable, Equatable, Codable {
    /// The block (from 0).
    public let layer: Int
    /// The query head (from 0).
    public let head: Int
    /// The pattern.
    public let detector: HeadDetector
    /// Mean weight on the pattern's targets, in [0, 1].
    public let score: Double

    /// Creates a score.
    public init(layer: Int, head: Int, detector: HeadDetector, score: Double) {
        self.layer = layer
        self.head = head
        self.detector = detector
        self.score = score
    }
}

extension HeadDetector {
    /// The label of a head from its scores: the best score at or above ``threshold``, if any.
    public static func label(_ scores: [HeadDetector: Double]) -> (detector: HeadDetector, score: Double)? {
        let passing = scores.filter { $0.value >= threshold }
        guard let best = passing.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key.order > $1.key.order) }) else { return nil }
        return (best.key, best.value)
    }

    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

// MARK: - The detectors' own sequence

/// The sequence the detectors run on when no prompt is given: `length` distinct token ids drawn
/// uniformly from `vocabulary` with SplitMix64 (``SeededGenerator``, draw i at position i, skipping
/// ids already drawn), then the same ids again — 2 × `length` tokens. Random tokens make the second
/// copy predictable only by copying from the first, so only induction heads do well on it.
public enum InductionSequence {
    /// Tokens in each copy.
    public static let defaultLength = 50
    /// The seed.
    public static let defaultSeed: UInt64 = 0
    /// Ids drawn from: ordinary tokens of SmolLM2's vocabulary (past the control tokens and single
    /// bytes, below the rare tail).
    public static let defaultVocabulary = 1000..<20000

    /// The repeated sequence.
    public static func make(length: Int = defaultLength, seed: UInt64 = defaultSeed, vocabulary: Range<Int> = defaultVocabulary) -> [Int] {
        let generator = SeededGenerator(seed: seed)
        var ids: [Int] = [], seen = Set<Int>()
        var draw = 0
        while ids.count < min(length, vocabulary.count) {
            let id = vocabulary.lowerBound + Int(generator.uniform(at: draw) * Double(vocabulary.count))
            draw += 1
            if seen.insert(id).inserted { ids.append(id) }
        }
        return ids + ids
    }
}

extension TransformerModel {
    /// Every head's score on each of `detectors` over `ids` (by default the repeated random
    /// sequence), layer by layer, head by head, from one forward pass.
    public func detectHeads(
        _ detectors: [HeadDetector] = HeadDetector.allCases, ids: [Int]? = nil, shouldCancel: () -> Bool = { false }
    ) throws(ModelError) -> [HeadScore] {
        let sequence = ids ?? InductionSequence.make(vocabulary: InductionSequence.defaultVocabulary.clamped(to: 0..<configuration.vocabularySize))
        let session = InferenceSession(model: self, options: TraceOptions(level: .full))
        try session.append(sequence, shouldCancel: shouldCancel)
        var scores: [HeadScore] = []
        for layer in 0..<configuration.blockCount {
            if shouldCancel() { throw .cancelled }
            let perHead = try session.mapHeadAttention(layer: layer) { matrix in
                detectors.compactMap { detector in
                    detector.score(matrix, tokenIDs: sequence).map { HeadScore(layer: layer, head: matrix.head, detector: detector, score: $0) }
                }
            }
            scores += perHead.flatMap { $0 }
        }
        return scores
    }
}

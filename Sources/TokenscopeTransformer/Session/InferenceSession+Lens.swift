import Foundation
// MARK: - Logit lens and attention on demand

/// A token with the probability (and logit) the model gave it.
public struct TokenProbability: Sendable, Equatable {
    /// Vocabulary id.
    public let id: Int
    /// Softmax probability.
    public let probability: Float
    /// The raw logit.
    public let logit: Float
}

/// One layer's row of the logit lens: what the model would predict if it stopped after this block.
public struct LensLayer: Sendable, Equatable {
    /// Blocks applied (0 = the embedding alone, blockCount = the real output).
    public let blocks: Int
    /// L2 norm of the residual stream there.
    public let residualNorm: Float
    /// The most likely tokens, best first.
    public let top: [TokenProbability]
}

/// One head's attention over a whole sequence.
public struct AttentionMatrix: Sendable, Equatable {
    /// The block.
    public let layer: Int
    /// The query head.
    public let head: Int
    /// Number of positions (rows and columns).
    public let count: Int
    /// The causal entries row by row — row q holds keys 0...q — half the memory of the square, in
    /// f32 or, for a decoder's matrices from a session, f16 as the trace stores them (a layer of 9
    /// heads at 2 000 tokens: 36 MB rather than 144 MB for the f32 square).
    let lower: Triangle
    /// Whether these are pre-softmax scores rather than probabilities.
    public let isScores: Bool
    /// Whether every query sees every key (an encoder): the entries above the diagonal are stored
    /// in ``upperTriangle``; for a decoder they are future keys and read as 0.
    public let isBidirectional: Bool
    /// The entries above the diagonal row by row — row q holds keys q+1..<count — for a
    /// bidirectional matrix; empty otherwise.
    public let upperTriangle: [Float]  // (count × (count − 1) / 2)

    /// Lower-triangle storage.
    enum Triangle: Sendable, Equatable {
        case single([Float])  // (count × (count + 1) / 2)
        case half([Float16])  // (count × (count + 1) / 2)
    }

    /// The causal entries row by row (row q holds keys 0...q), as f32 — a copy when stored in f16.
    public var lowerTriangle: [Float] {
        switch lower {
        case .single(let values): values
        case .half(let values): values.map { Float($0) }
        }
    }

    /// Whether the entries are stored in f16.
    public var isHalfPrecision: Bool {
        if case .half = lower { return true }
        return false
    }

    /// A matrix from its lower triangle (`count × (count + 1) / 2` values, row by row) and, for an
    /// encoder's bidirectional attention, its upper triangle (`count × (count − 1) / 2` values).
    public init(layer: Int, head: Int, count: Int, lowerTriangle: [Float], isScores: Bool, upperTriangle: [Float]? = nil) {
        self.layer = layer
        self.head = head
        self.count = count
        self.lower = .single(lowerTriangle)
        self.isScores = isScores
        self.isBidirectional = upperTriangle != nil
        self.upperTriangle = upperTriangle ?? []
    }

    /// A causal matrix from its lower triangle in f16 (`count × (count + 1) / 2` values, row by row).
    public init(layer: Int, head: Int, count: Int, halfPrecisionLowerTriangle: [Float16], isScores: Bool) {
        self.layer = layer
        self.head = head
        self.count = count
        self.lower = .half(halfPrecisionLowerTriangle)
        self.isScores = isScores
        self.isBidirectional = false
        self.upperTriangle = []
    }

    /// Adds `weight` × every lower-triangle entry to `sums` (count × (count + 1) / 2 values).
    public func accumulateLower(into sums: inout [Float], weight: Float) {
        switch lower {
        case .single(let values): for i in 0..<min(values.count, sums.count) { sums[i] += values[i] * weight }
        case .half(let values): for i in 0..<min(values.count, sums.count) { sums[i] += Float(values[i]) * weight }
        }
    }

    /// Where row `query`'s keys after the diagonal start in `upperTriangle`.
    @inline(__always)
    func upperOffset(_ query: Int) -> Int { query * (count - 1) - query * (query - 1) / 2 }

    /// The keys query `query` can see: every position for a bidirectional matrix, else 0...query.
    public func keys(of query: Int) -> Range<Int> { isBidirectional ? 0..<count : 0..<(query + 1) }

    /// Where row `query` starts in `lowerTriangle`.
    @inline(__always)
    public static func rowOffset(_ query: Int) -> Int { query * (query + 1) / 2 }

    /// The weight query `query` puts on key `key` (0 for future keys of a causal matrix).
    @inline(__always)
    public func value(query: Int, key: Int) -> Float {
        guard key > query else {
            switch lower {
            case .single(let values): return values[Self.rowOffset(query) + key]
            case .half(let values): return Float(values[Self.rowOffset(query) + key])
            }
        }
        return isBidirectional ? upperTriangle[upperOffset(query) + key - query - 1] : 0
    }

    /// Row `query` over keys 0...query.
    public func row(_ query: Int) -> [Float] {
        (0...query).map { value(query: query, key: $0) }
    }
}

extension InferenceSession {
    /// The logit lens at `position`: for every depth, the final norm and unembedding applied to the
    /// residual stream. Needs the position to have been observed (`.summary` or more).
    public func logitLens(position: Int, top: Int = 5) throws(ModelError) -> [LensLayer] {
        let c = model.configuration
        guard position >= 0, position < count else {
            throw .invalidRequest("position \(position) is outside the sequence 0..<\(count)")
        }
        guard position < trace.observedCount else {
            throw .invalidRequest("position \(position) was run without observation; turn observation on and re-run it")
        }
        // Every depth goes through the output projection in one batched product, so the embedding
        // matrix is read once rather than once per depth.
        let depths = (0...c.blockCount).compactMap { blocks in
            trace.residual(position: position, afterBlocks: blocks).map { (blocks: blocks, residual: $0) }
        }
        let stacked = depths.flatMap(\.residual)  // (depths, width)
        let logits = unembedRows(stacked, rows: depths.count)  // (depths, vocabulary)
        return depths.enumerated().map { index, depth in
            let norm = depth.residual.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let slice = Array(logits[(index * c.vocabularySize)..<((index + 1) * c.vocabularySize)])
            return LensLayer(blocks: depth.blocks, residualNorm: norm, top: Softmax.top(slice, count: top))
        }
    }

    /// The attention of `layer`/`head` over the whole sequence: from the trace when it is stored,
    /// recomputed from the recorded residual stream and the KV cache otherwise.
    public func attentionMatrix(layer: Int, head: Int, scores wantScores: Bool = false) throws(ModelError) -> AttentionMatrix {
        let c = model.configuration
        guard head >= 0, head < c.headCount else {
            throw .invalidRequest("head \(head) is out of range: the model has heads 0...\(c.headCount - 1)")
        }
        let matrices = try headMatrices(layer: layer, heads: head..<(head + 1), probabilities: !wantScores, scores: wantScores)
        guard let matrix = (wantScores ? matrices.scores : matrices.probabilities).first else {
            throw .invalidRequest("no attention for layer \(layer) head \(head)")
        }
        return matrix
    }

    /// Every query head's attention in `layer` as probabilities and, when `scores`, also
    /// pre-softmax scores (empty otherwise): one matrix per head, head order.
    public func layerAttention(layer: Int, scores wantScores: Bool = false) throws(ModelError)
        -> (probabilities: [AttentionMatrix], scores: [AttentionMatrix])
    {
        try headMatrices(layer: layer, heads: 0..<model.configuration.headCount, probabilities: true, scores: wantScores)
    }

    /// `transform` applied to each head's probabilities in `layer`, one head at a time, so only one
    /// matrix exists at once.
    public func mapHeadAttention<T>(layer: Int, _ transform: (AttentionMatrix) -> T) throws(ModelError) -> [T] {
        var results: [T] = []
        for head in 0..<model.configuration.headCount {
            let matrices = try headMatrices(layer: layer, heads: head..<(head + 1), probabilities: true, scores: false)
            results += matrices.probabilities.map(transform)
        }
        return results
    }

    /// The f16 matrices of `heads` in `layer`: probabilities and/or scores, one pass over the rows.
    func headMatrices(layer: Int, heads: Range<Int>, probabilities wantProbabilities: Bool, scores wantScores: Bool) throws(ModelError)
        -> (probabilities: [AttentionMatrix], scores: [AttentionMatrix])
    {
        let n = count
        let size = n * (n + 1) / 2
        var probabilityValues = heads.map { _ in [Float16](repeating: 0, count: wantProbabilities ? size : 0) }  // (heads) of (query, key ≤ query)
        var scoreValues = heads.map { _ in [Float16](repeating: 0, count: wantScores ? size : 0) }  // (heads) of (query, key ≤ query)
        try checkAttentionRows(layer: layer, scores: wantScores)
        Self.withBases(&probabilityValues) { probabilityBases in
            Self.withBases(&scoreValues) { scoreBases in
                forEachAttentionRow(layer: layer, heads: heads, scores: wantScores) { head, q, p, s, _ in
                    let offset = AttentionMatrix.rowOffset(q), index = head - heads.lowerBound
                    if wantProbabilities { Self.store(p, count: q + 1, into: probabilityBases[index].base + offset) }
                    if wantScores, let s { Self.store(s, count: q + 1, into: scoreBases[index].base + offset) }
                }
            }
        }
        return (
            wantProbabilities ? heads.map { AttentionMatrix(layer: layer, head: $0, count: n, halfPrecisionLowerTriangle: probabilityValues[$0 - heads.lowerBound], isScores: false) } : [],
            wantScores ? heads.map { AttentionMatrix(layer: layer, head: $0, count: n, halfPrecisionLowerTriangle: scoreValues[$0 - heads.lowerBound], isScores: true) } : [])
    }
}

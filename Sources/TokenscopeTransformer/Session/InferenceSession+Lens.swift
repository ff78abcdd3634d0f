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
    /// (query, key) row-major; zero above the diagonal.
    public let values: [Float]
    /// Whether these are pre-softmax scores rather than probabilities.
    public let isScores: Bool

    /// The weight query `query` puts on key `key` (0 for future keys).
    public func value(query: Int, key: Int) -> Float { values[query * count + key] }
}

extension InferenceSession {
    /// The `top` most likely tokens under a softmax of `logits`.
    public static func topTokens(_ logits: [Float], count top: Int) -> [TokenProbability] {
        guard let maximum = logits.max(), top > 0 else { return [] }
        // Float exponentials summed in Double: this runs over the whole vocabulary once per lens depth.
        var sum: Double = 0
        for value in logits { sum += Double(Foundation.expf(value - maximum)) }
        var best: [(Int, Float)] = []
        best.reserveCapacity(top + 1)
        for (id, value) in logits.enumerated() where best.count < top || value > best[best.count - 1].1 {
            let index = best.firstIndex { value > $0.1 } ?? best.count
            best.insert((id, value), at: index)
            if best.count > top { best.removeLast() }
        }
        return best.map { TokenProbability(id: $0.0, probability: Float(Double(exp($0.1 - maximum)) / sum), logit: $0.1) }
    }

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
        var normed = [Float](repeating: 0, count: stacked.count)  // (depths, width)
        Ops.rmsNormRows(stacked, weight: model.weights.outputNorm, epsilon: c.rmsEpsilon, rows: depths.count, into: &normed)
        var logits = [Float](repeating: 0, count: depths.count * c.vocabularySize)  // (depths, vocabulary)
        Linear.apply(model.weights.output, normed, rows: depths.count, into: &logits)
        return depths.enumerated().map { index, depth in
            let norm = depth.residual.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let slice = Array(logits[(index * c.vocabularySize)..<((index + 1) * c.vocabularySize)])
            return LensLayer(blocks: depth.blocks, residualNorm: norm, top: Self.topTokens(slice, count: top))
        }
    }

    /// The attention of `layer`/`head` over the whole sequence: from the trace when it is stored,
    /// recomputed from the recorded residual stream and the KV cache otherwise.
    public func attentionMatrix(layer: Int, head: Int, scores wantScores: Bool = false) throws(ModelError) -> AttentionMatrix {
        let c = model.configuration
        guard layer >= 0, layer < c.blockCount else {
            throw .invalidRequest("layer \(layer) is out of range: the model has layers 0...\(c.blockCount - 1)")
        }
        guard head >= 0, head < c.headCount else {
            throw .invalidRequest("head \(head) is out of range: the model has heads 0...\(c.headCount - 1)")
        }
        let n = count
        var values = [Float](repeating: 0, count: n * n)  // (query, key)
        if trace.attentionCount == n && (!wantScores || trace.hasScores) {
            for query in 0..<n {
                guard let row = trace.attentionRow(layer: layer, head: head, position: query, scores: wantScores) else { continue }
                for key in 0...query { values[query * n + key] = row[key] }
            }
            return AttentionMatrix(layer: layer, head: head, count: n, values: values, isScores: wantScores)
        }
        let (probabilities, scores) = try recomputeAttention(layer: layer)  // (query, heads, key)
        let source = wantScores ? scores : probabilities
        for query in 0..<n {
            for key in 0...query { values[query * n + key] = source[(query * c.headCount + head) * n + key] }
        }
        return AttentionMatrix(layer: layer, head: head, count: n, values: values, isScores: wantScores)
    }

    /// Recomputes one layer's attention for every position from the residual stream entering it.
    /// Returns (probabilities, scores), each (positions, heads, positions).
    func recomputeAttention(layer: Int) throws(ModelError) -> ([Float], [Float]) {
        let c = model.configuration
        let n = count
        guard n > 0 else { return ([], []) }
        guard trace.observedCount == n else {
            throw .invalidRequest("the sequence was run without observation, so its attention cannot be recomputed")
        }
        var input = [Float](repeating: 0, count: n * c.width)  // (positions, width)
        for position in 0..<n {
            guard let residual = trace.residual(position: position, afterBlocks: layer) else { continue }
            input.replaceSubrange((position * c.width)..<((position + 1) * c.width), with: residual)
        }
        var normed = [Float](repeating: 0, count: n * c.width)  // (positions, width)
        var q = [Float](repeating: 0, count: n * c.width)  // (positions, heads × headSize)
        let block = model.weights.blocks[layer]
        Ops.rmsNormRows(input, weight: block.attentionNorm, epsilon: c.rmsEpsilon, rows: n, into: &normed)
        Linear.apply(block.query, normed, rows: n, into: &q)
        Ops.rope(&q, rows: n, heads: c.headCount, headSize: c.headSize, startPosition: 0, base: c.ropeBase)
        var mixed = [Float](repeating: 0, count: n * c.width)  // (positions, width), unused
        var probabilities = [Float](repeating: 0, count: n * c.headCount * n)  // (positions, heads, positions)
        var scores = [Float](repeating: 0, count: n * c.headCount * n)  // (positions, heads, positions)
        Attention.run(
            queries: q, keys: keys[layer], values: values[layer], configuration: c, start: 0, batch: n,
            into: &mixed, probabilities: &probabilities, scores: &scores)
        return (probabilities, scores)
    }
}

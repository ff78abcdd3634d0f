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
    /// The causal entries row by row — row q holds keys 0...q — half the memory of the square
    /// (a layer of 9 heads at 2 000 tokens: 72 MB rather than 144 MB).
    public let lowerTriangle: [Float]  // (count × (count + 1) / 2)
    /// Whether these are pre-softmax scores rather than probabilities.
    public let isScores: Bool
    /// Whether every query sees every key (an encoder): the entries above the diagonal are stored
    /// in ``upperTriangle``; for a decoder they are future keys and read as 0.
    public let isBidirectional: Bool
    /// The entries above the diagonal row by row — row q holds keys q+1..<count — for a
    /// bidirectional matrix; empty otherwise.
    public let upperTriangle: [Float]  // (count × (count − 1) / 2)

    /// A matrix from its lower triangle (`count × (count + 1) / 2` values, row by row) and, for an
    /// encoder's bidirectional attention, its upper triangle (`count × (count − 1) / 2` values).
    public init(layer: Int, head: Int, count: Int, lowerTriangle: [Float], isScores: Bool, upperTriangle: [Float]? = nil) {
        self.layer = layer
        self.head = head
        self.count = count
        self.lowerTriangle = lowerTriangle
        self.isScores = isScores
        self.isBidirectional = upperTriangle != nil
        self.upperTriangle = upperTriangle ?? []
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
        guard key > query else { return lowerTriangle[Self.rowOffset(query) + key] }
        return isBidirectional ? upperTriangle[upperOffset(query) + key - query - 1] : 0
    }

    /// Row `query` over keys 0...query.
    public func row(_ query: Int) -> ArraySlice<Float> {
        lowerTriangle[Self.rowOffset(query)...(Self.rowOffset(query) + query)]
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
        let matrices = try mapHeads(layer: layer, heads: [head], probabilities: !wantScores, scores: wantScores) { $0 ?? $1 }
        guard let matrix = matrices.first ?? nil else { throw .invalidRequest("no attention for layer \(layer) head \(head)") }
        return matrix
    }

    /// Every query head's attention in `layer` as probabilities and, when `scores`, also
    /// pre-softmax scores (empty otherwise): one matrix per head, head order.
    public func layerAttention(layer: Int, scores wantScores: Bool = false) throws(ModelError)
        -> (probabilities: [AttentionMatrix], scores: [AttentionMatrix])
    {
        let pairs = try mapHeads(layer: layer, heads: Array(0..<model.configuration.headCount), probabilities: true, scores: wantScores) { ($0, $1) }
        return (pairs.compactMap(\.0), pairs.compactMap(\.1))
    }

    /// `transform` applied to each head's probabilities in `layer`, one head at a time, so only one
    /// matrix exists at once (the model overview summarises 270 heads this way).
    public func mapHeadAttention<T>(layer: Int, _ transform: (AttentionMatrix) -> T) throws(ModelError) -> [T] {
        let results = try mapHeads(layer: layer, heads: Array(0..<model.configuration.headCount), probabilities: true, scores: false) {
            probabilities, _ in probabilities.map(transform)
        }
        return results.compactMap { $0 }
    }

    /// Builds the matrices of `heads` in `layer` one head at a time and hands each (probabilities,
    /// scores — nil when not asked) to `transform`. From the trace when every position is stored;
    /// else recomputed from the residual stream: the queries once for the layer, then each head in
    /// blocks of query rows, so the temporary memory is a block's rows and one head's matrix.
    func mapHeads<T>(
        layer: Int, heads: [Int], probabilities wantProbabilities: Bool, scores wantScores: Bool,
        _ transform: (AttentionMatrix?, AttentionMatrix?) -> T
    ) throws(ModelError) -> [T] {
        let c = model.configuration
        guard layer >= 0, layer < c.blockCount else {
            throw .invalidRequest("layer \(layer) is out of range: the model has layers 0...\(c.blockCount - 1)")
        }
        let n = count
        let stored = trace.attentionCount == n && (!wantScores || trace.hasScores)
        guard stored || n == 0 || trace.observedCount == n else {
            throw .invalidRequest("the sequence was run without observation, so its attention cannot be recomputed")
        }
        // The rotated queries of every position, when recomputing.
        var q: [Float] = []  // (positions, heads × headSize)
        let queryWidth = c.queryWidth
        if !stored && n > 0 {
            var input = [Float](repeating: 0, count: n * c.width)  // (positions, width): the residual entering the block
            for position in 0..<n {
                guard let residual = trace.residual(position: position, afterBlocks: layer) else { continue }
                input.replaceSubrange((position * c.width)..<((position + 1) * c.width), with: residual)
            }
            var buffers = BlockBuffers(queriesOf: c, rows: n)
            var observer = NoObserver()
            attentionInputs(layer: layer, x: input, rows: n, start: 0, keysAndValues: false, buffers: &buffers, observer: &observer)
            q = buffers.q
        }
        var results: [T] = []
        for head in heads {
            let size = n * (n + 1) / 2
            var probabilityValues = wantProbabilities ? [Float](repeating: 0, count: size) : []  // (query, key ≤ query)
            var scoreValues = wantScores ? [Float](repeating: 0, count: size) : []  // (query, key ≤ query)
            if stored {
                for query in 0..<n {
                    let range = AttentionMatrix.rowOffset(query)..<(AttentionMatrix.rowOffset(query) + query + 1)
                    if wantProbabilities, let row = trace.attentionRow(layer: layer, head: head, position: query) {
                        probabilityValues.replaceSubrange(range, with: row)
                    }
                    if wantScores, let row = trace.attentionRow(layer: layer, head: head, position: query, scores: true) {
                        scoreValues.replaceSubrange(range, with: row)
                    }
                }
            } else {
                for start in stride(from: 0, to: n, by: Self.batchLimit) {
                    let batch = min(Self.batchLimit, n - start), total = start + batch
                    let queries = Array(q[(start * queryWidth)..<(total * queryWidth)])  // (batch, heads × headSize)
                    var noOutput: [Float] = []
                    var probabilities = [Float](repeating: 0, count: wantProbabilities ? batch * total : 0)  // (batch, 1, total)
                    var scores = [Float](repeating: 0, count: wantScores ? batch * total : 0)  // (batch, 1, total)
                    Attention.run(
                        queries: queries, keys: keys[layer], values: values[layer], shape: c.attention(layer: layer), start: start, batch: batch,
                        into: &noOutput, probabilities: &probabilities, scores: &scores, heads: head..<(head + 1))
                    for t in 0..<batch {
                        let query = start + t, source = t * total
                        let range = AttentionMatrix.rowOffset(query)..<(AttentionMatrix.rowOffset(query) + query + 1)
                        if wantProbabilities { probabilityValues.replaceSubrange(range, with: probabilities[source...(source + query)]) }
                        if wantScores { scoreValues.replaceSubrange(range, with: scores[source...(source + query)]) }
                    }
                }
            }
            results.append(transform(
                wantProbabilities ? AttentionMatrix(layer: layer, head: head, count: n, lowerTriangle: probabilityValues, isScores: false) : nil,
                wantScores ? AttentionMatrix(layer: layer, head: head, count: n, lowerTriangle: scoreValues, isScores: true) : nil))
        }
        return results
    }
}

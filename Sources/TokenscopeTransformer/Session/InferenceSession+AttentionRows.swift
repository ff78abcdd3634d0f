import Foundation
import TokenscopeKernels

// MARK: - Attention rows for the views

/// One head of the model overview: its statistics and its matrix pooled into a thumbnail, made
/// row by row without the matrix ever existing.
public struct AttentionHeadSummary: Sendable, Equatable {
    /// The block.
    public let layer: Int
    /// The query head.
    public let head: Int
    /// Entropy, detector scores and pattern, as ``AttentionMatrix/statistics(tokenIDs:)`` gives them.
    public let statistics: AttentionStatistics
    /// The matrix averaged into `thumbnailSize`² cells, as ``AttentionMatrix/pooled(size:)`` (NaN = future).
    public let thumbnail: [Float]  // (thumbnailSize, thumbnailSize)
    /// Cells per side.
    public let thumbnailSize: Int
}

/// Every head of one layer as a view shows it: the matrices asked for (f16, the trace's precision)
/// and each head's statistics from its probabilities.
public struct LayerAttentionMatrices: Sendable {
    /// Probabilities per head (empty unless asked for).
    public let probabilities: [AttentionMatrix]
    /// Pre-softmax scores per head (empty unless asked for).
    public let scores: [AttentionMatrix]
    /// Statistics per head, from the probabilities (f32 when recomputed).
    public let statistics: [AttentionStatistics]
}

extension InferenceSession {
    /// Every head of `layer`: the probabilities and/or scores asked for, as f16 lower triangles, and
    /// each head's statistics on `tokenIDs` — one pass over the rows, so a layer costs one
    /// recomputation past the attention budget and no f32 matrix is ever held.
    public func layerAttention(
        layer: Int, probabilities wantProbabilities: Bool, scores wantScores: Bool, tokenIDs: [Int]
    ) throws(ModelError) -> LayerAttentionMatrices {
        let c = model.configuration
        let n = count
        let heads = 0..<c.headCount
        let size = n * (n + 1) / 2
        let layout = AttentionRowLayout(count: n, thumbnailSize: 0, tokenIDs: tokenIDs)
        var probabilityValues = heads.map { _ in [Float16](repeating: 0, count: wantProbabilities ? size : 0) }  // (heads) of (query, key ≤ query)
        var scoreValues = heads.map { _ in [Float16](repeating: 0, count: wantScores ? size : 0) }  // (heads) of (query, key ≤ query)
        let blocks = Self.rowBlocks(n)
        var sums = [AttentionRowSums](repeating: AttentionRowSums(thumbnailCells: 0), count: heads.count * blocks)
        try checkAttentionRows(layer: layer, scores: wantScores)
        Self.withBases(&probabilityValues) { probabilityBases in
            Self.withBases(&scoreValues) { scoreBases in
                sums.withUnsafeMutableBufferPointer { sumBuffer in
                    let sumBase = SendableMutableBuffer(sumBuffer)
                    forEachAttentionRow(layer: layer, heads: heads, scores: wantScores) { head, q, p, s, entropy in
                        let offset = AttentionMatrix.rowOffset(q)
                        if wantProbabilities { Self.store(p, count: q + 1, into: probabilityBases[head].base + offset) }
                        if wantScores, let s { Self.store(s, count: q + 1, into: scoreBases[head].base + offset) }
                        sumBase.base[head * blocks + q / AttentionTiles.queryBlock].add(row: q, p, entropy: entropy, layout: layout)
                    }
                }
            }
        }
        let statistics = heads.map { head in
            var total = AttentionRowSums(thumbnailCells: 0)
            for block in 0..<blocks { total.merge(sums[head * blocks + block]) }
            return total.statistics(count: n, hasTokens: tokenIDs.count >= n)
        }
        return LayerAttentionMatrices(
            probabilities: wantProbabilities ? heads.map { AttentionMatrix(layer: layer, head: $0, count: n, halfPrecisionLowerTriangle: probabilityValues[$0], isScores: false) } : [],
            scores: wantScores ? heads.map { AttentionMatrix(layer: layer, head: $0, count: n, halfPrecisionLowerTriangle: scoreValues[$0], isScores: true) } : [],
            statistics: statistics)
    }

    /// Every head of `layer` summarised for the model overview — statistics on `tokenIDs` and a
    /// thumbnail of at most `thumbnailSize`² cells — from the rows as they are made; no matrix is
    /// held. The sums are kept (`gatheredOverview`), so asking again after decode steps makes only
    /// the new rows.
    public func headSummaries(layer: Int, thumbnailSize: Int, tokenIDs: [Int]) throws(ModelError) -> [AttentionHeadSummary] {
        try checkAttentionRows(layer: layer, scores: false)
        if let kept = gatheredOverview, kept.grows(into: tokens, thumbnailSize: thumbnailSize, tokenIDs: tokenIDs) {
            return summaries(of: kept, layer: layer, tokenIDs: tokenIDs)
        }
        // None yet, or for another size or other tokens: start from no rows (kept only when the
        // induction tokens are the session's own).
        let fresh = OverviewGatherer(tokens: tokens, thumbnailSize: thumbnailSize, configuration: model.configuration)
        if tokenIDs.starts(with: tokens) { gatheredOverview = fresh }
        return summaries(of: fresh, layer: layer, tokenIDs: tokenIDs)
    }

    /// `layer`'s summaries from `overview`, after adding the rows it lacks.
    private func summaries(of overview: OverviewGatherer, layer: Int, tokenIDs: [Int]) -> [AttentionHeadSummary] {
        let n = count
        let first = overview.rowCount(layer: layer)
        if first < n {
            let heads = 0..<model.configuration.headCount
            let layout = AttentionRowLayout(count: n, thumbnailSize: overview.thumbnailSize, tokenIDs: tokenIDs)
            let blocks = Self.rowBlocks(n - first)
            var sums = [AttentionRowSums](repeating: AttentionRowSums(thumbnailCells: overview.thumbnailSize), count: heads.count * blocks)
            sums.withUnsafeMutableBufferPointer { sumBuffer in
                let sumBase = SendableMutableBuffer(sumBuffer)
                forEachAttentionRow(layer: layer, heads: heads, queries: first..<n, scores: false) { head, q, p, _, entropy in
                    sumBase.base[head * blocks + (q - first) / AttentionTiles.queryBlock].add(row: q, p, entropy: entropy, layout: layout)
                }
            }
            overview.grow(layer: layer, to: tokens, sums: sums, blocks: blocks)
        }
        return overview.summaries(layer: layer)
    }

    /// Throws unless the rows of `layer` can be had: stored in the trace, or recomputable from its
    /// residual stream (the sequence was observed).
    func checkAttentionRows(layer: Int, scores wantScores: Bool) throws(ModelError) {
        let c = model.configuration
        guard layer >= 0, layer < c.blockCount else {
            throw .invalidRequest("layer \(layer) is out of range: the model has layers 0...\(c.blockCount - 1)")
        }
        guard count == 0 || isStored(scores: wantScores) || trace.observedCount == count else {
            throw .invalidRequest("the sequence was run without observation, so its attention cannot be recomputed")
        }
    }

    /// Whether the trace holds every position's rows (and scores, when asked).
    func isStored(scores wantScores: Bool) -> Bool { trace.attentionCount == count && (!wantScores || trace.hasScores) }

    /// Hands every row of `heads` in `layer` — of the query positions `queries`, all by default —
    /// to `body(head, query, probabilities, scores, entropy)`: probabilities over keys
    /// `0...query`, scores (−∞ outside a window) when `wantScores`, the row's entropy in bits.
    /// From the trace when every position is stored there; else recomputed from the recorded
    /// residual stream — the layer's queries once, then tiles over every head at once. `body` runs
    /// on worker threads, once per (head, row); the rows of one block of `AttentionTiles.queryBlock`
    /// queries (counted from `queries.lowerBound`) come in order on one thread.
    /// `checkAttentionRows` first.
    func forEachAttentionRow(
        layer: Int, heads: Range<Int>, queries: Range<Int>? = nil, scores wantScores: Bool,
        _ body: (Int, Int, UnsafePointer<Float>, UnsafePointer<Float>?, Double) -> Void
    ) {
        let c = model.configuration
        let queries = (queries ?? 0..<count).clamped(to: 0..<count)
        let first = queries.lowerBound, n = queries.count
        guard n > 0 else { return }
        let stored = isStored(scores: wantScores)
        if stored {
            storedRows(layer: layer, heads: heads, queries: queries, scores: wantScores, body)
            return
        }
        // The rotated queries of the positions asked for.
        var input = [Float](repeating: 0, count: n * c.width)  // (queries, width): the residual entering the block
        let residuals = trace.residuals
        input.withUnsafeMutableBufferPointer { out in
            for row in 0..<n {
                residuals.read(position: first + row, block: layer, into: out.baseAddress.unsafelyUnwrapped + row * c.width)
            }
        }
        var buffers = BlockBuffers(queriesOf: c, rows: n)
        var observer = NoObserver()
        attentionInputs(layer: layer, x: input, rows: n, start: first, keysAndValues: false, buffers: &buffers, observer: &observer)
        input = []
        let shape = c.attention(layer: layer)
        if shape.headSize % 8 == 0 {
            var noOutput: [Float] = []
            withoutActuallyEscaping(body) { body in
                Attention.tiled(
                    queries: buffers.q, keys: keys[layer], values: values[layer], shape: shape, start: first, batch: n, heads: heads,
                    into: &noOutput, wantsScores: wantScores) { head, t, p, s, entropy in body(head, first + t, p, s, Double(entropy)) }
            }
            return
        }
        // Head sizes the tiles do not take: the row kernel, a block of rows at a time.
        let queryWidth = c.queryWidth
        for offset in stride(from: 0, to: n, by: Self.batchLimit) {
            let batch = min(Self.batchLimit, n - offset), start = first + offset, total = start + batch
            let batchQueries = Array(buffers.q[(offset * queryWidth)..<((offset + batch) * queryWidth)])  // (batch, heads × headSize)
            var noOutput: [Float] = []
            var probabilities = [Float](repeating: 0, count: batch * heads.count * total)  // (batch, heads, total)
            var scores = [Float](repeating: 0, count: wantScores ? batch * heads.count * total : 0)  // (batch, heads, total)
            Attention.run(
                queries: batchQueries, keys: keys[layer], values: values[layer], shape: shape, start: start, batch: batch,
                into: &noOutput, probabilities: &probabilities, scores: &scores, heads: heads)
            probabilities.withUnsafeBufferPointer { pp in
                scores.withUnsafeBufferPointer { sp in
                    for t in 0..<batch {
                        for (index, head) in heads.enumerated() {
                            let row = (t * heads.count + index) * total
                            let p = pp.baseAddress.unsafelyUnwrapped + row
                            body(head, start + t, p, wantScores ? sp.baseAddress.unsafelyUnwrapped + row : nil, Self.entropy(p, count: start + t + 1))
                        }
                    }
                }
            }
        }
    }

    /// The stored rows of `heads` in `layer`, as `forEachAttentionRow` hands them out.
    private func storedRows(
        layer: Int, heads: Range<Int>, queries: Range<Int>, scores wantScores: Bool,
        _ body: (Int, Int, UnsafePointer<Float>, UnsafePointer<Float>?, Double) -> Void
    ) {
        let c = model.configuration
        let n = count, first = queries.lowerBound
        let blocks = Self.rowBlocks(queries.count)
        trace.attention.withUnsafeBufferPointer { attention in
            trace.scores.withUnsafeBufferPointer { scores in
                let a = SendableBuffer(attention), s = SendableBuffer(scores)
                Parallel.forEach(blocks * heads.count) { item in
                    let block = blocks - 1 - item / heads.count, head = heads.lowerBound + item % heads.count
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * n) { row in
                        let p = row.baseAddress.unsafelyUnwrapped, sc = p + n
                        for q in (first + block * AttentionTiles.queryBlock)..<min(queries.upperBound, first + (block + 1) * AttentionTiles.queryBlock) {
                            let start = ForwardTrace.attentionOffset(position: q, configuration: c) + (layer * c.headCount + head) * (q + 1)
                            for k in 0...q { p[k] = Float(a.base[start + k]) }
                            if wantScores { for k in 0...q { sc[k] = Float(s.base[start + k]) } }
                            body(head, q, p, wantScores ? sc : nil, Self.entropy(p, count: q + 1))
                        }
                    }
                }
            }
        }
    }

    /// −Σ p log2 p over `count` probabilities (zeros skipped), as the statistics of a stored matrix have it.
    static func entropy(_ p: UnsafePointer<Float>, count: Int) -> Double {
        var h = 0.0
        for k in 0..<count where p[k] > 0 {
            let v = Double(p[k])
            h -= v * log2(v)
        }
        return h
    }

    /// Blocks of `AttentionTiles.queryBlock` rows in `n` positions.
    static func rowBlocks(_ n: Int) -> Int { max(1, (n + AttentionTiles.queryBlock - 1) / AttentionTiles.queryBlock) }

    /// Writes `count` values as f16 (scores saturate at ±65 504; −∞ stays −∞).
    @inline(__always)
    static func store(_ values: UnsafePointer<Float>, count: Int, into destination: UnsafeMutablePointer<Float16>) {
        for k in 0..<count {
            let v = values[k]
            destination[k] = v.isFinite ? Float16(clamping: v) : Float16(v)
        }
    }

    /// Calls `body` with the base of each array in `arrays`, for worker threads writing disjoint
    /// places of them.
    static func withBases<R>(_ arrays: inout [[Float16]], _ body: ([SendableMutableBuffer<Float16>]) -> R) -> R {
        var bases: [SendableMutableBuffer<Float16>] = []
        for index in arrays.indices {
            bases.append(arrays[index].withUnsafeMutableBufferPointer { SendableMutableBuffer<Float16>($0) })
        }
        return withExtendedLifetime(arrays) { body(bases) }
    }
}

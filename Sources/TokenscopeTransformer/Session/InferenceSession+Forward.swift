import Foundation

// MARK: - The forward pass

extension InferenceSession {
    /// Runs one batch of tokens through every block, extends the KV cache, final hidden states and
    /// trace. On error the caller rewinds.
    /// `storesAttention`: whether this append's rows go into the trace (the whole sequence fits the budget).
    func forward(_ ids: [Int], storesAttention: Bool, shouldCancel: () -> Bool) throws(ModelError) {
        let c = model.configuration
        let batch = ids.count
        let start = count
        let total = start + batch
        let observe = options.level >= .summary
        let recordAttention = storesAttention && options.level == .full && trace.attentionCount == start
            && trace.attentionBytes(count: total) <= options.attentionBudgetBytes
        let recordScores = recordAttention && trace.hasScores

        tokens.append(contentsOf: ids)
        if observe && trace.observedCount == start { trace.extendObserved(by: batch) }
        let observing = observe && trace.observedCount == total
        if recordAttention { trace.extendAttention(by: batch) }

        // MARK: Buffers
        var buffers = BlockBuffers(
            c, rows: batch, attentionValues: recordAttention ? batch * c.headCount * total : 0,  // (batch, heads, total)
            scoreValues: recordScores ? batch * c.headCount * total : 0)  // (batch, heads, total)
        var observer = SublayerNormObserver(rows: batch, width: c.width, isOn: observing)

        // MARK: Embedding
        var x = embed(ids, start: start)  // (batch, width): the residual stream
        if observing { recordResiduals(x, block: 0, start: start, batch: batch) }

        // MARK: Blocks
        for layer in 0..<c.blockCount {
            if shouldCancel() { throw .cancelled }
            runBlock(layer: layer, x: &x, rows: batch, start: start, appendsToCache: true, buffers: &buffers, observer: &observer)
            if recordAttention {
                recordAttentionRows(buffers.probabilities, scores: buffers.scores, layer: layer, start: start, batch: batch)
            }
            if observing {
                for t in 0..<batch {
                    let index = (start + t) * c.blockCount + layer
                    trace.attentionNorms[index] = observer.attention[t]
                    trace.mlpNorms[index] = observer.mlp[t]
                }
            }
            if let bad = x.firstIndex(where: { !$0.isFinite }) {
                throw .nonFinite(layer: layer, position: start + bad / c.width, stage: "residual stream after the block")
            }
            if observing { recordResiduals(x, block: layer + 1, start: start, batch: batch) }
        }
        finalHidden.append(contentsOf: x)
    }

    // MARK: Recording

    private func recordResiduals(_ x: [Float], block: Int, start: Int, batch: Int) {
        let width = model.configuration.width
        x.withUnsafeBufferPointer { rows in
            for t in 0..<batch {
                trace.residuals.write(UnsafeBufferPointer(rebasing: rows[(t * width)..<((t + 1) * width)]), position: start + t, block: block)
            }
        }
    }

    /// Copies each row into the trace as f16. The buffers are taken once per call: an element-wise
    /// write through the session's `trace` property paid a dynamic exclusivity check per value.
    private func recordAttentionRows(_ probabilities: [Float], scores: [Float], layer: Int, start: Int, batch: Int) {
        let c = model.configuration
        let total = start + batch
        // The trace's own layout, computed from the sizes because the trace is being written.
        func offset(_ position: Int, _ head: Int) -> Int {
            ForwardTrace.attentionOffset(position: position, configuration: c) + (layer * c.headCount + head) * (position + 1)
        }
        func copy(_ source: [Float], into destination: inout [Float16], clamping: Bool) {
            source.withUnsafeBufferPointer { from in
                destination.withUnsafeMutableBufferPointer { to in
                    for t in 0..<batch {
                        let position = start + t
                        for head in 0..<c.headCount {
                            let target = offset(position, head), origin = (t * c.headCount + head) * total
                            for j in 0...position {
                                to[target + j] = clamping ? Float16(clamping: from[origin + j]) : Float16(from[origin + j])
                            }
                        }
                    }
                }
            }
        }
        copy(probabilities, into: &trace.attention, clamping: false)
        if trace.hasScores { copy(scores, into: &trace.scores, clamping: true) }
    }
}

extension Float16 {
    /// Converts, saturating at ±65504 rather than becoming infinite.
    init(clamping value: Float) {
        self.init(Swift.max(-65504, Swift.min(65504, value)))
    }
}

// MARK: - Sublayer norms

/// Records the L2 norm of each row of what attention and the feed-forward network add, for the trace.
struct SublayerNormObserver: BlockObserver {
    /// (rows) for the block last run.
    var attention: [Float]
    var mlp: [Float]
    let width: Int
    let isOn: Bool

    init(rows: Int, width: Int, isOn: Bool) {
        attention = [Float](repeating: 0, count: rows)
        mlp = [Float](repeating: 0, count: rows)
        self.width = width
        self.isOn = isOn
    }

    @inline(__always) func wants(_ stage: BlockStage) -> Bool {
        isOn && (stage == .attentionOutput || stage == .mlpOutput)
    }

    mutating func observe(_ stage: BlockStage, layer: Int, _ values: [Float], rows: Int) {
        for t in 0..<rows {
            var sum: Float = 0
            for i in (t * width)..<((t + 1) * width) { sum += values[i] * values[i] }
            if stage == .attentionOutput { attention[t] = sum.squareRoot() } else { mlp[t] = sum.squareRoot() }
        }
    }
}

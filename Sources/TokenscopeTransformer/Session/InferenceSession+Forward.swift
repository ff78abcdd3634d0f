import Foundation

// MARK: - The forward pass

extension InferenceSession {
    /// Runs one batch of tokens through every block, extends the KV cache, final hidden states and
    /// trace. On error the caller rewinds.
    func forward(_ ids: [Int], shouldCancel: () -> Bool) throws(ModelError) {
        let c = model.configuration
        let w = model.weights
        let batch = ids.count
        let start = count
        let total = start + batch
        let observe = options.level >= .summary
        let recordAttention = options.level == .full && trace.attentionCount == start
            && trace.attentionBytes(count: total) <= options.attentionBudgetBytes
        let recordScores = recordAttention && trace.hasScores

        tokens.append(contentsOf: ids)
        if observe && trace.observedCount == start { trace.extendObserved(by: batch) }
        let observing = observe && trace.observedCount == total
        if recordAttention { trace.extendAttention(by: batch) }

        // MARK: Buffers
        var x = [Float](repeating: 0, count: batch * c.width)  // (batch, width): the residual stream
        var normed = [Float](repeating: 0, count: batch * c.width)  // (batch, width)
        var q = [Float](repeating: 0, count: batch * c.width)  // (batch, heads × headSize)
        var k = [Float](repeating: 0, count: batch * c.kvWidth)  // (batch, kvHeads × headSize)
        var v = [Float](repeating: 0, count: batch * c.kvWidth)  // (batch, kvHeads × headSize)
        var mixed = [Float](repeating: 0, count: batch * c.width)  // (batch, width): attention before output projection
        var projected = [Float](repeating: 0, count: batch * c.width)  // (batch, width)
        var gate = [Float](repeating: 0, count: batch * c.mlpWidth)  // (batch, mlpWidth)
        var up = [Float](repeating: 0, count: batch * c.mlpWidth)  // (batch, mlpWidth)
        var probabilities = [Float](repeating: 0, count: recordAttention ? batch * c.headCount * total : 0)  // (batch, heads, total)
        var scores = [Float](repeating: 0, count: recordScores ? batch * c.headCount * total : 0)  // (batch, heads, total)

        // MARK: Embedding
        for (t, id) in ids.enumerated() {
            x.withUnsafeMutableBufferPointer { xp in
                Linear.row(w.tokenEmbedding, id, into: UnsafeMutableBufferPointer(rebasing: xp[(t * c.width)..<((t + 1) * c.width)]))
            }
        }
        if observing { recordResiduals(x, block: 0, start: start, batch: batch) }

        // MARK: Blocks
        for layer in 0..<c.blockCount {
            if shouldCancel() { throw .cancelled }
            let b = w.blocks[layer]

            // Attention: norm → Q, K, V → rotary → causal grouped-query attention → output projection.
            Ops.rmsNormRows(x, weight: b.attentionNorm, epsilon: c.rmsEpsilon, rows: batch, into: &normed)
            Linear.apply(b.query, b.key, b.value, normed, rows: batch, into: &q, &k, &v)
            Ops.rope(&q, rows: batch, heads: c.headCount, headSize: c.headSize, startPosition: start, base: c.ropeBase)
            Ops.rope(&k, rows: batch, heads: c.kvHeadCount, headSize: c.headSize, startPosition: start, base: c.ropeBase)
            keys[layer].append(contentsOf: k)
            values[layer].append(contentsOf: v)
            Attention.run(
                queries: q, keys: keys[layer], values: values[layer], configuration: c, start: start, batch: batch,
                into: &mixed, probabilities: &probabilities, scores: &scores)
            if recordAttention { recordAttentionRows(probabilities, scores: scores, layer: layer, start: start, batch: batch) }
            Linear.apply(b.output, mixed, rows: batch, into: &projected)
            if observing { recordNorms(projected, layer: layer, start: start, batch: batch, attention: true) }
            Ops.add(projected, into: &x)

            // MLP: norm → gate, up → SiLU(gate) × up → down.
            Ops.rmsNormRows(x, weight: b.mlpNorm, epsilon: c.rmsEpsilon, rows: batch, into: &normed)
            Linear.apply(b.gate, b.up, normed, rows: batch, into: &gate, &up)
            Ops.swiGLU(gate: &gate, up: up)
            Linear.apply(b.down, gate, rows: batch, into: &projected)
            if observing { recordNorms(projected, layer: layer, start: start, batch: batch, attention: false) }
            Ops.add(projected, into: &x)

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
        let stride = trace.residualStride
        for t in 0..<batch {
            let destination = (start + t) * stride + block * width
            trace.residuals.replaceSubrange(destination..<(destination + width), with: x[(t * width)..<((t + 1) * width)])
        }
    }

    private func recordNorms(_ output: [Float], layer: Int, start: Int, batch: Int, attention: Bool) {
        let c = model.configuration
        for t in 0..<batch {
            var sum: Float = 0
            for i in (t * c.width)..<((t + 1) * c.width) { sum += output[i] * output[i] }
            let index = (start + t) * c.blockCount + layer
            if attention { trace.attentionNorms[index] = sum.squareRoot() } else { trace.mlpNorms[index] = sum.squareRoot() }
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

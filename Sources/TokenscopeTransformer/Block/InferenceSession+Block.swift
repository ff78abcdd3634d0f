import TokenscopeKernels

// MARK: - The block, written once

/// Scratch buffers for a batch of rows through a block, allocated once per forward batch.
struct BlockBuffers {
    var normed: [Float]  // (rows, width)
    var q: [Float]  // (rows, heads × headSize)
    var k: [Float]  // (rows, kvHeads × headSize)
    var v: [Float]  // (rows, kvHeads × headSize)
    var mixed: [Float]  // (rows, heads × headSize): attention before the output projection
    var projected: [Float]  // (rows, width): what a sublayer adds to the residual stream
    var gate: [Float]  // (rows, mlpWidth); gated feed-forward only
    var up: [Float]  // (rows, mlpWidth)
    var probabilities: [Float]  // (rows, heads, total) when recording attention, else empty
    var scores: [Float]  // (rows, heads, total) when recording scores, else empty

    init(_ c: ModelConfiguration, rows: Int, attentionValues: Int = 0, scoreValues: Int = 0) {
        normed = [Float](repeating: 0, count: rows * c.width)
        q = [Float](repeating: 0, count: rows * c.queryWidth)
        k = [Float](repeating: 0, count: rows * c.kvWidth)
        v = [Float](repeating: 0, count: rows * c.kvWidth)
        mixed = [Float](repeating: 0, count: rows * c.queryWidth)
        projected = [Float](repeating: 0, count: rows * c.width)
        gate = [Float](repeating: 0, count: c.recipe.isGated ? rows * c.mlpWidth : 0)
        up = [Float](repeating: 0, count: rows * c.mlpWidth)
        probabilities = [Float](repeating: 0, count: attentionValues)
        scores = [Float](repeating: 0, count: scoreValues)
    }

    /// Buffers for the queries alone (a recomputation of attention weights): the norm's output and
    /// the queries; the rest stay empty.
    init(queriesOf c: ModelConfiguration, rows: Int) {
        normed = [Float](repeating: 0, count: rows * c.width)
        q = [Float](repeating: 0, count: rows * c.queryWidth)
        (k, v, mixed, projected, gate, up, probabilities, scores) = ([], [], [], [], [], [], [], [])
    }
}

extension InferenceSession {
    /// Hands `values` of `stage` to the hooks (which may edit it) and then to the observer.
    @inline(__always)
    func handOff<O: BlockObserver>(
        _ stage: BlockStage, layer: Int, _ values: inout [Float], rows: Int, start: Int, width: Int, observer: inout O
    ) {
        if !hooks.isEmpty { hooks.apply(stage, layer: layer, &values, rows: rows, start: start, width: width) }
        if observer.wants(stage) { observer.observe(stage, layer: layer, values, rows: rows) }
    }

    /// The attention inputs of `rows` rows of the residual stream `x` entering block `layer` at
    /// positions `start...`: the norm, the query (and, when `keysAndValues`, key and value)
    /// projections with their biases, QK-norm and rotary positions, into `b.q`, `b.k`, `b.v`.
    func attentionInputs<O: BlockObserver>(
        layer: Int, x: [Float], rows: Int, start: Int, keysAndValues: Bool, buffers b: inout BlockBuffers, observer: inout O
    ) {
        let c = model.configuration
        let r = c.recipe
        let w = model.weights.blocks[layer]
        let shape = c.attention(layer: layer)
        Ops.normRows(x, w.attentionNorm, kind: r.norm, epsilon: c.normEpsilon, rows: rows, into: &b.normed)
        handOff(.attentionNormed, layer: layer, &b.normed, rows: rows, start: start, width: c.width, observer: &observer)
        if keysAndValues {
            Linear.apply(w.query, w.key, w.value, b.normed, rows: rows, into: &b.q, &b.k, &b.v, activations: activations)
        } else {
            Linear.apply(w.query, b.normed, rows: rows, into: &b.q, activations: activations)
        }
        if let bias = w.queryBias { Ops.addBias(bias, to: &b.q, rows: rows) }
        if let norm = w.queryNorm { Ops.headNorm(&b.q, weight: norm, epsilon: c.normEpsilon, rows: rows, heads: c.headCount) }
        handOff(.query, layer: layer, &b.q, rows: rows, start: start, width: c.queryWidth, observer: &observer)
        if keysAndValues {
            if let bias = w.keyBias { Ops.addBias(bias, to: &b.k, rows: rows) }
            if let bias = w.valueBias { Ops.addBias(bias, to: &b.v, rows: rows) }
            if let norm = w.keyNorm { Ops.headNorm(&b.k, weight: norm, epsilon: c.normEpsilon, rows: rows, heads: c.kvHeadCount) }
            handOff(.key, layer: layer, &b.k, rows: rows, start: start, width: c.kvWidth, observer: &observer)
            handOff(.value, layer: layer, &b.v, rows: rows, start: start, width: c.kvWidth, observer: &observer)
        }
        if r.positions == .rotary {
            Ops.rope(&b.q, style: c.rotaryStyle, rows: rows, heads: c.headCount, headSize: c.headSize, startPosition: start, base: shape.ropeBase)
            if keysAndValues {
                Ops.rope(&b.k, style: c.rotaryStyle, rows: rows, heads: c.kvHeadCount, headSize: c.headSize, startPosition: start, base: shape.ropeBase)
            }
        }
        handOff(.rotatedQuery, layer: layer, &b.q, rows: rows, start: start, width: c.queryWidth, observer: &observer)
    }

    /// Runs block `layer` on `rows` rows of the residual stream `x` (rows, width) at positions
    /// `start...`, updating `x` in place. When `appendsToCache`, the rows' keys and values extend
    /// the KV cache first (the forward pass); otherwise the cache must already hold them (a
    /// recomputation). Attention rows go to `b.probabilities` / `b.scores` when those are not empty.
    func runBlock<O: BlockObserver>(
        layer: Int, x: inout [Float], rows: Int, start: Int, appendsToCache: Bool, buffers b: inout BlockBuffers,
        observer: inout O
    ) {
        let c = model.configuration
        let r = c.recipe
        let w = model.weights.blocks[layer]
        handOff(.input, layer: layer, &x, rows: rows, start: start, width: c.width, observer: &observer)

        // Attention: norm → Q, K, V → rotary → causal grouped-query attention → output projection.
        attentionInputs(layer: layer, x: x, rows: rows, start: start, keysAndValues: true, buffers: &b, observer: &observer)
        if appendsToCache {
            keys[layer].append(contentsOf: b.k)
            values[layer].append(contentsOf: b.v)
        }
        if appendsToCache, let gatherer = overviewGatherer {
            // A prompt gathering the overview: every row also goes into its head's sums.
            var sums = gatherer.batchSums(rows: rows)  // (heads × row blocks)
            let blocks = OverviewGatherer.blocks(rows), layout = gatherer.layout
            let handedOut = sums.withUnsafeMutableBufferPointer { buffer in
                let base = SendableMutableBuffer(buffer)
                return Attention.run(
                    queries: b.q, keys: keys[layer], values: values[layer], shape: c.attention(layer: layer), start: start, batch: rows,
                    into: &b.mixed, probabilities: &b.probabilities, scores: &b.scores,
                    rowsOut: { head, t, p, _, entropy in
                        base.base[head * blocks + t / AttentionTiles.queryBlock].add(row: start + t, p, entropy: Double(entropy), layout: layout)
                    })
            }
            if handedOut { gatherer.add(sums, layer: layer, rows: rows) } else { gatherer.abandon() }
        } else {
            Attention.run(
                queries: b.q, keys: keys[layer], values: values[layer], shape: c.attention(layer: layer), start: start, batch: rows,
                into: &b.mixed, probabilities: &b.probabilities, scores: &b.scores)
        }
        handOff(.headOutputs, layer: layer, &b.mixed, rows: rows, start: start, width: c.queryWidth, observer: &observer)
        Linear.apply(w.output, b.mixed, rows: rows, into: &b.projected, activations: activations)
        if let bias = w.outputBias { Ops.addBias(bias, to: &b.projected, rows: rows) }
        if let norm = w.postAttentionNorm {
            Ops.normRows(b.projected, norm, kind: r.norm, epsilon: c.normEpsilon, rows: rows, into: &b.normed)
            swap(&b.projected, &b.normed)
        }
        handOff(.attentionOutput, layer: layer, &b.projected, rows: rows, start: start, width: c.width, observer: &observer)
        Ops.add(b.projected, into: &x)
        handOff(.middle, layer: layer, &x, rows: rows, start: start, width: c.width, observer: &observer)

        // Feed-forward: norm → (gate,) up → activation → down.
        Ops.normRows(x, w.mlpNorm, kind: r.norm, epsilon: c.normEpsilon, rows: rows, into: &b.normed)
        handOff(.mlpNormed, layer: layer, &b.normed, rows: rows, start: start, width: c.width, observer: &observer)
        if let gate = w.gate {
            Linear.apply(gate, w.up, b.normed, rows: rows, into: &b.gate, &b.up, activations: activations)
            handOff(.mlpGate, layer: layer, &b.gate, rows: rows, start: start, width: c.mlpWidth, observer: &observer)
            handOff(.mlpUp, layer: layer, &b.up, rows: rows, start: start, width: c.mlpWidth, observer: &observer)
            if r.feedForward == .geGLU { Ops.geGLU(gate: &b.gate, up: b.up) } else { Ops.swiGLU(gate: &b.gate, up: b.up) }
            handOff(.mlpActivated, layer: layer, &b.gate, rows: rows, start: start, width: c.mlpWidth, observer: &observer)
            Linear.apply(w.down, b.gate, rows: rows, into: &b.projected, activations: activations)
        } else {
            Linear.apply(w.up, b.normed, rows: rows, into: &b.up, activations: activations)
            if let bias = w.upBias { Ops.addBias(bias, to: &b.up, rows: rows) }
            handOff(.mlpUp, layer: layer, &b.up, rows: rows, start: start, width: c.mlpWidth, observer: &observer)
            Ops.gelu(&b.up)
            handOff(.mlpActivated, layer: layer, &b.up, rows: rows, start: start, width: c.mlpWidth, observer: &observer)
            Linear.apply(w.down, b.up, rows: rows, into: &b.projected, activations: activations)
        }
        if let bias = w.downBias { Ops.addBias(bias, to: &b.projected, rows: rows) }
        if let norm = w.postMLPNorm {
            Ops.normRows(b.projected, norm, kind: r.norm, epsilon: c.normEpsilon, rows: rows, into: &b.normed)
            swap(&b.projected, &b.normed)
        }
        handOff(.mlpOutput, layer: layer, &b.projected, rows: rows, start: start, width: c.width, observer: &observer)
        Ops.add(b.projected, into: &x)
        handOff(.output, layer: layer, &x, rows: rows, start: start, width: c.width, observer: &observer)
    }

    // MARK: Embedding and unembedding

    /// The residual stream entering the first block for `ids` at positions `start...`: embedding
    /// rows, scaled as the recipe says, plus learned positions where the recipe has them.
    func embed(_ ids: [Int], start: Int) -> [Float] {
        let c = model.configuration
        let w = model.weights
        var x = [Float](repeating: 0, count: ids.count * c.width)  // (rows, width)
        x.withUnsafeMutableBufferPointer { xp in
            for (t, id) in ids.enumerated() {
                Linear.row(w.tokenEmbedding, id, into: UnsafeMutableBufferPointer(rebasing: xp[(t * c.width)..<((t + 1) * c.width)]))
            }
        }
        if c.recipe.embeddingScale == .squareRootOfWidth { Ops.scale(&x, by: Float(c.width).squareRoot()) }
        if let positions = w.positionEmbedding {
            var row = [Float](repeating: 0, count: c.width)  // (width)
            for t in ids.indices {
                row.withUnsafeMutableBufferPointer { Linear.row(positions, start + t, into: $0) }
                for i in 0..<c.width { x[t * c.width + i] += row[i] }
            }
        }
        return x
    }

    /// The final norm of each row of `hidden` (rows, width).
    func finalNormRows(_ hidden: [Float], rows: Int) -> [Float] {
        let c = model.configuration
        var normed = [Float](repeating: 0, count: rows * c.width)  // (rows, width)
        Ops.normRows(hidden, model.weights.outputNorm, kind: c.recipe.norm, epsilon: c.normEpsilon, rows: rows, into: &normed)
        return normed
    }

    /// Logits (rows, vocabulary) of residual-stream rows (rows, width): final norm, output head,
    /// softcap where the configuration has one. The logit lens and every logit read come here.
    /// A single row takes the session's `activations` unless `precision` says otherwise.
    func unembedRows(_ hidden: [Float], rows: Int, precision: ActivationPrecision? = nil) -> [Float] {
        let c = model.configuration
        let normed = finalNormRows(hidden, rows: rows)
        var logits = [Float](repeating: 0, count: rows * c.vocabularySize)  // (rows, vocabulary)
        Linear.apply(model.weights.output, normed, rows: rows, into: &logits, activations: precision ?? activations)
        if let cap = c.finalLogitSoftcap { Ops.softcap(&logits, cap: cap) }
        return logits
    }
}

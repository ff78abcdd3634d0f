import TokenscopeFormats

// MARK: - Weights

/// A norm's weights: the scale, and the bias of a layer norm.
struct NormWeights: Sendable {
    let weight: [Float]  // (width)
    let bias: [Float]?  // (width), layer norm only
}

/// The weights of one transformer block: zero-copy views into the model file (or transposed
/// copies for HF Conv1D), norms and biases as f32. Optional parts follow the recipe.
struct BlockWeights: Sendable {
    let attentionNorm: NormWeights
    let query: TensorView  // (queryWidth out, width in)
    let key: TensorView  // (kvWidth out, width in)
    let value: TensorView  // (kvWidth out, width in)
    let queryBias: [Float]?  // (queryWidth)
    let keyBias: [Float]?  // (kvWidth)
    let valueBias: [Float]?  // (kvWidth)
    let queryNorm: [Float]?  // (headSize), QK-norm
    let keyNorm: [Float]?  // (headSize), QK-norm
    let output: TensorView  // (width out, queryWidth in)
    let outputBias: [Float]?  // (width)
    let postAttentionNorm: NormWeights?
    let mlpNorm: NormWeights
    let gate: TensorView?  // (mlpWidth out, width in), gated feed-forward only
    let up: TensorView  // (mlpWidth out, width in)
    let upBias: [Float]?  // (mlpWidth)
    let down: TensorView  // (width out, mlpWidth in)
    let downBias: [Float]?  // (width)
    let postMLPNorm: NormWeights?
}

/// Every weight of a model, checked against the configuration's shapes.
struct ModelWeights: Sendable {
    let tokenEmbedding: TensorView  // (vocabulary rows, width)
    let positionEmbedding: TensorView?  // (context rows, width), learned positions only
    let outputNorm: NormWeights
    let output: TensorView  // (vocabulary out, width in); the embedding itself when tied
    let blocks: [BlockWeights]
    /// Whether the output projection is the input embedding.
    let isTied: Bool

    /// Looks up and checks every tensor the recipe reads; a missing tensor or a wrong shape is an
    /// error naming the tensor.
    init(source s: WeightSource, configuration c: ModelConfiguration) throws(ModelError) {
        let r = c.recipe
        let offset = r.norm == .rms ? s.normOffset : 0
        func norm(_ weight: TensorRole, _ bias: TensorRole, layer: Int = 0) throws(ModelError) -> NormWeights {
            NormWeights(
                weight: try s.vector(weight, layer: layer, count: c.width, offset: offset),
                bias: r.normHasBias ? try s.vector(bias, layer: layer, count: c.width) : nil)
        }
        func optionalVector(_ present: Bool, _ role: TensorRole, layer: Int, count: Int, offset: Float = 0) throws(ModelError) -> [Float]? {
            present ? try s.vector(role, layer: layer, count: count, offset: offset) : nil
        }
        tokenEmbedding = try s.matrix(.tokenEmbedding, columns: c.width, rows: c.vocabularySize)
        positionEmbedding = r.positions == .learned
            ? try s.matrix(.positionEmbedding, columns: c.width, rows: c.contextLength) : nil
        outputNorm = try norm(.outputNorm, .outputNormBias)
        if !r.alwaysTiesHead && s.has(.output) {
            output = try s.matrix(.output, columns: c.width, rows: c.vocabularySize)
            isTied = false
        } else {
            output = tokenEmbedding
            isTied = true
        }
        var blocks: [BlockWeights] = []
        blocks.reserveCapacity(c.blockCount)
        for layer in 0..<c.blockCount {
            let query: TensorView, key: TensorView, value: TensorView
            var biases: (q: [Float]?, k: [Float]?, v: [Float]?) = (nil, nil, nil)
            if r.hasFusedQKV {
                let fused = try s.matrix(.fusedQKV, layer: layer, columns: c.width, rows: c.queryWidth + 2 * c.kvWidth)
                let name = fused.name
                query = WeightSource.rows(0..<c.queryWidth, of: fused, name: name + "[q]")
                key = WeightSource.rows(c.queryWidth..<(c.queryWidth + c.kvWidth), of: fused, name: name + "[k]")
                value = WeightSource.rows((c.queryWidth + c.kvWidth)..<(c.queryWidth + 2 * c.kvWidth), of: fused, name: name + "[v]")
                if r.hasQKVBias {
                    let bias = try s.vector(.fusedQKVBias, layer: layer, count: c.queryWidth + 2 * c.kvWidth)
                    biases = (Array(bias[0..<c.queryWidth]), Array(bias[c.queryWidth..<(c.queryWidth + c.kvWidth)]),
                              Array(bias[(c.queryWidth + c.kvWidth)...]))
                }
            } else {
                query = try s.matrix(.query, layer: layer, columns: c.width, rows: c.queryWidth)
                key = try s.matrix(.key, layer: layer, columns: c.width, rows: c.kvWidth)
                value = try s.matrix(.value, layer: layer, columns: c.width, rows: c.kvWidth)
                if r.hasQKVBias {
                    biases = (try s.vector(.queryBias, layer: layer, count: c.queryWidth),
                              try s.vector(.keyBias, layer: layer, count: c.kvWidth),
                              try s.vector(.valueBias, layer: layer, count: c.kvWidth))
                }
            }
            blocks.append(BlockWeights(
                attentionNorm: try norm(.attentionNorm, .attentionNormBias, layer: layer),
                query: query, key: key, value: value, queryBias: biases.q, keyBias: biases.k, valueBias: biases.v,
                queryNorm: try optionalVector(r.hasQKNorm, .queryNorm, layer: layer, count: c.headSize, offset: offset),
                keyNorm: try optionalVector(r.hasQKNorm, .keyNorm, layer: layer, count: c.headSize, offset: offset),
                output: try s.matrix(.attentionOutput, layer: layer, columns: c.queryWidth, rows: c.width),
                outputBias: try optionalVector(r.hasOutputBias, .attentionOutputBias, layer: layer, count: c.width),
                postAttentionNorm: r.normalisesSublayerOutputs ? try norm(.postAttentionNorm, .postAttentionNorm, layer: layer) : nil,
                mlpNorm: try norm(.mlpNorm, .mlpNormBias, layer: layer),
                gate: r.isGated ? try s.matrix(.gate, layer: layer, columns: c.width, rows: c.mlpWidth) : nil,
                up: try s.matrix(.up, layer: layer, columns: c.width, rows: c.mlpWidth),
                upBias: try optionalVector(r.feedForwardHasBias, .upBias, layer: layer, count: c.mlpWidth),
                down: try s.matrix(.down, layer: layer, columns: c.mlpWidth, rows: c.width),
                downBias: try optionalVector(r.feedForwardHasBias, .downBias, layer: layer, count: c.width),
                postMLPNorm: r.normalisesSublayerOutputs ? try norm(.postMLPNorm, .postMLPNorm, layer: layer) : nil))
        }
        self.blocks = blocks
    }
}

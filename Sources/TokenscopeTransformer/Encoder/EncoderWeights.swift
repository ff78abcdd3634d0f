import TokenscopeFormats

// MARK: - Encoder weights

/// The weights of one encoder block (BERT): zero-copy views of the linear maps, biases and norms as f32.
struct EncoderBlockWeights: Sendable {
    let query: TensorView  // (width out, width in)
    let key: TensorView  // (width out, width in)
    let value: TensorView  // (width out, width in)
    let queryBias: [Float]  // (width)
    let keyBias: [Float]  // (width)
    let valueBias: [Float]  // (width)
    let output: TensorView  // (width out, width in)
    let outputBias: [Float]  // (width)
    let attentionNorm: NormWeights  // after the attention's residual add
    let up: TensorView  // (mlpWidth out, width in)
    let upBias: [Float]  // (mlpWidth)
    let down: TensorView  // (width out, mlpWidth in)
    let downBias: [Float]  // (width)
    let mlpNorm: NormWeights  // after the feed-forward's residual add
}

/// Every weight of an encoder, looked up by role through the architecture's names and checked
/// against the configuration's shapes (a missing tensor or a wrong shape names the tensor).
struct EncoderWeights: Sendable {
    let tokenEmbedding: TensorView  // (vocabulary rows, width)
    let positionEmbedding: TensorView  // (context rows, width)
    let tokenTypeEmbedding: TensorView  // (token types rows, width)
    let embeddingNorm: NormWeights
    let blocks: [EncoderBlockWeights]

    init(source s: WeightSource, configuration c: ModelConfiguration) throws(ModelError) {
        func norm(_ weight: TensorRole, _ bias: TensorRole, layer: Int = 0) throws(ModelError) -> NormWeights {
            NormWeights(weight: try s.vector(weight, layer: layer, count: c.width), bias: try s.vector(bias, layer: layer, count: c.width))
        }
        tokenEmbedding = try s.matrix(.tokenEmbedding, columns: c.width, rows: c.vocabularySize)
        positionEmbedding = try s.matrix(.positionEmbedding, columns: c.width, rows: c.contextLength)
        let types = try s.view(.tokenTypeEmbedding)
        guard types.shape.count == 2, types.shape[0] == c.width, types.shape[1] >= 1 else {
            throw .unsupported(file: s.path, reason: "tensor \(types.name) has shape \(types.shape), expected [\(c.width), types]")
        }
        tokenTypeEmbedding = try s.matrix(.tokenTypeEmbedding, columns: c.width, rows: types.shape[1])
        embeddingNorm = try norm(.embeddingNorm, .embeddingNormBias)
        var blocks: [EncoderBlockWeights] = []
        for layer in 0..<c.blockCount {
            blocks.append(EncoderBlockWeights(
                query: try s.matrix(.query, layer: layer, columns: c.width, rows: c.queryWidth),
                key: try s.matrix(.key, layer: layer, columns: c.width, rows: c.kvWidth),
                value: try s.matrix(.value, layer: layer, columns: c.width, rows: c.kvWidth),
                queryBias: try s.vector(.queryBias, layer: layer, count: c.queryWidth),
                keyBias: try s.vector(.keyBias, layer: layer, count: c.kvWidth),
                valueBias: try s.vector(.valueBias, layer: layer, count: c.kvWidth),
                output: try s.matrix(.attentionOutput, layer: layer, columns: c.queryWidth, rows: c.width),
                outputBias: try s.vector(.attentionOutputBias, layer: layer, count: c.width),
                attentionNorm: try norm(.attentionNorm, .attentionNormBias, layer: layer),
                up: try s.matrix(.up, layer: layer, columns: c.width, rows: c.mlpWidth),
                upBias: try s.vector(.upBias, layer: layer, count: c.mlpWidth),
                down: try s.matrix(.down, layer: layer, columns: c.mlpWidth, rows: c.width),
                downBias: try s.vector(.downBias, layer: layer, count: c.width),
                mlpNorm: try norm(.mlpNorm, .mlpNormBias, layer: layer)))
        }
        self.blocks = blocks
    }
}

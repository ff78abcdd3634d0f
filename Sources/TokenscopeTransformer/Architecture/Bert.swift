// MARK: - BERT (all-MiniLM-L6-v2 and other sentence encoders)

extension Architecture {
    /// BERT: an encoder. Token, learned position and token-type embeddings are summed and
    /// LayerNormed; each block attends in both directions (a padding mask keeps sequences of a
    /// batch apart), adds the attention output and LayerNorms the sum ("post-LN"), then does the
    /// same with an exact-GELU (erf) feed-forward network with biases. There is no output head:
    /// ``SentenceEncoder`` mean-pools the last hidden states into a sentence embedding.
    public static let bert = Architecture(
        name: "bert", modelTypes: ["bert"],
        recipe: {
            var recipe = ArchitectureRecipe(
                norm: .layer, normalisesSublayerOutputs: false, positions: .learned, hasQKVBias: true, hasOutputBias: true,
                hasQKNorm: false, hasFusedQKV: false, window: .none, feedForward: .gelu, embeddingScale: .none,
                alwaysTiesHead: false)
            recipe.normPlacement = .afterResidual
            recipe.attentionMask = .bidirectional
            recipe.geluForm = .erf
            recipe.hasTokenTypesAndEmbeddingNorm = true
            return recipe
        }(),
        hfPrefixes: ["", "bert."], hfName: bertName)

    /// HF BERT names (`encoder.layer.N.attention.self.query.weight`, …; some checkpoints add `bert.`).
    /// The norm after the attention's residual add plays the attention-norm role, the norm after the
    /// feed-forward's residual add the MLP-norm role.
    @Sendable static func bertName(_ role: TensorRole, _ layer: Int, _ prefix: String) -> String? {
        let block = "\(prefix)encoder.layer.\(layer)."
        switch role {
        case .tokenEmbedding: return prefix + "embeddings.word_embeddings.weight"
        case .positionEmbedding: return prefix + "embeddings.position_embeddings.weight"
        case .tokenTypeEmbedding: return prefix + "embeddings.token_type_embeddings.weight"
        case .embeddingNorm: return prefix + "embeddings.LayerNorm.weight"
        case .embeddingNormBias: return prefix + "embeddings.LayerNorm.bias"
        case .query: return block + "attention.self.query.weight"
        case .queryBias: return block + "attention.self.query.bias"
        case .key: return block + "attention.self.key.weight"
        case .keyBias: return block + "attention.self.key.bias"
        case .value: return block + "attention.self.value.weight"
        case .valueBias: return block + "attention.self.value.bias"
        case .attentionOutput: return block + "attention.output.dense.weight"
        case .attentionOutputBias: return block + "attention.output.dense.bias"
        case .attentionNorm: return block + "attention.output.LayerNorm.weight"
        case .attentionNormBias: return block + "attention.output.LayerNorm.bias"
        case .up: return block + "intermediate.dense.weight"
        case .upBias: return block + "intermediate.dense.bias"
        case .down: return block + "output.dense.weight"
        case .downBias: return block + "output.dense.bias"
        case .mlpNorm: return block + "output.LayerNorm.weight"
        case .mlpNormBias: return block + "output.LayerNorm.bias"
        default: return nil
        }
    }
}

// MARK: - GPT-2

extension Architecture {
    /// GPT-2: pre-norm LayerNorm blocks (weight and bias), learned absolute positions added to the
    /// token embedding, one fused QKV matrix with bias, an output projection with bias, a GELU
    /// (tanh approximation) feed-forward network with biases, a final LayerNorm and a head tied to
    /// the token embedding. HF stores its linear maps as Conv1D, `[in, out]`.
    public static let gpt2 = Architecture(
        name: "gpt2", modelTypes: ["gpt2"],
        recipe: ArchitectureRecipe(
            norm: .layer, normalisesSublayerOutputs: false, positions: .learned, hasQKVBias: true, hasOutputBias: true,
            hasQKNorm: false, hasFusedQKV: true, window: .none, feedForward: .gelu, embeddingScale: .none,
            alwaysTiesHead: true),
        hfPrefixes: ["transformer.", ""], hfName: gpt2Name, hfTransposesLinears: true,
        defaults: ConfigurationDefaults(mlpWidthFactor: 4))

    /// HF GPT-2 names (`transformer.h.N.attn.c_attn.weight`, …; hub checkpoints drop `transformer.`).
    @Sendable static func gpt2Name(_ role: TensorRole, _ layer: Int, _ prefix: String) -> String? {
        let block = "\(prefix)h.\(layer)."
        switch role {
        case .tokenEmbedding: return prefix + "wte.weight"
        case .positionEmbedding: return prefix + "wpe.weight"
        case .outputNorm: return prefix + "ln_f.weight"
        case .outputNormBias: return prefix + "ln_f.bias"
        case .attentionNorm: return block + "ln_1.weight"
        case .attentionNormBias: return block + "ln_1.bias"
        case .fusedQKV: return block + "attn.c_attn.weight"
        case .fusedQKVBias: return block + "attn.c_attn.bias"
        case .attentionOutput: return block + "attn.c_proj.weight"
        case .attentionOutputBias: return block + "attn.c_proj.bias"
        case .mlpNorm: return block + "ln_2.weight"
        case .mlpNormBias: return block + "ln_2.bias"
        case .up: return block + "mlp.c_fc.weight"
        case .upBias: return block + "mlp.c_fc.bias"
        case .down: return block + "mlp.c_proj.weight"
        case .downBias: return block + "mlp.c_proj.bias"
        default: return nil
        }
    }
}

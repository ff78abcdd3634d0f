// MARK: - Gemma 3

extension Architecture {
    /// Gemma 3 (text): four RMSNorms per block (before and after attention, before and after the
    /// feed-forward network), per-head QK-norm, head size 256 from the file, GeGLU, the embedding
    /// scaled by √width, interleaved sliding-window (local) and global layers — every sixth layer
    /// global — with their own rotary bases (10 000 local, the file's base global), and a tied head.
    public static let gemma3 = Architecture(
        name: "gemma3", modelTypes: ["gemma3_text"],
        recipe: ArchitectureRecipe(
            norm: .rms, normalisesSublayerOutputs: true, positions: .rotary, hasQKVBias: false, hasOutputBias: false,
            hasQKNorm: true, hasFusedQKV: false, window: .globalEvery(period: 6), feedForward: .geGLU,
            embeddingScale: .squareRootOfWidth, alwaysTiesHead: true),
        hfPrefixes: ["model.", "model.language_model."], hfName: gemmaName, hfNormOffset: 1,
        defaults: ConfigurationDefaults(ropeBase: 1_000_000, localRopeBase: 10_000, slidingWindow: 512))

    /// HF Gemma 3 names: the Llama-style ones, with its extra norms.
    @Sendable static func gemmaName(_ role: TensorRole, _ layer: Int, _ prefix: String) -> String? {
        let block = "\(prefix)layers.\(layer)."
        switch role {
        case .postAttentionNorm: return block + "post_attention_layernorm.weight"
        case .mlpNorm: return block + "pre_feedforward_layernorm.weight"
        case .postMLPNorm: return block + "post_feedforward_layernorm.weight"
        default: return decoderName(role, layer, prefix)
        }
    }
}

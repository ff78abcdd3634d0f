// MARK: - Llama (SmolLM2, Llama 2/3, Mistral)

extension Architecture {
    /// Llama: pre-norm RMSNorm blocks, rotary positions, grouped-query attention without biases,
    /// SwiGLU feed-forward; the head is tied when the file has no output matrix (SmolLM2).
    public static let llama = Architecture(
        name: "llama", modelTypes: ["llama", "mistral"],
        recipe: ArchitectureRecipe(
            norm: .rms, normalisesSublayerOutputs: false, positions: .rotary, hasQKVBias: false, hasOutputBias: false,
            hasQKNorm: false, hasFusedQKV: false, window: .none, feedForward: .swiGLU, embeddingScale: .none,
            alwaysTiesHead: false),
        ggufRotary: .pairs, hfRotary: .halves,
        hfPrefixes: ["model."], hfName: decoderName)

    /// HF names shared by the Llama-style decoders (`model.layers.N.self_attn.q_proj.weight`, …).
    @Sendable static func decoderName(_ role: TensorRole, _ layer: Int, _ prefix: String) -> String? {
        let block = "\(prefix)layers.\(layer)."
        switch role {
        case .tokenEmbedding: return prefix + "embed_tokens.weight"
        case .outputNorm: return prefix + "norm.weight"
        case .output: return "lm_head.weight"
        case .attentionNorm: return block + "input_layernorm.weight"
        case .query: return block + "self_attn.q_proj.weight"
        case .queryBias: return block + "self_attn.q_proj.bias"
        case .key: return block + "self_attn.k_proj.weight"
        case .keyBias: return block + "self_attn.k_proj.bias"
        case .value: return block + "self_attn.v_proj.weight"
        case .valueBias: return block + "self_attn.v_proj.bias"
        case .queryNorm: return block + "self_attn.q_norm.weight"
        case .keyNorm: return block + "self_attn.k_norm.weight"
        case .attentionOutput: return block + "self_attn.o_proj.weight"
        case .mlpNorm: return block + "post_attention_layernorm.weight"
        case .gate: return block + "mlp.gate_proj.weight"
        case .up: return block + "mlp.up_proj.weight"
        case .down: return block + "mlp.down_proj.weight"
        default: return nil
        }
    }
}

extension ModelConfiguration {
    /// A Llama configuration as a GGUF file states it (head size width ÷ heads, rotary on pairs).
    public init(
        blockCount: Int, width: Int, mlpWidth: Int, headCount: Int, kvHeadCount: Int, ropeBase: Float,
        rmsEpsilon: Float, contextLength: Int, vocabularySize: Int
    ) {
        self.init(
            architecture: Architecture.llama.name, recipe: Architecture.llama.recipe, rotaryStyle: Architecture.llama.ggufRotary,
            blockCount: blockCount, width: width, mlpWidth: mlpWidth, headCount: headCount, kvHeadCount: kvHeadCount,
            headSize: width / max(headCount, 1), ropeBase: ropeBase, localRopeBase: ropeBase, normEpsilon: rmsEpsilon,
            contextLength: contextLength, vocabularySize: vocabularySize)
    }
}

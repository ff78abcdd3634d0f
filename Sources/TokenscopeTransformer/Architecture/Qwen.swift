// MARK: - Qwen 2 / 2.5 and Qwen 3

extension Architecture {
    /// Qwen 2 and 2.5: Llama with a bias on the query, key and value projections; rotary positions
    /// on halves (llama.cpp does not permute Qwen's Q and K rows).
    public static let qwen2 = Architecture(
        name: "qwen2", modelTypes: ["qwen2"],
        recipe: ArchitectureRecipe(
            norm: .rms, normalisesSublayerOutputs: false, positions: .rotary, hasQKVBias: true, hasOutputBias: false,
            hasQKNorm: false, hasFusedQKV: false, window: .none, feedForward: .swiGLU, embeddingScale: .none,
            alwaysTiesHead: false),
        hfPrefixes: ["model."], hfName: decoderName, defaults: ConfigurationDefaults(ropeBase: 1_000_000))

    /// Qwen 3: Llama without biases, with a per-head RMSNorm of queries and keys before rotary
    /// positions, and an explicit head size (`head_dim`, not width ÷ heads).
    public static let qwen3 = Architecture(
        name: "qwen3", modelTypes: ["qwen3"],
        recipe: ArchitectureRecipe(
            norm: .rms, normalisesSublayerOutputs: false, positions: .rotary, hasQKVBias: false, hasOutputBias: false,
            hasQKNorm: true, hasFusedQKV: false, window: .none, feedForward: .swiGLU, embeddingScale: .none,
            alwaysTiesHead: false),
        hfPrefixes: ["model."], hfName: decoderName, defaults: ConfigurationDefaults(ropeBase: 1_000_000))
}

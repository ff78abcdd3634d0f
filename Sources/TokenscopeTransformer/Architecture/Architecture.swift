// MARK: - An architecture

/// One model family as data: its names in files, its block recipe, and its tensor names.
///
/// Every family Tokenscope runs is one value of this type, declared in its own file
/// (`Llama.swift`, `GPT2.swift`, …) and listed in ``ArchitectureRegistry``. Nothing else in the
/// library names an architecture: the forward pass, block inspection, head recomputation and the
/// logit lens read the recipe and the configuration.
public struct Architecture: Sendable {
    /// The GGUF `general.architecture` value (`llama`, `gpt2`, …); also the registry key.
    public let name: String
    /// The HF `config.json` `model_type` values this family answers to.
    public let modelTypes: [String]
    /// What the blocks compute.
    public let recipe: ArchitectureRecipe
    /// Rotary style for weights as llama.cpp's converter writes them (pairs when it permutes Q and K).
    public let ggufRotary: ArchitectureRecipe.RotaryStyle
    /// Rotary style for weights as HF stores them (halves: rotate-half).
    public let hfRotary: ArchitectureRecipe.RotaryStyle
    /// Prefixes HF checkpoints of the family put before tensor names, tried in order (the first
    /// under which the token embedding exists wins).
    public let hfPrefixes: [String]
    /// The HF name of a tensor role in block `layer` under `prefix`, or nil when the family has none.
    public let hfName: @Sendable (_ role: TensorRole, _ layer: Int, _ prefix: String) -> String?
    /// Whether HF stores the linear maps as `[in, out]` (GPT-2's Conv1D) rather than `[out, in]`.
    public let hfTransposesLinears: Bool
    /// Added to every RMS-norm weight read from an HF checkpoint (Gemma stores w for (1 + w);
    /// llama.cpp's converter already added it).
    public let hfNormOffset: Float
    /// Values the files may leave out.
    public let defaults: ConfigurationDefaults

    /// Creates an architecture description.
    public init(
        name: String, modelTypes: [String], recipe: ArchitectureRecipe,
        ggufRotary: ArchitectureRecipe.RotaryStyle = .halves, hfRotary: ArchitectureRecipe.RotaryStyle = .halves,
        hfPrefixes: [String], hfName: @escaping @Sendable (TensorRole, Int, String) -> String?,
        hfTransposesLinears: Bool = false, hfNormOffset: Float = 0, defaults: ConfigurationDefaults = ConfigurationDefaults()
    ) {
        self.name = name
        self.modelTypes = modelTypes
        self.recipe = recipe
        self.ggufRotary = ggufRotary
        self.hfRotary = hfRotary
        self.hfPrefixes = hfPrefixes
        self.hfName = hfName
        self.hfTransposesLinears = hfTransposesLinears
        self.hfNormOffset = hfNormOffset
        self.defaults = defaults
    }

    /// The tensor roles a model of this recipe reads (per block roles once, not per layer).
    public var roles: [TensorRole] {
        let r = recipe
        var roles: [TensorRole] = [.tokenEmbedding, .outputNorm, .attentionNorm, .attentionOutput, .mlpNorm, .up, .down]
        if r.positions == .learned { roles.append(.positionEmbedding) }
        if r.normHasBias { roles += [.outputNormBias, .attentionNormBias, .mlpNormBias] }
        roles += r.hasFusedQKV ? [.fusedQKV] : [.query, .key, .value]
        if r.hasQKVBias { roles += r.hasFusedQKV ? [.fusedQKVBias] : [.queryBias, .keyBias, .valueBias] }
        if r.hasOutputBias { roles.append(.attentionOutputBias) }
        if r.hasQKNorm { roles += [.queryNorm, .keyNorm] }
        if r.normalisesSublayerOutputs { roles += [.postAttentionNorm, .postMLPNorm] }
        if r.isGated { roles.append(.gate) }
        if r.feedForwardHasBias { roles += [.upBias, .downBias] }
        return roles
    }
}

/// Hyper-parameters a family's files may omit, with the family's value.
public struct ConfigurationDefaults: Sendable, Equatable {
    /// Rotary base when the file states none.
    public var ropeBase: Float
    /// Rotary base of sliding-window layers when the file states none (nil: the global base).
    public var localRopeBase: Float?
    /// Feed-forward width as a multiple of the width when the file states none (GPT-2: 4).
    public var mlpWidthFactor: Int?
    /// Sliding window when the file states none.
    public var slidingWindow: Int?

    /// Creates defaults.
    public init(ropeBase: Float = 10_000, localRopeBase: Float? = nil, mlpWidthFactor: Int? = nil, slidingWindow: Int? = nil) {
        self.ropeBase = ropeBase
        self.localRopeBase = localRopeBase
        self.mlpWidthFactor = mlpWidthFactor
        self.slidingWindow = slidingWindow
    }
}

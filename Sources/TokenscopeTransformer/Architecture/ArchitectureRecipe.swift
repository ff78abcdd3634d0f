// MARK: - The block recipe

/// How one architecture builds its transformer: the choices that differ between model families,
/// stated as data so that one forward pass, one block inspection and one logit lens serve them all.
///
/// Sizes (width, heads, …) live in ``ModelConfiguration``; the recipe says what the sizes are
/// *for*: which norm, where the norms sit, how positions enter, what the attention and the
/// feed-forward network compute, and how the embedding and the output head are treated.
public struct ArchitectureRecipe: Sendable, Equatable {
    /// The normalisation every norm of the model uses.
    public enum Norm: Sendable, Equatable {
        /// x / √(mean(x²) + ε) · w (Llama, Qwen, Gemma).
        case rms
        /// (x − mean) / √(var + ε) · w + b (GPT-2): weight and bias.
        case layer
    }

    /// How the model learns where each token sits.
    public enum Positions: Sendable, Equatable {
        /// Rotary positions applied to queries and keys after their projections.
        case rotary
        /// A learned vector per position added to the token embedding (GPT-2).
        case learned
    }

    /// Which entries of a head rotary positions turn together.
    public enum RotaryStyle: Sendable, Equatable {
        /// Consecutive pairs (x[2i], x[2i+1]): GGUF Llama files, whose converter permutes Q and K rows.
        case pairs
        /// Halves (x[i], x[i + headSize/2]) — "NEOX" in llama.cpp, rotate-half in HF.
        case halves
    }

    /// What the feed-forward network computes between its norm and the residual add.
    public enum FeedForward: Sendable, Equatable {
        /// down(SiLU(gate(x)) · up(x)) (Llama, Qwen).
        case swiGLU
        /// down(GELU_tanh(gate(x)) · up(x)) (Gemma).
        case geGLU
        /// down(GELU_tanh(up(x) + b) ) + b: one hidden layer with biases (GPT-2).
        case gelu
    }

    /// How token embeddings are scaled before the first block.
    public enum EmbeddingScale: Sendable, Equatable {
        /// Used as stored.
        case none
        /// Multiplied by √width (Gemma).
        case squareRootOfWidth
    }

    /// Which layers attend within a sliding window.
    public enum WindowPattern: Sendable, Equatable {
        /// Every layer sees the whole past.
        case none
        /// Every `period`-th layer (counting from 1) is global, the rest see the last
        /// `sliding_window` positions (Gemma 3: period 6, so layers 5, 11, 17 from 0 are global).
        case globalEvery(period: Int)
    }

    /// Where a block's two norms sit.
    public enum NormPlacement: Sendable, Equatable {
        /// Before each sublayer, on its input (GPT-2, Llama and every decoder here).
        case beforeSublayer
        /// After each residual add (BERT's "post-LN"): x = norm(x + sublayer(x)).
        case afterResidual
    }

    /// Which positions a token attends to.
    public enum AttentionMask: Sendable, Equatable {
        /// Itself and the positions before it (decoders).
        case causal
        /// Every position of its own sequence (encoders); padding is never attended to.
        case bidirectional
    }

    /// Which GELU the feed-forward network uses when it is ``FeedForward/gelu``.
    public enum GELUForm: Sendable, Equatable {
        /// ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (GPT-2, Gemma).
        case tanh
        /// ½x(1 + erf(x/√2)), the exact form (BERT's `gelu`).
        case erf
    }

    /// The normalisation of every norm.
    public var norm: Norm
    /// Whether the outputs of attention and feed-forward are normalised again before the residual
    /// add (Gemma's "sandwich": four norms per block instead of two).
    public var normalisesSublayerOutputs: Bool
    /// How positions enter.
    public var positions: Positions
    /// Whether the query, key and value projections add a bias (GPT-2, Qwen 2).
    public var hasQKVBias: Bool
    /// Whether the attention output projection adds a bias (GPT-2).
    public var hasOutputBias: Bool
    /// Whether queries and keys are RMS-normalised per head before rotary positions (Qwen 3, Gemma 3).
    public var hasQKNorm: Bool
    /// Whether the file stores Q, K and V as one fused matrix (GPT-2's `c_attn`).
    public var hasFusedQKV: Bool
    /// Which layers use a sliding window.
    public var window: WindowPattern
    /// The feed-forward network.
    public var feedForward: FeedForward
    /// The embedding scale.
    public var embeddingScale: EmbeddingScale
    /// Whether the model always reuses the token embedding as its output head (else: tied only
    /// when the file has no separate output matrix).
    public var alwaysTiesHead: Bool
    /// Where the norms sit (set after `init`; decoders keep `.beforeSublayer`).
    public var normPlacement: NormPlacement = .beforeSublayer
    /// Which positions attend to which (set after `init`; decoders keep `.causal`).
    public var attentionMask: AttentionMask = .causal
    /// The GELU of a `.gelu` feed-forward network (set after `init`; GPT-2 keeps `.tanh`).
    public var geluForm: GELUForm = .tanh
    /// Whether the embedding adds a token-type (segment) vector and normalises the sum (BERT).
    public var hasTokenTypesAndEmbeddingNorm = false

    /// Whether the model is an encoder: bidirectional attention, no output head; it is run by
    /// ``SentenceEncoder``, not ``TransformerModel``.
    public var isEncoder: Bool { attentionMask == .bidirectional }

    /// Creates a recipe; every choice is stated (no defaults hide a family's difference).
    public init(
        norm: Norm, normalisesSublayerOutputs: Bool, positions: Positions, hasQKVBias: Bool, hasOutputBias: Bool,
        hasQKNorm: Bool, hasFusedQKV: Bool, window: WindowPattern, feedForward: FeedForward,
        embeddingScale: EmbeddingScale, alwaysTiesHead: Bool
    ) {
        self.norm = norm
        self.normalisesSublayerOutputs = normalisesSublayerOutputs
        self.positions = positions
        self.hasQKVBias = hasQKVBias
        self.hasOutputBias = hasOutputBias
        self.hasQKNorm = hasQKNorm
        self.hasFusedQKV = hasFusedQKV
        self.window = window
        self.feedForward = feedForward
        self.embeddingScale = embeddingScale
        self.alwaysTiesHead = alwaysTiesHead
    }

    /// Whether the feed-forward network has a gate matrix.
    public var isGated: Bool { feedForward != .gelu }
    /// Whether norms carry a bias.
    public var normHasBias: Bool { norm == .layer }
    /// Whether the feed-forward matrices carry biases.
    public var feedForwardHasBias: Bool { feedForward == .gelu }

    /// The short name of the norm, for views ("RMSNorm", "LayerNorm").
    public var normName: String { norm == .rms ? "RMSNorm" : "LayerNorm" }
    /// The short name of the feed-forward network, for views.
    public var feedForwardName: String {
        switch feedForward {
        case .swiGLU: "SwiGLU"
        case .geGLU: "GeGLU"
        case .gelu: "GELU"
        }
    }
    /// The short name of the position scheme, for views.
    public var positionsName: String { positions == .rotary ? "RoPE" : "learned positions" }
}

// MARK: - Model configuration

/// The blueprint of a model: its architecture's recipe and every size the forward pass needs,
/// read from GGUF metadata or an HF `config.json` (``ConfigurationReader``) and validated on load.
public struct ModelConfiguration: Sendable, Equatable {
    /// The architecture's registry name (`llama`, `gpt2`, …).
    public var architecture: String
    /// What the blocks compute.
    public var recipe: ArchitectureRecipe
    /// Which entries of a head rotary positions turn together (depends on how the file was written).
    public var rotaryStyle: ArchitectureRecipe.RotaryStyle
    /// Number of transformer blocks.
    public var blockCount: Int
    /// Width of the residual stream (embedding length).
    public var width: Int
    /// Width of the feed-forward network's hidden layer.
    public var mlpWidth: Int
    /// Query heads per block.
    public var headCount: Int
    /// Key/value heads per block (grouped-query attention shares each among `groupSize` query heads).
    public var kvHeadCount: Int
    /// Width of one head: stated by the file when it is not width ÷ heads (Gemma's 256).
    public var headSize: Int
    /// Rotary base frequency (of global layers when some layers use a sliding window).
    public var ropeBase: Float
    /// Rotary base of sliding-window layers.
    public var localRopeBase: Float
    /// Epsilon of every norm (RMS or layer norm).
    public var normEpsilon: Float
    /// Longest sequence the model was trained for.
    public var contextLength: Int
    /// Number of vocabulary entries (rows of the embedding matrix).
    public var vocabularySize: Int
    /// Positions a sliding-window layer sees (itself and the `slidingWindow − 1` before it).
    public var slidingWindow: Int
    /// Attention scores are squashed to ±cap by cap·tanh(s / cap) when set (Gemma 2).
    public var attentionSoftcap: Float?
    /// Logits are squashed to ±cap when set.
    public var finalLogitSoftcap: Float?

    /// Creates a configuration; call `validate()` before use.
    public init(
        architecture: String, recipe: ArchitectureRecipe, rotaryStyle: ArchitectureRecipe.RotaryStyle, blockCount: Int,
        width: Int, mlpWidth: Int, headCount: Int, kvHeadCount: Int, headSize: Int, ropeBase: Float, localRopeBase: Float,
        normEpsilon: Float, contextLength: Int, vocabularySize: Int, slidingWindow: Int = 0,
        attentionSoftcap: Float? = nil, finalLogitSoftcap: Float? = nil
    ) {
        self.architecture = architecture
        self.recipe = recipe
        self.rotaryStyle = rotaryStyle
        self.blockCount = blockCount
        self.width = width
        self.mlpWidth = mlpWidth
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.headSize = headSize
        self.ropeBase = ropeBase
        self.localRopeBase = localRopeBase
        self.normEpsilon = normEpsilon
        self.contextLength = contextLength
        self.vocabularySize = vocabularySize
        self.slidingWindow = slidingWindow
        self.attentionSoftcap = attentionSoftcap
        self.finalLogitSoftcap = finalLogitSoftcap
    }

    /// The norm epsilon under its RMSNorm name.
    public var rmsEpsilon: Float {
        get { normEpsilon }
        set { normEpsilon = newValue }
    }

    // MARK: Derived sizes

    /// Width of all query heads together (heads × headSize; not always the width).
    public var queryWidth: Int { headSize * headCount }
    /// Width of the keys (and values) of one position: all KV heads.
    public var kvWidth: Int { headSize * kvHeadCount }
    /// Query heads that share one KV head.
    public var groupSize: Int { headCount / max(kvHeadCount, 1) }
    /// The KV head query head `head` reads.
    public func kvHead(forQueryHead head: Int) -> Int { head / groupSize }

    /// Whether block `layer` attends within a sliding window rather than to the whole past.
    public func isLocal(layer: Int) -> Bool {
        switch recipe.window {
        case .none: false
        case .globalEvery(let period): slidingWindow > 0 && (layer + 1) % period != 0
        }
    }

    /// How block `layer` attends: window and rotary base.
    func attention(layer: Int) -> AttentionShape {
        let local = isLocal(layer: layer)
        return AttentionShape(
            headCount: headCount, kvHeadCount: kvHeadCount, headSize: headSize, window: local ? slidingWindow : nil,
            softcap: attentionSoftcap, ropeBase: local ? localRopeBase : ropeBase)
    }

    // MARK: Validation

    /// Checks that the sizes describe a model the forward pass can run; the reason names the key.
    public func validate() -> String? {
        if blockCount <= 0 || blockCount > 1024 { return "block count \(blockCount) is not in 1...1024" }
        if width <= 0 || width > 1 << 16 { return "embedding length \(width) is not in 1...65536" }
        if mlpWidth <= 0 || mlpWidth > 1 << 18 { return "feed-forward length \(mlpWidth) is not in 1...262144" }
        if headCount <= 0 || headCount > 1024 { return "head count \(headCount) is not in 1...1024" }
        if headSize <= 0 || headSize > 4096 { return "head size \(headSize) is not in 1...4096" }
        if kvHeadCount <= 0 || headCount % kvHeadCount != 0 {
            return "KV head count \(kvHeadCount) does not divide the head count \(headCount)"
        }
        if recipe.positions == .rotary && headSize % 2 != 0 { return "head size \(headSize) is odd; rotary positions need pairs" }
        if !(ropeBase > 1) || !ropeBase.isFinite { return "rope base \(ropeBase) is not a finite number above 1" }
        if !(localRopeBase > 1) || !localRopeBase.isFinite { return "local rope base \(localRopeBase) is not a finite number above 1" }
        if !(normEpsilon > 0) || normEpsilon > 1 { return "norm epsilon \(normEpsilon) is not in (0, 1]" }
        if contextLength <= 0 || contextLength > 1 << 24 { return "context length \(contextLength) is not in 1...16777216" }
        if vocabularySize <= 0 || vocabularySize > 1 << 24 { return "vocabulary size \(vocabularySize) is not in 1...16777216" }
        if slidingWindow < 0 { return "sliding window \(slidingWindow) is negative" }
        for (name, cap) in [("attention softcap", attentionSoftcap), ("final logit softcap", finalLogitSoftcap)] {
            if let cap, !(cap > 0) || !cap.isFinite { return "\(name) \(cap) is not a positive finite number" }
        }
        return nil
    }
}

// MARK: - One layer's attention

/// The attention of one block: sizes, window, softcap and rotary base.
struct AttentionShape: Sendable {
    let headCount: Int
    let kvHeadCount: Int
    let headSize: Int
    /// Positions each query sees (itself included), or nil for the whole past.
    let window: Int?
    let softcap: Float?
    let ropeBase: Float

    var queryWidth: Int { headCount * headSize }
    var kvWidth: Int { kvHeadCount * headSize }
    var groupSize: Int { headCount / max(kvHeadCount, 1) }

    /// The first key query `position` sees.
    @inline(__always)
    func firstKey(_ position: Int) -> Int {
        guard let window else { return 0 }
        return max(0, position - window + 1)
    }
}

// MARK: - Llama configuration

/// The blueprint of a Llama-family model: every size the forward pass needs, validated on load.
public struct LlamaConfiguration: Sendable, Equatable {
    /// Number of transformer blocks.
    public var blockCount: Int
    /// Width of the residual stream (embedding length).
    public var width: Int
    /// Width of the MLP's hidden layer.
    public var mlpWidth: Int
    /// Query heads per block.
    public var headCount: Int
    /// Key/value heads per block (grouped-query attention shares each among `groupSize` query heads).
    public var kvHeadCount: Int
    /// Rotary base frequency.
    public var ropeBase: Float
    /// RMSNorm epsilon.
    public var rmsEpsilon: Float
    /// Longest sequence the model was trained for.
    public var contextLength: Int
    /// Number of vocabulary entries (rows of the embedding matrix).
    public var vocabularySize: Int

    /// Creates a configuration; call `validate()` before use.
    public init(
        blockCount: Int, width: Int, mlpWidth: Int, headCount: Int, kvHeadCount: Int, ropeBase: Float,
        rmsEpsilon: Float, contextLength: Int, vocabularySize: Int
    ) {
        self.blockCount = blockCount
        self.width = width
        self.mlpWidth = mlpWidth
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.ropeBase = ropeBase
        self.rmsEpsilon = rmsEpsilon
        self.contextLength = contextLength
        self.vocabularySize = vocabularySize
    }

    /// Width of one head.
    public var headSize: Int { width / max(headCount, 1) }
    /// Width of the keys (and values) of one position: all KV heads.
    public var kvWidth: Int { headSize * kvHeadCount }
    /// Query heads that share one KV head.
    public var groupSize: Int { headCount / max(kvHeadCount, 1) }
    /// The KV head query head `head` reads.
    public func kvHead(forQueryHead head: Int) -> Int { head / groupSize }

    /// Checks that the sizes describe a model the forward pass can run; the reason names the key.
    public func validate() -> String? {
        if blockCount <= 0 || blockCount > 1024 { return "block count \(blockCount) is not in 1...1024" }
        if width <= 0 || width > 1 << 16 { return "embedding length \(width) is not in 1...65536" }
        if mlpWidth <= 0 || mlpWidth > 1 << 18 { return "feed-forward length \(mlpWidth) is not in 1...262144" }
        if headCount <= 0 || headCount > 1024 { return "head count \(headCount) is not in 1...1024" }
        if width % headCount != 0 { return "head count \(headCount) does not divide the width \(width)" }
        if kvHeadCount <= 0 || headCount % kvHeadCount != 0 {
            return "KV head count \(kvHeadCount) does not divide the head count \(headCount)"
        }
        if headSize % 2 != 0 { return "head size \(headSize) is odd; rotary positions need pairs" }
        if !(ropeBase > 1) || !ropeBase.isFinite { return "rope base \(ropeBase) is not a finite number above 1" }
        if !(rmsEpsilon > 0) || rmsEpsilon > 1 { return "RMS-norm epsilon \(rmsEpsilon) is not in (0, 1]" }
        if contextLength <= 0 || contextLength > 1 << 24 { return "context length \(contextLength) is not in 1...16777216" }
        if vocabularySize <= 0 || vocabularySize > 1 << 24 { return "vocabulary size \(vocabularySize) is not in 1...16777216" }
        return nil
    }
}

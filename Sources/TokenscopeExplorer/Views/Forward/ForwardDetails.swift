import TokenscopeTransformer
import TokenscopeUI

// MARK: - Forward-pass data for the view

/// The live figures of the forward pass at one position: sizes, the embedding row, every block's
/// output norms, one block laid open, and the KV cache.
public struct ForwardDetails: Sendable, Equatable {
    /// The request this answers and the sequence it saw.
    public let request: InspectRequest
    public let tokenIDs: [Int]
    /// Model sizes.
    public let configuration: ModelConfiguration
    /// The token at the position and its embedding row.
    public let tokenID: Int
    public let embeddingNorm: Float
    public let embeddingHead: [Float]  // first values of the row
    /// Per block: L2 norms of the attention and MLP outputs, and of the residual leaving it.
    public let attentionNorms: [Float]  // (layers)
    public let mlpNorms: [Float]  // (layers)
    public let residualNorms: [Float]  // (layers + 1): 0 = the embedding
    /// The block opened in the pipeline.
    public let block: BlockInspection
    /// The final RMSNorm's output norm.
    public let finalNormedNorm: Float
    /// KV cache: positions cached and bytes of one layer (keys and values, f32).
    public let cachedTokens: Int
    public let kvBytesPerLayer: Int
    /// The logit lens at the position (every depth through the final norm and unembedding), and
    /// the decoded text of its predictions. Here rather than in `PositionAnalysis` so that only the
    /// forward view pays for its 31 vocabulary-wide products.
    public let lens: [LensLayer]
    public let lensTexts: [Int: String]
}

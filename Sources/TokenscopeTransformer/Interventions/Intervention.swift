// MARK: - Interventions

/// What an ablation puts in place of a component's output.
public enum AblationMode: String, Sendable, Equatable, CaseIterable {
    /// Zeros: the component adds nothing.
    case zero
    /// The component's mean output over the positions of the current prompt, from an unedited run:
    /// the component keeps its average effect but loses what depends on the position.
    case mean
}

/// One edit of one forward run, named as an interpretability researcher names it (TransformerLens's
/// `hook_z`, `hook_attn_out`, `hook_mlp_out`, `hook_resid_pre`), compiled into ``ForwardHooks``.
///
/// Layers and heads count from 0.
public enum Intervention: Sendable {
    /// Replaces head `head`'s attention-weighted values in block `layer` (its slice of
    /// ``BlockStage/headOutputs``, before the output projection).
    case ablateHead(layer: Int, head: Int, AblationMode)
    /// Multiplies head `head`'s output in block `layer` by `factor` (0 ablates, 2 doubles).
    case scaleHead(layer: Int, head: Int, factor: Float)
    /// Replaces everything attention adds to the residual stream in block `layer`.
    case ablateAttention(layer: Int, AblationMode)
    /// Replaces everything the feed-forward network adds to the residual stream in block `layer`.
    case ablateMLP(layer: Int, AblationMode)
    /// Replaces `stage` of block `layer` at `positions` (nil: every position the cache holds) with
    /// the values recorded in `cache` from another run: activation patching.
    case patch(BlockStage, layer: Int, positions: [Int]?, from: ActivationCache)
    /// Replaces head `head`'s output in block `layer` at `positions` (nil: every position the cache
    /// holds) with the one recorded in `cache` (which must hold ``BlockStage/headOutputs`` of `layer`).
    case patchHead(layer: Int, head: Int, positions: [Int]?, from: ActivationCache)

    /// The block the edit applies to.
    public var layer: Int {
        switch self {
        case .ablateHead(let layer, _, _), .scaleHead(let layer, _, _), .ablateAttention(let layer, _),
             .ablateMLP(let layer, _), .patch(_, let layer, _, _), .patchHead(let layer, _, _, _):
            layer
        }
    }

    /// The stage the edit needs a mean of (mean ablations only).
    var meanStage: BlockStage? {
        switch self {
        case .ablateHead(_, _, .mean): .headOutputs
        case .ablateAttention(_, .mean): .attentionOutput
        case .ablateMLP(_, .mean): .mlpOutput
        default: nil
        }
    }

    /// Throws, naming the valid range, when the layer or head is not in the model.
    public func validate(_ c: ModelConfiguration) throws(ModelError) {
        guard layer >= 0, layer < c.blockCount else {
            throw .invalidRequest("layer \(layer) is out of range: the model has layers 0...\(c.blockCount - 1)")
        }
        switch self {
        case .ablateHead(_, let head, _), .scaleHead(_, let head, _), .patchHead(_, let head, _, _):
            guard head >= 0, head < c.headCount else {
                throw .invalidRequest("head \(head) is out of range: the model has heads 0...\(c.headCount - 1)")
            }
        default: break
        }
    }
}

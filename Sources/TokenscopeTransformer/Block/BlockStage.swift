// MARK: - Named activations of a block

/// The activations one block produces, in order: where observers look and hooks edit.
///
/// Names follow TransformerLens's hook points where one exists (`hook_resid_pre` = ``input``,
/// `hook_z` = ``headOutputs``, `hook_attn_out` = ``attentionOutput``, `hook_mlp_out` =
/// ``mlpOutput``, `hook_resid_post` = ``output``). Each is (rows, n) with n given per case.
public enum BlockStage: String, Sendable, Hashable, CaseIterable {
    /// The residual stream entering the block (width).
    case input
    /// After the attention norm (width).
    case attentionNormed
    /// Queries, after bias and QK-norm, before rotary positions (heads × headSize).
    case query
    /// Keys, after bias and QK-norm, before rotary positions (kvHeads × headSize).
    case key
    /// Values (kvHeads × headSize).
    case value
    /// Queries after rotary positions (heads × headSize); the same as ``query`` with learned positions.
    case rotatedQuery
    /// Every head's attention-weighted values, concatenated, before the output projection
    /// (heads × headSize): editing head h's slice ablates or scales that head.
    case headOutputs
    /// What attention adds to the residual stream: output projection (and bias, and the
    /// post-attention norm where the recipe has one) (width).
    case attentionOutput
    /// The residual stream between attention and the feed-forward network (width).
    case middle
    /// After the feed-forward norm (width).
    case mlpNormed
    /// The gate projection before its activation (mlpWidth); gated feed-forward only.
    case mlpGate
    /// The up projection (mlpWidth), with bias; before the activation when there is no gate.
    case mlpUp
    /// The hidden layer after the activation (mlpWidth): act(gate) · up, or act(up).
    case mlpActivated
    /// What the feed-forward network adds to the residual stream (width).
    case mlpOutput
    /// The residual stream leaving the block (width).
    case output
}

// MARK: - Observers

/// Receives the activations of a block run as they are produced (read-only).
///
/// The block is generic over its observer, so the forward pass's observer that looks at nothing
/// costs nothing.
protocol BlockObserver {
    /// Whether `observe` wants `stage` (checked before any work to prepare it).
    func wants(_ stage: BlockStage) -> Bool
    /// `values` is (rows, n) for the stage's n.
    mutating func observe(_ stage: BlockStage, layer: Int, _ values: [Float], rows: Int)
}

/// The observer that looks at nothing.
struct NoObserver: BlockObserver {
    @inline(__always) func wants(_ stage: BlockStage) -> Bool { false }
    @inline(__always) mutating func observe(_ stage: BlockStage, layer: Int, _ values: [Float], rows: Int) {}
}

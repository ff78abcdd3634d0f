import Foundation

// MARK: - One block at one position, laid open

/// Every intermediate of one block at one position, recomputed from the recorded residual stream and
/// the KV cache, for the forward-pass view. Norms are L2 norms; `head` vectors are per query head.
public struct BlockInspection: Sendable, Equatable {
    /// The block and position.
    public let layer: Int
    public let position: Int
    /// The residual stream entering the block.
    public let inputNorm: Float
    /// After the attention norm.
    public let attentionNormedNorm: Float
    /// Query (heads × headSize), key and value (kvHeads × headSize) before rotary positions
    /// (after their biases and QK-norm, where the recipe has them).
    public let queryNorm: Float
    public let keyNorm: Float
    public let valueNorm: Float
    /// The first query values before and after the rotary rotation (a rotation keeps the norm).
    public let queryHead: [Float]
    public let rotatedQueryHead: [Float]
    /// The attention-weighted values of every head, concatenated (width).
    public let contextNorm: Float
    /// What attention adds: the output projection (and its bias and post-norm, if any).
    public let attentionOutputNorm: Float
    /// The residual after adding the attention output.
    public let midNorm: Float
    /// After the feed-forward norm.
    public let mlpNormedNorm: Float
    /// Gate (0 without a gate) and up projections (mlpWidth each, up before its activation when
    /// there is no gate), and the activated hidden layer (act(gate) · up, or act(up)).
    public let gateNorm: Float
    public let upNorm: Float
    public let activatedNorm: Float
    /// Fraction of activated hidden entries whose magnitude is under 1 % of the largest.
    public let nearZeroFraction: Float
    /// What the feed-forward network adds (down projection, bias, post-norm).
    public let mlpOutputNorm: Float
    /// The residual stream leaving the block, recomputed here (compare with the trace).
    public let output: [Float]  // (width)
    public var outputNorm: Float { Self.norm(output) }

    static func norm(_ x: [Float]) -> Float { x.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}

extension InferenceSession {
    /// Recomputes block `layer` at `position` step by step from the residual stream the trace
    /// recorded there and the KV cache; needs the position to have been observed.
    public func inspectBlock(layer: Int, position: Int) throws(ModelError) -> BlockInspection {
        let c = model.configuration
        guard layer >= 0, layer < c.blockCount else {
            throw .invalidRequest("layer \(layer) is out of range: the model has layers 0...\(c.blockCount - 1)")
        }
        guard position >= 0, position < count else {
            throw .invalidRequest("position \(position) is outside the sequence 0..<\(count)")
        }
        guard let input = trace.residual(position: position, afterBlocks: layer) else {
            throw .invalidRequest("position \(position) was run without observation; turn observation on and re-run it")
        }
        var observer = InspectionObserver(headSize: c.headSize)
        var buffers = BlockBuffers(c, rows: 1)
        var output = input
        runBlock(layer: layer, x: &output, rows: 1, start: position, appendsToCache: false, buffers: &buffers, observer: &observer)
        let n = observer.norms
        let activated = observer.activated
        let largest = activated.map(abs).max() ?? 0
        let nearZero = Float(activated.filter { abs($0) < 0.01 * largest }.count) / Float(max(1, activated.count))
        return BlockInspection(
            layer: layer, position: position, inputNorm: BlockInspection.norm(input), attentionNormedNorm: n[.attentionNormed] ?? 0,
            queryNorm: n[.query] ?? 0, keyNorm: n[.key] ?? 0, valueNorm: n[.value] ?? 0,
            queryHead: observer.queryHead, rotatedQueryHead: observer.rotatedQueryHead,
            contextNorm: n[.headOutputs] ?? 0, attentionOutputNorm: n[.attentionOutput] ?? 0,
            midNorm: n[.middle] ?? 0, mlpNormedNorm: n[.mlpNormed] ?? 0, gateNorm: n[.mlpGate] ?? 0,
            upNorm: n[.mlpUp] ?? 0, activatedNorm: n[.mlpActivated] ?? 0, nearZeroFraction: nearZero,
            mlpOutputNorm: n[.mlpOutput] ?? 0, output: output)
    }

    /// The final norm of the residual stream leaving the last block at `position` (width).
    public func finalNormed(position: Int) throws(ModelError) -> [Float] {
        let c = model.configuration
        guard position >= 0, position < count else {
            throw .invalidRequest("position \(position) is outside the sequence 0..<\(count)")
        }
        return finalNormRows(Array(finalHidden[(position * c.width)..<((position + 1) * c.width)]), rows: 1)
    }
}

// MARK: - The observer

/// Keeps what the block inspection shows: every stage's L2 norm, the first query head before and
/// after rotary positions, and the feed-forward hidden layer.
struct InspectionObserver: BlockObserver {
    let headSize: Int
    var norms: [BlockStage: Float] = [:]
    var queryHead: [Float] = []
    var rotatedQueryHead: [Float] = []
    var activated: [Float] = []

    init(headSize: Int) { self.headSize = headSize }

    func wants(_ stage: BlockStage) -> Bool { true }

    mutating func observe(_ stage: BlockStage, layer: Int, _ values: [Float], rows: Int) {
        norms[stage] = BlockInspection.norm(values)
        switch stage {
        case .query: queryHead = Array(values.prefix(headSize))
        case .rotatedQuery: rotatedQueryHead = Array(values.prefix(headSize))
        case .mlpActivated: activated = values
        default: break
        }
    }
}

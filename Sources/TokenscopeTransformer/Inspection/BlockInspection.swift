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
    /// After the attention RMSNorm.
    public let attentionNormedNorm: Float
    /// Query (heads × headSize), key and value (kvHeads × headSize) before rotary positions.
    public let queryNorm: Float
    public let keyNorm: Float
    public let valueNorm: Float
    /// The first query values before and after the rotary rotation (a rotation keeps the norm).
    public let queryHead: [Float]
    public let rotatedQueryHead: [Float]
    /// The attention-weighted values of every head, concatenated (width).
    public let contextNorm: Float
    /// After the output projection.
    public let attentionOutputNorm: Float
    /// The residual after adding the attention output.
    public let midNorm: Float
    /// After the MLP RMSNorm.
    public let mlpNormedNorm: Float
    /// Gate and up projections (mlpWidth each), and SiLU(gate) · up.
    public let gateNorm: Float
    public let upNorm: Float
    public let activatedNorm: Float
    /// Fraction of SiLU(gate) · up entries whose magnitude is under 1 % of the largest.
    public let nearZeroFraction: Float
    /// After the down projection.
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
        let block = model.weights.blocks[layer]
        var normed = [Float](repeating: 0, count: c.width)  // (width)
        Ops.rmsNorm(input, weight: block.attentionNorm, epsilon: c.rmsEpsilon, into: &normed)
        var q = [Float](repeating: 0, count: c.width)  // (heads × headSize)
        var k = [Float](repeating: 0, count: c.kvWidth)  // (kvHeads × headSize)
        var v = [Float](repeating: 0, count: c.kvWidth)  // (kvHeads × headSize)
        Linear.apply(block.query, normed, rows: 1, into: &q)
        Linear.apply(block.key, normed, rows: 1, into: &k)
        Linear.apply(block.value, normed, rows: 1, into: &v)
        let queryHead = Array(q.prefix(c.headSize))
        Ops.rope(&q, rows: 1, heads: c.headCount, headSize: c.headSize, startPosition: position, base: c.ropeBase)
        var context = [Float](repeating: 0, count: c.width)  // (heads × headSize)
        var noProbabilities: [Float] = [], noScores: [Float] = []
        Attention.run(queries: q, keys: keys[layer], values: values[layer], configuration: c, start: position, batch: 1,
                      into: &context, probabilities: &noProbabilities, scores: &noScores)
        var attentionOut = [Float](repeating: 0, count: c.width)  // (width)
        Linear.apply(block.output, context, rows: 1, into: &attentionOut)
        var mid = input
        Ops.add(attentionOut, into: &mid)
        var mlpNormed = [Float](repeating: 0, count: c.width)  // (width)
        Ops.rmsNorm(mid, weight: block.mlpNorm, epsilon: c.rmsEpsilon, into: &mlpNormed)
        var gate = [Float](repeating: 0, count: c.mlpWidth)  // (mlpWidth)
        var up = [Float](repeating: 0, count: c.mlpWidth)  // (mlpWidth)
        Linear.apply(block.gate, mlpNormed, rows: 1, into: &gate)
        Linear.apply(block.up, mlpNormed, rows: 1, into: &up)
        let gateNorm = BlockInspection.norm(gate)
        Ops.swiGLU(gate: &gate, up: up)
        let largest = gate.map(abs).max() ?? 0
        let nearZero = Float(gate.filter { abs($0) < 0.01 * largest }.count) / Float(max(1, gate.count))
        var down = [Float](repeating: 0, count: c.width)  // (width)
        Linear.apply(block.down, gate, rows: 1, into: &down)
        var output = mid
        Ops.add(down, into: &output)
        return BlockInspection(
            layer: layer, position: position, inputNorm: BlockInspection.norm(input), attentionNormedNorm: BlockInspection.norm(normed),
            queryNorm: BlockInspection.norm(q), keyNorm: BlockInspection.norm(k), valueNorm: BlockInspection.norm(v),
            queryHead: queryHead, rotatedQueryHead: Array(q.prefix(c.headSize)),
            contextNorm: BlockInspection.norm(context), attentionOutputNorm: BlockInspection.norm(attentionOut),
            midNorm: BlockInspection.norm(mid), mlpNormedNorm: BlockInspection.norm(mlpNormed), gateNorm: gateNorm,
            upNorm: BlockInspection.norm(up), activatedNorm: BlockInspection.norm(gate), nearZeroFraction: nearZero,
            mlpOutputNorm: BlockInspection.norm(down), output: output)
    }

    /// The final RMSNorm of the residual stream leaving the last block at `position` (width).
    public func finalNormed(position: Int) throws(ModelError) -> [Float] {
        let c = model.configuration
        guard position >= 0, position < count else {
            throw .invalidRequest("position \(position) is outside the sequence 0..<\(count)")
        }
        let hidden = Array(finalHidden[(position * c.width)..<((position + 1) * c.width)])
        var normed = [Float](repeating: 0, count: c.width)  // (width)
        Ops.rmsNorm(hidden, weight: model.weights.outputNorm, epsilon: c.rmsEpsilon, into: &normed)
        return normed
    }
}

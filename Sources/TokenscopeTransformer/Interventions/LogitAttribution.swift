import Foundation

// MARK: - Direct logit attribution

/// How much each head and each feed-forward network adds directly to one token's logit at one
/// position, through the final norm's scale frozen at the run's value and the unembedding row.
///
/// The final residual stream is the embedding plus what every attention layer and every
/// feed-forward network added. With the norm's 1/rms frozen, the logit is linear in it, so the
/// pieces add up: `embedding + Σ components + biases = logit` up to f32 rounding and the output
/// product's own arithmetic (the real logit comes from the quantised kernel; the pieces from the
/// dequantised row). A head's piece is its slice of the output projection applied to its output.
public struct LogitAttribution: Sendable, Equatable {
    /// One component's direct contribution.
    public struct Component: Sendable, Equatable {
        /// A head or a feed-forward network.
        public enum Kind: String, Sendable, Equatable, Codable { case head, mlp }
        /// What it is.
        public let kind: Kind
        /// The block (from 0).
        public let layer: Int
        /// The query head (from 0) for heads.
        public let head: Int?
        /// Its direct contribution to the target's logit.
        public let contribution: Double
    }

    /// The position attributed (its logits predict the next token).
    public let position: Int
    /// The target token.
    public let target: Int
    /// The real logit of the target from the forward pass (before any softcap).
    public let logit: Double
    /// The token (and position) embedding's contribution.
    public let embedding: Double
    /// Every head of every layer, then each layer's feed-forward network: layer order.
    public let components: [Component]
    /// Bias terms not owned by one head: the attention output biases and the final norm's bias
    /// (0 for SmolLM2, which has neither).
    public let biases: Double
    /// `embedding + Σ components + biases`.
    public var total: Double { embedding + biases + components.reduce(0) { $0 + $1.contribution } }

    /// Largest |total − logit| the tests accept, relative to the logit's scale: the pieces are
    /// summed in f64 from f32 activations while the real logit comes from the quantised output
    /// product, so they agree to a few hundredths, not bit for bit.
    public static func tolerance(for logit: Double) -> Double { 0.02 + 0.002 * abs(logit) }
}

extension TransformerModel {
    /// Direct logit attribution of `target` (default: the top candidate) at `position` (default:
    /// the last) after running `ids`. Needs attention that reaches the residual stream through a
    /// plain output projection (no post-attention norm, as in Gemma 3, which mixes the heads).
    public func attribute(_ ids: [Int], position: Int? = nil, target: Int? = nil) throws(ModelError) -> LogitAttribution {
        let c = configuration
        if weights.blocks.contains(where: { $0.postAttentionNorm != nil || $0.postMLPNorm != nil }) {
            throw .invalidRequest("direct logit attribution needs attention and feed-forward outputs added to the residual stream as they are; \(c.architecture)'s post-sublayer norms mix them")
        }
        let keys = [ActivationCache.Key(.input, layer: 0)]
            + (0..<c.blockCount).flatMap { [ActivationCache.Key(.headOutputs, layer: $0), ActivationCache.Key(.mlpOutput, layer: $0)] }
        let (session, cache) = try run(ids, interventions: [], recording: keys)
        let p = position ?? ids.count - 1
        guard p >= 0, p < ids.count else { throw .invalidRequest("position \(p) is outside the prompt 0...\(ids.count - 1)") }
        var logits = try session.logits(at: p)
        if c.finalLogitSoftcap != nil {
            // The attribution is of the logit before the cap, which is linear in the residual stream.
            logits = try preCapLogits(session, position: p)
        }
        let t = target ?? Softmax.top(logits, count: 1).first?.id ?? 0
        guard t >= 0, t < c.vocabularySize else { throw .invalidRequest("target token \(t) is outside the vocabulary 0..<\(c.vocabularySize)") }

        // The direction that reads the target's logit off one residual vector, norm frozen.
        let final = Array(session.finalHidden[(p * c.width)..<((p + 1) * c.width)])
        var row = [Float](repeating: 0, count: c.width)  // (width): unembedding row of the target
        row.withUnsafeMutableBufferPointer { Linear.row(weights.output, t, into: $0) }
        let norm = weights.outputNorm
        var mean = 0.0, squares = 0.0
        for v in final { mean += Double(v) }
        mean /= Double(c.width)
        let centres = c.recipe.norm == .layer
        for v in final {
            let d = Double(v) - (centres ? mean : 0)
            squares += d * d
        }
        let scale = 1 / (squares / Double(c.width) + Double(c.normEpsilon)).squareRoot()
        let direction = (0..<c.width).map { Double(norm.weight[$0]) * Double(row[$0]) * scale }  // (width)
        func read(_ v: ArraySlice<Float>) -> Double {
            var m = 0.0
            if centres { m = v.reduce(0.0) { $0 + Double($1) } / Double(v.count) }
            var sum = 0.0
            for (i, x) in v.enumerated() { sum += (Double(x) - m) * direction[i] }
            return sum
        }
        func rowOf(_ stage: BlockStage, _ layer: Int) throws(ModelError) -> ArraySlice<Float> {
            guard let (values, width) = cache.values(stage, layer: layer), values.count >= (p + 1) * width else {
                throw .invalidRequest("no \(stage.rawValue) recorded for layer \(layer)")
            }
            return values[(p * width)..<((p + 1) * width)]
        }

        var biases = 0.0
        if let bias = norm.bias { biases += zip(bias, row).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }
        var components: [LogitAttribution.Component] = []
        for layer in 0..<c.blockCount {
            // Each head alone through the output projection: (heads, queryWidth) → (heads, width).
            let z = try rowOf(.headOutputs, layer)
            var masked = [Float](repeating: 0, count: c.headCount * c.queryWidth)  // (heads, queryWidth)
            for h in 0..<c.headCount {
                for i in 0..<c.headSize { masked[h * c.queryWidth + h * c.headSize + i] = z[z.startIndex + h * c.headSize + i] }
            }
            var outputs = [Float](repeating: 0, count: c.headCount * c.width)  // (heads, width)
            Linear.apply(weights.blocks[layer].output, masked, rows: c.headCount, into: &outputs)
            for h in 0..<c.headCount {
                components.append(.init(kind: .head, layer: layer, head: h, contribution: read(outputs[(h * c.width)..<((h + 1) * c.width)])))
            }
            if let bias = weights.blocks[layer].outputBias { biases += read(bias[...]) }
            components.append(.init(kind: .mlp, layer: layer, head: nil, contribution: read(try rowOf(.mlpOutput, layer))))
        }
        return LogitAttribution(position: p, target: t, logit: Double(logits[t]), embedding: read(try rowOf(.input, 0)),
                                components: components, biases: biases)
    }

    private func preCapLogits(_ session: InferenceSession, position p: Int) throws(ModelError) -> [Float] {
        let c = configuration
        let normed = session.finalNormRows(Array(session.finalHidden[(p * c.width)..<((p + 1) * c.width)]), rows: 1)
        var logits = [Float](repeating: 0, count: c.vocabularySize)
        Linear.apply(weights.output, normed, rows: 1, into: &logits)
        return logits
    }
}

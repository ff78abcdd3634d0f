import Foundation
import TokenscopeFormats
import TokenscopeKernels

// MARK: - The encoder's forward pass

extension SentenceEncoder {
    /// Runs a batch of sequences through the encoder and pools each into a unit vector.
    ///
    /// The sequences are packed one after another into one matrix of `n` rows (the sum of their
    /// lengths), so the linear maps run once over the whole batch with no padding rows; attention
    /// is computed per sequence over its own rows only, which is exactly what a padding mask over
    /// a padded batch computes (padded keys get zero weight, padded rows are never pooled).
    func forward(batch: [[Int]]) throws(ModelError) -> [[Float]] {
        try forward(batch: batch, attention: nil)
    }

    /// The forward pass; when `attention` is given (a batch of one sequence of n tokens), it
    /// receives each block's attention probabilities, (heads, n, n) row-major, block by block.
    func forward(batch: [[Int]], attention: ((Int, [Float]) -> Void)?) throws(ModelError) -> [[Float]] {
        let c = configuration, w = weights
        let width = c.width, mlpWidth = c.mlpWidth
        let starts = batch.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }  // (sequences + 1)
        let n = starts[starts.count - 1]
        // Activations, row-major.
        var x = [Float](repeating: 0, count: n * width)  // (n, width): the hidden states
        var q = [Float](repeating: 0, count: n * width)  // (n, width)
        var k = [Float](repeating: 0, count: n * width)  // (n, width)
        var v = [Float](repeating: 0, count: n * width)  // (n, width)
        var context = [Float](repeating: 0, count: n * width)  // (n, width): attention output before its projection
        var projected = [Float](repeating: 0, count: n * width)  // (n, width)
        var hidden = [Float](repeating: 0, count: n * mlpWidth)  // (n, mlpWidth)

        // Embedding: word + position + token type 0, then LayerNorm.
        x.withUnsafeMutableBufferPointer { xp in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * width) { scratch in
                let position = UnsafeMutableBufferPointer(rebasing: scratch[0..<width])
                let type = UnsafeMutableBufferPointer(rebasing: scratch[width..<(2 * width)])
                Linear.row(w.tokenTypeEmbedding, 0, into: type)
                for (s, sequence) in batch.enumerated() {
                    for (p, id) in sequence.enumerated() {
                        let row = starts[s] + p
                        let out = UnsafeMutableBufferPointer(rebasing: xp[(row * width)..<((row + 1) * width)])
                        Linear.row(w.tokenEmbedding, id, into: out)
                        Linear.row(w.positionEmbedding, p, into: position)
                        for i in 0..<width { out[i] += position[i] + type[i] }
                    }
                }
            }
        }
        Self.layerNorm(&x, w.embeddingNorm, rows: n, epsilon: c.normEpsilon)

        for (layer, block) in w.blocks.enumerated() {
            // Self-attention, both directions, within each sequence.
            Linear.apply(block.query, block.key, block.value, x, rows: n, into: &q, &k, &v)
            Ops.addBias(block.queryBias, to: &q, rows: n)
            Ops.addBias(block.keyBias, to: &k, rows: n)
            Ops.addBias(block.valueBias, to: &v, rows: n)
            if let attention {
                var probabilities = [Float](repeating: 0, count: c.headCount * n * n)  // (heads, n, n)
                probabilities.withUnsafeMutableBufferPointer { record in
                    Self.attend(q, k, v, into: &context, starts: starts, heads: c.headCount, headSize: c.headSize, recording: record.baseAddress)
                }
                attention(layer, probabilities)
            } else {
                Self.attend(q, k, v, into: &context, starts: starts, heads: c.headCount, headSize: c.headSize)
            }
            Linear.apply(block.output, context, rows: n, into: &projected)
            Ops.addBias(block.outputBias, to: &projected, rows: n)
            Ops.add(projected, into: &x)
            Self.layerNorm(&x, block.attentionNorm, rows: n, epsilon: c.normEpsilon)
            // Feed-forward: GELU (erf) with biases, residual add, LayerNorm.
            Linear.apply(block.up, x, rows: n, into: &hidden)
            Self.biasGELU(&hidden, bias: block.upBias, rows: n)
            Linear.apply(block.down, hidden, rows: n, into: &projected)
            Ops.addBias(block.downBias, to: &projected, rows: n)
            Ops.add(projected, into: &x)
            Self.layerNorm(&x, block.mlpNorm, rows: n, epsilon: c.normEpsilon)
            if let bad = x.firstIndex(where: { !$0.isFinite }) {
                throw .nonFinite(layer: layer, position: bad / width, stage: "encoder block output")
            }
        }
        return Self.meanPooled(x, starts: starts, width: width)
    }

    // MARK: Steps

    /// LayerNorm of every row of `x` (rows, width) in place, rows spread over the worker pool.
    static func layerNorm(_ x: inout [Float], _ norm: NormWeights, rows: Int, epsilon: Float) {
        let width = norm.weight.count
        let bias = norm.bias ?? [Float](repeating: 0, count: width)
        let chunk = 32
        x.withUnsafeMutableBufferPointer { xp in
            guard let base = xp.baseAddress else { return }
            Parallel.forEach((rows + chunk - 1) / chunk) { item in
                for r in (item * chunk)..<min(rows, (item + 1) * chunk) {
                    let row = base + r * width
                    var sum = 0.0
                    for i in 0..<width { sum += Double(row[i]) }
                    let mean = sum / Double(width)
                    var squares = 0.0
                    for i in 0..<width {
                        let d = Double(row[i]) - mean
                        squares += d * d
                    }
                    let scale = 1 / (squares / Double(width) + Double(epsilon)).squareRoot()
                    for i in 0..<width {
                        row[i] = Float((Double(row[i]) - mean) * scale) * norm.weight[i] + bias[i]
                    }
                }
            }
        }
    }

    /// x = GELU(x + bias) with the exact GELU ½x(1 + erf(x/√2)), rows spread over the worker pool.
    static func biasGELU(_ x: inout [Float], bias: [Float], rows: Int) {
        let width = bias.count
        let chunk = 16
        x.withUnsafeMutableBufferPointer { xp in
            guard let base = xp.baseAddress else { return }
            Parallel.forEach((rows + chunk - 1) / chunk) { item in
                for r in (item * chunk)..<min(rows, (item + 1) * chunk) {
                    let row = base + r * width
                    for i in 0..<width {
                        let value = row[i] + bias[i]
                        row[i] = 0.5 * value * (1 + erf(value * 0.70710678118654752))
                    }
                }
            }
        }
    }

    /// Scaled dot-product attention of every head of every sequence: row i of a sequence attends to
    /// every row of the same sequence (softmax of q·k/√headSize), never to another sequence's.
    /// `recording`, for a batch of one sequence of n rows, receives the weights: (heads, n, n).
    static func attend(
        _ q: [Float], _ k: [Float], _ v: [Float], into out: inout [Float], starts: [Int], heads: Int, headSize: Int,
        recording: UnsafeMutablePointer<Float>? = nil
    ) {
        let width = heads * headSize
        let scale = 1 / Float(headSize).squareRoot()
        let sequences = starts.count - 1
        let longest = (0..<sequences).map { starts[$0 + 1] - starts[$0] }.max() ?? 0
        q.withUnsafeBufferPointer { qp in
            k.withUnsafeBufferPointer { kp in
                v.withUnsafeBufferPointer { vp in
                    out.withUnsafeMutableBufferPointer { op in
                        guard let qb = qp.baseAddress, let kb = kp.baseAddress, let vb = vp.baseAddress, let ob = op.baseAddress
                        else { return }
                        Parallel.forEach(sequences * heads) { item in
                            let s = item / heads, h = item % heads
                            let first = starts[s], length = starts[s + 1] - first
                            withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, longest)) { scores in
                                for i in 0..<length {
                                    let query = qb + (first + i) * width + h * headSize
                                    var largest = -Float.infinity
                                    for j in 0..<length {
                                        let key = kb + (first + j) * width + h * headSize
                                        var dot: Float = 0
                                        for d in 0..<headSize { dot += query[d] * key[d] }
                                        scores[j] = dot * scale
                                        largest = max(largest, scores[j])
                                    }
                                    var total: Float = 0
                                    for j in 0..<length {
                                        scores[j] = exp(scores[j] - largest)
                                        total += scores[j]
                                    }
                                    let target = ob + (first + i) * width + h * headSize
                                    for d in 0..<headSize { target[d] = 0 }
                                    if let recording, sequences == 1 {
                                        for j in 0..<length { recording[(h * length + i) * length + j] = scores[j] / total }
                                    }
                                    for j in 0..<length {
                                        let weight = scores[j] / total
                                        let value = vb + (first + j) * width + h * headSize
                                        for d in 0..<headSize { target[d] += weight * value[d] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The mean of each sequence's rows of `x` (all its tokens, `[CLS]` and `[SEP]` included, as
    /// sentence-transformers' mean pooling over the attention mask), L2-normalised.
    static func meanPooled(_ x: [Float], starts: [Int], width: Int) -> [[Float]] {
        (0..<(starts.count - 1)).map { s in
            var sums = [Double](repeating: 0, count: width)
            for row in starts[s]..<starts[s + 1] {
                for i in 0..<width { sums[i] += Double(x[row * width + i]) }
            }
            let count = Double(starts[s + 1] - starts[s])
            var norm = 0.0
            for i in 0..<width {
                sums[i] /= count
                norm += sums[i] * sums[i]
            }
            // sentence-transformers' Normalize divides by max(‖v‖, 1e-12).
            let divisor = max(norm.squareRoot(), 1e-12)
            return sums.map { Float($0 / divisor) }
        }
    }
}

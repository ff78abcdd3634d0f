import Foundation
import TokenscopeKernels

// MARK: - Element-wise steps of the forward pass

/// The small steps between matrix products: norms, rotary positions, activations, biases, residual adds.
enum Ops {
    /// The recipe's norm of each row of `x` (rows, width) into `out` (rows, width).
    static func normRows(
        _ x: [Float], _ norm: NormWeights, kind: ArchitectureRecipe.Norm, epsilon: Float, rows: Int, into out: inout [Float]
    ) {
        switch kind {
        case .rms: rmsNormRows(x, weight: norm.weight, epsilon: epsilon, rows: rows, into: &out)
        case .layer: layerNormRows(x, weight: norm.weight, bias: norm.bias, epsilon: epsilon, rows: rows, into: &out)
        }
    }

    /// LayerNorm of each row: (x − mean) / √(var + ε) · weight + bias; mean and variance in Double.
    static func layerNormRows(_ x: [Float], weight: [Float], bias: [Float]?, epsilon: Float, rows: Int, into out: inout [Float]) {
        let width = weight.count
        for r in 0..<rows {
            var sum = 0.0
            for i in (r * width)..<((r + 1) * width) { sum += Double(x[i]) }
            let mean = sum / Double(width)
            var squares = 0.0
            for i in (r * width)..<((r + 1) * width) {
                let d = Double(x[i]) - mean
                squares += d * d
            }
            let scale = 1 / (squares / Double(width) + Double(epsilon)).squareRoot()
            for i in 0..<width {
                let centred = Float((Double(x[r * width + i]) - mean) * scale)
                out[r * width + i] = centred * weight[i] + (bias?[i] ?? 0)
            }
        }
    }

    /// RMSNorm of every head of every row in place: `x` is (rows, heads × headSize), `weight` (headSize).
    static func headNorm(_ x: inout [Float], weight: [Float], epsilon: Float, rows: Int, heads: Int) {
        let size = weight.count
        for segment in 0..<(rows * heads) {
            let base = segment * size
            var sum = 0.0
            for i in base..<(base + size) { sum += Double(x[i]) * Double(x[i]) }
            let scale = Float(1 / (sum / Double(size) + Double(epsilon)).squareRoot())
            for i in 0..<size { x[base + i] = x[base + i] * scale * weight[i] }
        }
    }

    /// Adds `bias` (n) to every row of `x` (rows, n).
    static func addBias(_ bias: [Float], to x: inout [Float], rows: Int) {
        let n = bias.count
        for r in 0..<rows {
            for i in 0..<n { x[r * n + i] += bias[i] }
        }
    }

    /// Rotary positions in `style` (pairs or halves); see ``rope(_:rows:heads:headSize:startPosition:base:)``.
    static func rope(
        _ x: inout [Float], style: ArchitectureRecipe.RotaryStyle, rows: Int, heads: Int, headSize: Int, startPosition: Int, base: Float
    ) {
        switch style {
        case .pairs: rope(&x, rows: rows, heads: heads, headSize: headSize, startPosition: startPosition, base: base)
        case .halves: ropeHalves(&x, rows: rows, heads: heads, headSize: headSize, startPosition: startPosition, base: base)
        }
    }

    /// Rotary positions, "NEOX" style: each head's entries i and i + headSize/2 turn together by
    /// pos · base^(−2i / headSize) (HF's rotate-half; llama.cpp for Qwen and Gemma).
    static func ropeHalves(_ x: inout [Float], rows: Int, heads: Int, headSize: Int, startPosition: Int, base: Float) {
        rotate(&x, rows: rows, heads: heads, headSize: headSize, startPosition: startPosition, base: base, pairStride: 1, partnerOffset: headSize / 2)
    }

    /// GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (GPT-2's `gelu_new`, Gemma's
    /// `gelu_pytorch_tanh`).
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        let inner = 0.7978845608028654 * (Double(x) + 0.044715 * Double(x) * Double(x) * Double(x))
        return Float(0.5 * Double(x) * (1 + tanh(inner)))
    }

    /// x = GELU(x), element-wise.
    static func gelu(_ x: inout [Float]) {
        for i in x.indices { x[i] = gelu(x[i]) }
    }

    /// gate = GELU(gate) · up, element-wise (GeGLU).
    static func geGLU(gate: inout [Float], up: [Float]) {
        for i in gate.indices { gate[i] = gelu(gate[i]) * up[i] }
    }

    /// x = cap · tanh(x / cap), element-wise.
    static func softcap(_ x: inout [Float], cap: Float) {
        for i in x.indices { x[i] = cap * tanh(x[i] / cap) }
    }

    /// x = x · scale, element-wise.
    static func scale(_ x: inout [Float], by scale: Float) {
        for i in x.indices { x[i] *= scale }
    }

    /// out = x / √(mean(x²) + ε) · weight, for one vector.
    static func rmsNorm(_ x: [Float], weight: [Float], epsilon: Float, into out: inout [Float]) {
        rmsNormRows(x, weight: weight, epsilon: epsilon, rows: 1, into: &out)
    }

    /// RMSNorm of each row of `x` (rows, width) into `out` (rows, width); sums in Double so rows
    /// carrying values near 2·10⁴ keep their precision.
    static func rmsNormRows(_ x: [Float], weight: [Float], epsilon: Float, rows: Int, into out: inout [Float]) {
        let width = weight.count
        x.withUnsafeBufferPointer { input in
            weight.withUnsafeBufferPointer { weight in
                out.withUnsafeMutableBufferPointer { output in
                    let source = SendableBuffer(input), w = SendableBuffer(weight), destination = SendableMutableBuffer(output)
                    // Long batches split their rows across threads; each row's sum is the same Double loop.
                    forEachRowChunk(rows) { range in
                        for r in range {
                            let row = source.base + r * width, to = destination.base + r * width
                            var sum = 0.0
                            for i in 0..<width { sum += Double(row[i]) * Double(row[i]) }
                            let scale = Float(1 / (sum / Double(width) + Double(epsilon)).squareRoot())
                            for i in 0..<width { to[i] = row[i] * scale * w.base[i] }
                        }
                    }
                }
            }
        }
    }

    /// Calls `body` with chunks of `0..<rows` of 32 rows, across threads when there are several.
    static func forEachRowChunk(_ rows: Int, _ body: (Range<Int>) -> Void) {
        let chunk = 32
        let chunks = (rows + chunk - 1) / chunk
        if chunks <= 1 {
            body(0..<rows)
        } else {
            Parallel.forEach(chunks) { item in body((item * chunk)..<min(rows, (item + 1) * chunk)) }
        }
    }

    /// Rotary positions, "normal" style: each head's consecutive pairs (x[2i], x[2i+1]) turn by
    /// pos · base^(−2i / headSize), as GGUF Llama conversions (which permute Q and K rows) expect.
    /// `x` is (rows, heads × headSize); row r sits at position `startPosition + r`.
    static func rope(_ x: inout [Float], rows: Int, heads: Int, headSize: Int, startPosition: Int, base: Float) {
        rotate(&x, rows: rows, heads: heads, headSize: headSize, startPosition: startPosition, base: base, pairStride: 2, partnerOffset: 1)
    }

    /// Turns entry `pairStride · i` of each head with entry `pairStride · i + partnerOffset` by
    /// pos · base^(−2i / headSize). The frequencies are taken once and the angles in Double as
    /// before; long batches (a prompt, a view's recomputation) split their rows across threads.
    private static func rotate(
        _ x: inout [Float], rows: Int, heads: Int, headSize: Int, startPosition: Int, base: Float, pairStride: Int, partnerOffset: Int
    ) {
        let pairs = headSize / 2
        let frequencies = (0..<pairs).map { pow(Double(base), -2 * Double($0) / Double(headSize)) }  // (pairs)
        x.withUnsafeMutableBufferPointer { buffer in
            let out = SendableMutableBuffer(buffer)
            forEachRowChunk(rows) { range in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * pairs) { table in
                    let cosines = table.baseAddress.unsafelyUnwrapped, sines = cosines + pairs  // (pairs) each
                    for r in range {
                        let position = Double(startPosition + r)
                        for i in 0..<pairs {
                            let angle = position * frequencies[i]
                            cosines[i] = Float(cos(angle))
                            sines[i] = Float(sin(angle))
                        }
                        for h in 0..<heads {
                            let head = out.base + r * heads * headSize + h * headSize
                            for i in 0..<pairs {
                                let j = pairStride * i, k = j + partnerOffset
                                let a = head[j], b = head[k]
                                head[j] = a * cosines[i] - b * sines[i]
                                head[k] = a * sines[i] + b * cosines[i]
                            }
                        }
                    }
                }
            }
        }
    }

    /// gate = SiLU(gate) · up, element-wise.
    static func swiGLU(gate: inout [Float], up: [Float]) {
        for i in gate.indices {
            let g = gate[i]
            gate[i] = g / (1 + exp(-g)) * up[i]
        }
    }

    /// x += y, element-wise.
    static func add(_ y: [Float], into x: inout [Float]) {
        for i in x.indices { x[i] += y[i] }
    }
}

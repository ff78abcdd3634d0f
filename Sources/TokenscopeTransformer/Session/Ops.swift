import Foundation

// MARK: - Element-wise steps of the forward pass

/// The small steps between matrix products: RMSNorm, rotary positions, SwiGLU, residual adds.
enum Ops {
    /// out = x / √(mean(x²) + ε) · weight, for one vector.
    static func rmsNorm(_ x: [Float], weight: [Float], epsilon: Float, into out: inout [Float]) {
        rmsNormRows(x, weight: weight, epsilon: epsilon, rows: 1, into: &out)
    }

    /// RMSNorm of each row of `x` (rows, width) into `out` (rows, width); sums in Double so rows
    /// carrying values near 2·10⁴ keep their precision.
    static func rmsNormRows(_ x: [Float], weight: [Float], epsilon: Float, rows: Int, into out: inout [Float]) {
        let width = weight.count
        for r in 0..<rows {
            var sum = 0.0
            for i in (r * width)..<((r + 1) * width) { sum += Double(x[i]) * Double(x[i]) }
            let scale = Float(1 / (sum / Double(width) + Double(epsilon)).squareRoot())
            for i in 0..<width { out[r * width + i] = x[r * width + i] * scale * weight[i] }
        }
    }

    /// Rotary positions, "normal" style: each head's consecutive pairs (x[2i], x[2i+1]) turn by
    /// pos · base^(−2i / headSize), as GGUF Llama conversions (which permute Q and K rows) expect.
    /// `x` is (rows, heads × headSize); row r sits at position `startPosition + r`.
    static func rope(_ x: inout [Float], rows: Int, heads: Int, headSize: Int, startPosition: Int, base: Float) {
        let pairs = headSize / 2
        var cosines = [Float](repeating: 0, count: pairs)  // (pairs)
        var sines = [Float](repeating: 0, count: pairs)  // (pairs)
        for r in 0..<rows {
            let position = Double(startPosition + r)
            for i in 0..<pairs {
                let angle = position * pow(Double(base), -2 * Double(i) / Double(headSize))
                cosines[i] = Float(cos(angle))
                sines[i] = Float(sin(angle))
            }
            for h in 0..<heads {
                let offset = r * heads * headSize + h * headSize
                for i in 0..<pairs {
                    let a = x[offset + 2 * i], b = x[offset + 2 * i + 1]
                    x[offset + 2 * i] = a * cosines[i] - b * sines[i]
                    x[offset + 2 * i + 1] = a * sines[i] + b * cosines[i]
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

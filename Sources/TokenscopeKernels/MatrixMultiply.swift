import TokenscopeFormats

// MARK: - Matrix products on weights in place

/// y = x · Wᵀ with W read in its stored (quantised) form, never copied whole to f32.
///
/// Output rows are spread over `Parallel.threadCount` threads. For one input row (decoding) every
/// supported type has a fused SIMD dot product (Q4_1, Q8_0, Q4_K, Q6_K, F16, F32); a batch of at
/// least `TiledMatrixProduct.minimumTokens` rows (prefill, blocks of logits) is a register-tiled
/// matrix product on 16-row panels dequantised once (`TiledMatrixProduct`). A small batch (2 to
/// `SmallBatchProduct.maximumTokens` rows) of the common types skips the packing: each weight block
/// is dequantised into registers and meets every row there (`SmallBatchProduct`); other types with
/// two or three rows dequantise each weight row once and multiply it with the rows in turn. Batches keep f32
/// activations, so they match a float reference closely; a single row can instead be quantised to
/// int8 per 32-block and meet the weights in integer dot products (`ActivationPrecision.int8`,
/// `IntegerRowDot`) for the types that have an integer kernel.
public enum MatrixMultiply {
    /// Whether `apply` can multiply with weights of `type`.
    public static func supports(_ type: TensorType) -> Bool { type.isSupported }

    /// y (rows, out) = x (rows, in) · Wᵀ, where W is (out, in) = `weight` with shape [in, out].
    /// `x` must hold rows × in floats and `y` rows × out.
    /// With `activations: .int8`, a single row (rows == 1) is quantised to int8 first for the weight
    /// types `IntegerRowDot` supports; other types and batches use f32.
    public static func apply(
        _ weight: TensorView, _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
        activations: ActivationPrecision = .float
    ) {
        apply([weight], x, rows: rows, into: [y], activations: activations)
    }

    /// Several products of the same input in one parallel job (Q, K and V; gate and up):
    /// outputs[m] (rows, weights[m].rows) = x (rows, in) · weights[m]ᵀ. Every weight must have
    /// `in` columns. `activations` as for the single product.
    public static func apply(
        _ weights: [TensorView], _ x: UnsafePointer<Float>, rows: Int, into outputs: [UnsafeMutablePointer<Float>],
        activations: ActivationPrecision = .float
    ) {
        guard rows > 0, weights.count == outputs.count, let inputs = weights.first?.columns,
            weights.allSatisfy({ $0.columns == inputs && $0.bytes.baseAddress != nil })
        else { return }
        // Work items: chunks of output rows of each matrix; enough to balance, few enough to stay cheap.
        struct Chunk { let matrix: Int; let first: Int; let last: Int }
        var chunks: [Chunk] = []
        let perThread = rows == 1 ? 6 : 4
        let small = rows >= 2 && rows <= SmallBatchProduct.maximumTokens
        for (m, weight) in weights.enumerated() {
            let share = weight.rows / (Parallel.threadCount * perThread)
            // The tiled product packs 16 rows at a time: chunks of whole panels.
            let panels = TiledMatrixProduct.panelRows
            let tiled = rows >= TiledMatrixProduct.minimumTokens && !(small && SmallBatchProduct.supports(weight.type, columns: inputs))
            let chunk = tiled ? max(panels, share / panels * panels) : max(rows == 1 ? 32 : 8, share) & ~1
            for first in stride(from: 0, to: weight.rows, by: chunk) {
                chunks.append(Chunk(matrix: m, first: first, last: min(weight.rows, first + chunk)))
            }
        }
        let blocks = inputs / 32
        let integer = rows == 1 && activations == .int8 && weights.contains { IntegerRowDot.supports($0.type, columns: inputs) }
        IntegerRowDot.withQuantizedRow(blocks: integer ? blocks : 0) { scratch in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, blocks)) { sumsScratch in
                guard let sums = sumsScratch.baseAddress else { return }
                if rows == 1 && inputs % 32 == 0 { RowDot.blockSums(x, blocks: blocks, into: sums) }
                let quantized = integer ? scratch : nil
                if let quantized { IntegerRowDot.quantize(x, into: quantized) }
                let shared = SendableFloats(sums)
                let input = SendableFloats(UnsafeMutablePointer(mutating: x))
                let views = weights
                let targets = outputs.map(SendableFloats.init)
                chunks.withUnsafeBufferPointer { list in
                    Parallel.forEach(list.count) { item in
                        let chunk = list[item]
                        let weight = views[chunk.matrix]
                        guard let base = weight.bytes.baseAddress else { return }
                        let range = chunk.first..<chunk.last, y = targets[chunk.matrix].pointer
                        if let quantized, IntegerRowDot.supports(weight.type, columns: inputs) {
                            IntegerRowDot.vectorRows(weight.type, base, stride: weight.rowStride, quantized, range: range, into: y)
                        } else if rows == 1 {
                            RowDot.vectorRows(weight, base, input.pointer, sums: shared.pointer, range: range, into: y)
                        } else if small && SmallBatchProduct.supports(weight.type, columns: inputs) {
                            SmallBatchProduct.multiply(weight, base, input.pointer, tokens: rows, range: range, into: y)
                        } else if rows >= TiledMatrixProduct.minimumTokens {
                            TiledMatrixProduct.multiply(weight, base, input.pointer, tokens: rows, range: range, into: y)
                        } else {
                            matrixRows(weight, base, input.pointer, rows: rows, range: range, into: y)
                        }
                    }
                }
            }
        }
    }

    /// y (rows, out)[·, o] = x (rows, in) · W[o] for o in `range`: each weight row dequantised once.
    static func matrixRows(
        _ weight: TensorView, _ base: UnsafeRawPointer, _ x: UnsafePointer<Float>, rows: Int, range: Range<Int>,
        into y: UnsafeMutablePointer<Float>
    ) {
        let inputs = weight.columns, outputs = weight.rows, stride = weight.rowStride
        withUnsafeTemporaryAllocation(of: Float.self, capacity: inputs) { buffer in
            guard let w = buffer.baseAddress else { return }
            for o in range {
                Dequantizer.dequantize(weight.type, base + o * stride, count: inputs, into: w)
                var t = 0
                while t + 4 <= rows {
                    let x0 = x + t * inputs
                    let (a, b, c, d) = RowDot.dot4(w, x0, x0 + inputs, x0 + 2 * inputs, x0 + 3 * inputs, count: inputs)
                    y[t * outputs + o] = a
                    y[(t + 1) * outputs + o] = b
                    y[(t + 2) * outputs + o] = c
                    y[(t + 3) * outputs + o] = d
                    t += 4
                }
                while t < rows {
                    y[t * outputs + o] = RowDot.dotF32(w, x + t * inputs, count: inputs)
                    t += 1
                }
            }
        }
    }
}

/// A raw pointer handed to worker threads that only read through it.
struct SendableRaw: @unchecked Sendable {
    let pointer: UnsafeRawPointer
    init(_ pointer: UnsafeRawPointer) { self.pointer = pointer }
}

/// A float pointer handed to worker threads that write disjoint parts of it.
struct SendableFloats: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}

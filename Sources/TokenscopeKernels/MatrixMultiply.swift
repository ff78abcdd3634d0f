import TokenscopeFormats

// MARK: - Matrix products on weights in place

/// y = x · Wᵀ with W read in its stored (quantised) form, never copied whole to f32.
///
/// Output rows are spread over `Parallel.threadCount` threads. Q4_1 and Q8_0 have fused SIMD dot
/// products; other types dequantise one weight row at a time. Activations stay f32 (no 8-bit
/// quantisation of the input), so results match a float reference closely.
public enum MatrixMultiply {
    /// Whether `apply` can multiply with weights of `type`.
    public static func supports(_ type: TensorType) -> Bool { type.isSupported }

    /// y (rows, out) = x (rows, in) · Wᵀ, where W is (out, in) = `weight` with shape [in, out].
    /// `x` must hold rows × in floats and `y` rows × out.
    public static func apply(_ weight: TensorView, _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        let inputs = weight.columns, outputs = weight.rows
        let stride = weight.rowStride
        let base = weight.bytes.baseAddress.map { SendableRaw($0) }
        guard let base, rows > 0, outputs > 0 else { return }
        let input = SendableFloats(UnsafeMutablePointer(mutating: x)), output = SendableFloats(y)
        let type = weight.type
        // Chunks of output rows per work item: enough items to balance, few enough to stay cheap.
        let chunk = max(16, outputs / (Parallel.threadCount * 8))
        let items = (outputs + chunk - 1) / chunk
        if rows == 1 && (type == .q4_1 || type == .q8_0) && inputs % 32 == 0 {
            let blocks = inputs / 32
            withUnsafeTemporaryAllocation(of: Float.self, capacity: inputs + blocks) { scratch in
                guard let permuted = scratch.baseAddress else { return }
                let sums = permuted + inputs
                if type == .q4_1 {
                    PermutedDot.permuteForQ4_1(x, blocks: blocks, into: permuted, sums: sums)
                } else {
                    PermutedDot.permuteForQ8_0(x, blocks: blocks, into: permuted)
                }
                let p = SendableFloats(permuted)
                Parallel.forEach(items) { item in
                    let first = item * chunk, last = min(outputs, first + chunk)
                    for o in first..<last {
                        let row = base.pointer + o * stride
                        output.pointer[o] = type == .q4_1
                            ? PermutedDot.dotQ4_1(row, p.pointer, p.pointer + inputs, blocks: blocks)
                            : PermutedDot.dotQ8_0(row, p.pointer, blocks: blocks)
                    }
                }
            }
            return
        }
        Parallel.forEach(items) { item in
            let first = item * chunk, last = min(outputs, first + chunk)
            if rows == 1 {
                for o in first..<last {
                    output.pointer[o] = RowDot.dot(type, base.pointer + o * stride, input.pointer, count: inputs)
                }
            } else {
                withUnsafeTemporaryAllocation(of: Float.self, capacity: inputs) { buffer in
                    guard let w = buffer.baseAddress else { return }
                    for o in first..<last {
                        Dequantizer.dequantize(type, base.pointer + o * stride, count: inputs, into: w)
                        var t = 0
                        while t + 4 <= rows {
                            let x0 = input.pointer + t * inputs
                            let (a, b, c, d) = RowDot.dot4(w, x0, x0 + inputs, x0 + 2 * inputs, x0 + 3 * inputs, count: inputs)
                            output.pointer[t * outputs + o] = a
                            output.pointer[(t + 1) * outputs + o] = b
                            output.pointer[(t + 2) * outputs + o] = c
                            output.pointer[(t + 3) * outputs + o] = d
                            t += 4
                        }
                        while t < rows {
                            output.pointer[t * outputs + o] = RowDot.dotF32(w, input.pointer + t * inputs, count: inputs)
                            t += 1
                        }
                    }
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

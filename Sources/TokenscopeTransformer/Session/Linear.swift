import TokenscopeFormats
import TokenscopeKernels

// MARK: - Weights as linear maps

/// The forward pass's view of a weight matrix: y = x·Wᵀ, a single row, or a vector of floats.
enum Linear {
    /// Whether the kernels can multiply with weights of `type`.
    static func canMultiply(_ type: TensorType) -> Bool { MatrixMultiply.supports(type) }

    /// A 1-D tensor (a norm's weights) as floats, or nil for an unsupported type.
    static func floats(of view: TensorView) -> [Float]? {
        guard let base = view.bytes.baseAddress else { return [] }
        var values = [Float](repeating: 0, count: view.elementCount)
        let ok = values.withUnsafeMutableBufferPointer { out in
            guard let destination = out.baseAddress else { return true }
            return Dequantizer.dequantize(view.type, base, count: view.elementCount, into: destination)
        }
        return ok ? values : nil
    }

    /// Row `index` of `view` (an embedding row) into `destination` (width floats).
    static func row(_ view: TensorView, _ index: Int, into destination: UnsafeMutableBufferPointer<Float>) {
        guard let base = view.bytes.baseAddress, let out = destination.baseAddress else { return }
        Dequantizer.dequantize(view.type, base + index * view.rowStride, count: view.columns, into: out)
    }

    /// y (rows, out) = x (rows, in) · Wᵀ. `activations` says how a single row (decoding) meets
    /// quantised weights (`ActivationPrecision`); batches are always f32.
    static func apply(_ weight: TensorView, _ x: [Float], rows: Int, into y: inout [Float], activations: ActivationPrecision = .float) {
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in apply(weight, xp, rows: rows, into: yp, activations: activations) }
        }
    }

    /// y (rows, out) = x (rows, in) · Wᵀ on buffers.
    static func apply(
        _ weight: TensorView, _ x: UnsafeBufferPointer<Float>, rows: Int, into y: UnsafeMutableBufferPointer<Float>,
        activations: ActivationPrecision = .float
    ) {
        guard let input = x.baseAddress, let output = y.baseAddress,
            x.count >= rows * weight.columns, y.count >= rows * weight.rows
        else { return }
        MatrixMultiply.apply(weight, input, rows: rows, into: output, activations: activations)
    }

    /// Two products of the same input in one parallel job (gate and up).
    static func apply(
        _ w0: TensorView, _ w1: TensorView, _ x: [Float], rows: Int, into y0: inout [Float], _ y1: inout [Float],
        activations: ActivationPrecision = .float
    ) {
        guard x.count >= rows * w0.columns, w0.columns == w1.columns, y0.count >= rows * w0.rows, y1.count >= rows * w1.rows
        else { return }
        x.withUnsafeBufferPointer { xp in
            y0.withUnsafeMutableBufferPointer { p0 in
                y1.withUnsafeMutableBufferPointer { p1 in
                    guard let input = xp.baseAddress, let a = p0.baseAddress, let b = p1.baseAddress else { return }
                    MatrixMultiply.apply([w0, w1], input, rows: rows, into: [a, b], activations: activations)
                }
            }
        }
    }

    /// Three products of the same input in one parallel job (query, key and value).
    static func apply(
        _ w0: TensorView, _ w1: TensorView, _ w2: TensorView, _ x: [Float], rows: Int,
        into y0: inout [Float], _ y1: inout [Float], _ y2: inout [Float], activations: ActivationPrecision = .float
    ) {
        guard x.count >= rows * w0.columns, w0.columns == w1.columns, w0.columns == w2.columns,
            y0.count >= rows * w0.rows, y1.count >= rows * w1.rows, y2.count >= rows * w2.rows
        else { return }
        x.withUnsafeBufferPointer { xp in
            y0.withUnsafeMutableBufferPointer { p0 in
                y1.withUnsafeMutableBufferPointer { p1 in
                    y2.withUnsafeMutableBufferPointer { p2 in
                        guard let input = xp.baseAddress, let a = p0.baseAddress, let b = p1.baseAddress, let c = p2.baseAddress
                        else { return }
                        MatrixMultiply.apply([w0, w1, w2], input, rows: rows, into: [a, b, c], activations: activations)
                    }
                }
            }
        }
    }
}

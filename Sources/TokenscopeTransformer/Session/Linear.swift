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

    /// y (rows, out) = x (rows, in) · Wᵀ.
    static func apply(_ weight: TensorView, _ x: [Float], rows: Int, into y: inout [Float]) {
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in apply(weight, xp, rows: rows, into: yp) }
        }
    }

    /// y (rows, out) = x (rows, in) · Wᵀ on buffers.
    static func apply(_ weight: TensorView, _ x: UnsafeBufferPointer<Float>, rows: Int, into y: UnsafeMutableBufferPointer<Float>) {
        guard let input = x.baseAddress, let output = y.baseAddress,
            x.count >= rows * weight.columns, y.count >= rows * weight.rows
        else { return }
        MatrixMultiply.apply(weight, input, rows: rows, into: output)
    }
}

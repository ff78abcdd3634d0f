// MARK: - Tensor views

/// A read-only, zero-copy view of one tensor's bytes inside a memory-mapped model file.
///
/// `shape` is in GGML order: `shape[0]` is the fastest-varying (input) dimension, so a matrix with
/// `shape == [in, out]` is stored row-major as `out` rows of `in` elements and computes y = W·x.
/// The view keeps its file mapped for as long as it lives.
public struct TensorView: @unchecked Sendable {
    /// The tensor's name in the file (`blk.0.attn_q.weight`).
    public let name: String
    /// How the elements are encoded.
    public let type: TensorType
    /// Dimensions, fastest-varying first.
    public let shape: [Int]
    /// The tensor's bytes, exactly `type.rowBytes(count: shape[0])! * rows` long.
    public let bytes: UnsafeRawBufferPointer
    /// Keeps the mapping that `bytes` points into alive.
    public let owner: AnyObject

    /// Creates a view; the caller has validated that `bytes` holds the whole tensor.
    public init(name: String, type: TensorType, shape: [Int], bytes: UnsafeRawBufferPointer, owner: AnyObject) {
        self.name = name
        self.type = type
        self.shape = shape
        self.bytes = bytes
        self.owner = owner
    }

    /// Elements in one row (the fastest-varying dimension).
    public var columns: Int { shape.first ?? 0 }
    /// Number of rows: the product of every dimension but the first.
    public var rows: Int { shape.dropFirst().reduce(1, *) }
    /// Total number of elements.
    public var elementCount: Int { shape.reduce(1, *) }
    /// Bytes of one row.
    public var rowStride: Int { columns / type.blockSize * type.blockBytes }

    /// The bytes of row `index`; `index` must be in `0..<rows`.
    public func row(_ index: Int) -> UnsafeRawBufferPointer {
        precondition(index >= 0 && index < rows, "row \(index) out of range 0..<\(rows) in \(name)")
        let stride = rowStride
        return UnsafeRawBufferPointer(rebasing: bytes[(index * stride)..<((index + 1) * stride)])
    }
}

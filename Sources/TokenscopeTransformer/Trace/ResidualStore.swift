// MARK: - The residual stream of the trace

/// The residual stream of every observed position after every block: f32 while it fits its budget,
/// f16 with a per-row scale once a session expects more.
///
/// At 2 000 tokens SmolLM2's stream is 143 MB in f32, the largest thing a long session holds beside
/// the weights; the views read it to recompute attention and for the logit lens, where f16's
/// relative rounding (≤ 2⁻¹¹) is below what they show. Short sequences — every reference test —
/// stay exact. Each row (one position after one block) is divided by a power-of-two scale before
/// rounding when its largest value would overflow f16, so no value becomes infinite.
struct ResidualStore: Sendable {
    // MARK: Layout

    /// Values per row (the model width).
    let width: Int
    /// Rows per position (blocks + 1: the embedding, then after each block).
    let rowsPerPosition: Int
    /// Bytes the f32 stream may take before the store turns compact.
    let budgetBytes: Int

    /// Positions held.
    private(set) var positions = 0
    /// Whether rows are stored in f16.
    private(set) var isCompact = false

    private var full: [Float] = []  // (positions, rowsPerPosition, width) while not compact
    private var half: [Float16] = []  // (positions, rowsPerPosition, width) when compact
    private var scales: [Float] = []  // (positions, rowsPerPosition) when compact: value = half × scale

    init(width: Int, rowsPerPosition: Int, budgetBytes: Int) {
        self.width = width
        self.rowsPerPosition = rowsPerPosition
        self.budgetBytes = budgetBytes
    }

    /// Values per position.
    var stride: Int { rowsPerPosition * width }

    /// Bytes the store holds now.
    var bytes: Int { full.count * 4 + half.count * 2 + scales.count * 4 }

    /// Bytes a position takes in the store's present form.
    var bytesPerPosition: Int { isCompact ? stride * 2 + rowsPerPosition * 4 : stride * 4 }

    // MARK: Growth

    /// Makes room for `count` more positions (zeros), turning compact first when they pass the budget.
    mutating func extend(by count: Int) {
        compactIfNeeded(for: positions + count)
        if isCompact {
            half.append(contentsOf: repeatElement(0, count: count * stride))
            scales.append(contentsOf: repeatElement(1, count: count * rowsPerPosition))
        } else {
            full.append(contentsOf: repeatElement(0, count: count * stride))
        }
        positions += count
    }

    /// Reserves room for `total` positions, turning compact first when they pass the budget.
    mutating func reserve(positions total: Int) {
        compactIfNeeded(for: total)
        if isCompact {
            half.reserveCapacity(total * stride)
            scales.reserveCapacity(total * rowsPerPosition)
        } else {
            full.reserveCapacity(total * stride)
        }
    }

    /// Drops every position from `count` on.
    mutating func truncate(to count: Int) {
        guard count < positions else { return }
        positions = count
        if isCompact {
            half.removeSubrange((count * stride)...)
            scales.removeSubrange((count * rowsPerPosition)...)
        } else {
            full.removeSubrange((count * stride)...)
        }
    }

    private mutating func compactIfNeeded(for total: Int) {
        guard !isCompact, total * stride * MemoryLayout<Float>.size > budgetBytes else { return }
        isCompact = true
        let old = full
        full = []
        half = []
        half.reserveCapacity(max(total, positions) * stride)
        scales = [Float](repeating: 1, count: positions * rowsPerPosition)
        half.append(contentsOf: repeatElement(0, count: positions * stride))
        old.withUnsafeBufferPointer { source in
            for row in 0..<(positions * rowsPerPosition) {
                writeCompact(UnsafeBufferPointer(rebasing: source[(row * width)..<((row + 1) * width)]), row: row)
            }
        }
    }

    // MARK: Rows

    /// Writes `values` (width) as the row of `position` after `block` blocks.
    mutating func write(_ values: UnsafeBufferPointer<Float>, position: Int, block: Int) {
        let row = position * rowsPerPosition + block
        if isCompact {
            writeCompact(values, row: row)
        } else {
            full.withUnsafeMutableBufferPointer { to in
                (to.baseAddress.unsafelyUnwrapped + row * width).update(from: values.baseAddress.unsafelyUnwrapped, count: width)
            }
        }
    }

    private mutating func writeCompact(_ values: UnsafeBufferPointer<Float>, row: Int) {
        var largest: Float = 0
        for v in values { largest = max(largest, abs(v)) }
        // f16's largest finite value is 65 504; a power of two keeps the division exact.
        var scale: Float = 1
        while largest.isFinite && largest / scale > 32_768 { scale *= 2 }
        scales[row] = scale
        let inverse = 1 / scale
        half.withUnsafeMutableBufferPointer { to in
            let base = to.baseAddress.unsafelyUnwrapped + row * width
            for i in 0..<width { base[i] = Float16(values[i] * inverse) }
        }
    }

    /// Copies the row of `position` after `block` blocks (width values) into `destination`.
    func read(position: Int, block: Int, into destination: UnsafeMutablePointer<Float>) {
        let row = position * rowsPerPosition + block
        if isCompact {
            let scale = scales[row]
            half.withUnsafeBufferPointer { from in
                let base = from.baseAddress.unsafelyUnwrapped + row * width
                for i in 0..<width { destination[i] = Float(base[i]) * scale }
            }
        } else {
            full.withUnsafeBufferPointer { from in
                destination.update(from: from.baseAddress.unsafelyUnwrapped + row * width, count: width)
            }
        }
    }

    /// The row of `position` after `block` blocks.
    func row(position: Int, block: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: width) { buffer, count in
            read(position: position, block: block, into: buffer.baseAddress.unsafelyUnwrapped)
            count = width
        }
    }
}

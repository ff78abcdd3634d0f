import Foundation

// MARK: - A head's statistics gathered row by row

/// The sums one head's ``AttentionStatistics`` and overview thumbnail are made of, added up one
/// query row at a time as a recomputation hands the rows out — so the model overview never holds
/// a matrix, and a layer's statistics come from the f32 rows before they are stored in f16.
///
/// Rows may arrive in any order in separate sums (one per block of rows) that are then merged.
struct AttentionRowSums: Sendable {
    /// Sum over query rows ≥ 1 of the row's entropy in bits, and of entropy / log2(keys).
    var entropy = 0.0
    var normalizedEntropy = 0.0
    /// Sums over query rows ≥ 1 of the weight on the previous, the first and the query's own key.
    var previous = 0.0
    var first = 0.0
    var own = 0.0
    /// Summed weight on the induction targets, over the queries that have some.
    var induction = 0.0
    var inductionQueries = 0
    /// Thumbnail cells: summed weights and how many causal entries each holds, in room for
    /// `stride` cells a side (the layout may use fewer).
    var cells: [Double]  // (stride, stride)
    var cellCounts: [Int]  // (stride, stride)
    /// Cells a side there is room for (the largest thumbnail asked for).
    let stride: Int

    init(thumbnailCells: Int) {
        stride = thumbnailCells
        cells = [Double](repeating: 0, count: thumbnailCells * thumbnailCells)
        cellCounts = [Int](repeating: 0, count: thumbnailCells * thumbnailCells)
    }

    /// Adds query row `q` (probabilities over keys `0...q`, its entropy in bits) of a sequence of
    /// `layout.count` positions.
    mutating func add(row q: Int, _ p: UnsafePointer<Float>, entropy h: Double, layout: AttentionRowLayout) {
        if q >= 1 {
            entropy += h
            normalizedEntropy += h / log2(Double(q + 1))
            previous += Double(p[q - 1])
            first += Double(p[0])
            own += Double(p[q])
        }
        if q < layout.inductionTargets.count, !layout.inductionTargets[q].isEmpty {
            induction += layout.inductionTargets[q].reduce(0.0) { $0 + Double(p[$1]) }
            inductionQueries += 1
        }
        let size = layout.cellCount
        guard size > 0 else { return }
        let cellRow = q / layout.cellWidth
        for column in 0..<size {
            let k0 = column * layout.cellWidth
            guard k0 <= q else { break }
            let k1 = min(k0 + layout.cellWidth, q + 1)
            cells[cellRow * stride + column] += Double(Self.sum(p + k0, count: k1 - k0))
            cellCounts[cellRow * stride + column] += k1 - k0
        }
    }

    /// Adds another block's sums.
    mutating func merge(_ other: AttentionRowSums) {
        entropy += other.entropy
        normalizedEntropy += other.normalizedEntropy
        previous += other.previous
        first += other.first
        own += other.own
        induction += other.induction
        inductionQueries += other.inductionQueries
        for i in cells.indices {
            cells[i] += other.cells[i]
            cellCounts[i] += other.cellCounts[i]
        }
    }

    /// The statistics of a head whose rows `0..<count` were all added, as
    /// ``AttentionMatrix/statistics(tokenIDs:)`` gives them.
    func statistics(count: Int, hasTokens: Bool) -> AttentionStatistics {
        guard count > 1 else { return AttentionStatistics.none }
        let rows = Double(count - 1)
        return AttentionStatistics(
            entropy: entropy / rows, normalizedEntropy: normalizedEntropy / rows, previousTokenWeight: previous / rows,
            firstTokenWeight: first / rows, selfWeight: own / rows,
            inductionScore: hasTokens && inductionQueries > 0 ? induction / Double(inductionQueries) : nil)
    }

    /// The thumbnail of `size` cells a side (NaN where no entry is causal), as
    /// ``AttentionMatrix/pooled(size:)``.
    func thumbnail(cells size: Int) -> [Float] {  // (size, size)
        var out = [Float](repeating: .nan, count: size * size)
        for row in 0..<min(size, stride) {
            for column in 0..<min(size, stride) where cellCounts[row * stride + column] > 0 {
                out[row * size + column] = Float(cells[row * stride + column] / Double(cellCounts[row * stride + column]))
            }
        }
        return out
    }

    /// Cells `factor` (a power of two) times as wide: each new cell is the sum of a `factor` ×
    /// `factor` square of the old ones — exactly what adding the rows in the wider layout gives,
    /// as cells are power-of-two wide.
    mutating func widenCells(by factor: Int) {
        guard factor > 1, stride > 0 else { return }
        var wider = [Double](repeating: 0, count: stride * stride), widerCounts = [Int](repeating: 0, count: stride * stride)
        for row in 0..<stride {
            for column in 0..<stride where cellCounts[row * stride + column] > 0 {
                let target = (row / factor) * stride + column / factor
                wider[target] += cells[row * stride + column]
                widerCounts[target] += cellCounts[row * stride + column]
            }
        }
        cells = wider
        cellCounts = widerCounts
    }

    /// Σ p[i] over `count` floats, eight lanes at a time.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var total = acc.sum()
        while i < count {
            total += p[i]
            i += 1
        }
        return total
    }
}

/// What row sums need to know of the sequence, computed once per request: the thumbnail's cells
/// (``AttentionMatrix/thumbnailCellWidth(count:size:)`` positions wide) and each query's induction
/// targets (the keys after earlier occurrences of its token).
struct AttentionRowLayout: Sendable {
    /// Positions.
    let count: Int
    /// Thumbnail cells per side (0: no thumbnail).
    let cellCount: Int
    /// Positions per cell (a power of two; the last cell may hold fewer).
    let cellWidth: Int
    /// For each query, the keys j + 1 with token j equal to the query's and j + 1 < query.
    let inductionTargets: [[Int]]  // (count) of keys

    init(count: Int, thumbnailSize: Int, tokenIDs: [Int]) {
        self.count = count
        cellCount = AttentionMatrix.thumbnailCells(count: count, size: thumbnailSize)
        cellWidth = AttentionMatrix.thumbnailCellWidth(count: count, size: thumbnailSize)
        var targets: [[Int]] = []
        if tokenIDs.count >= count {
            var seen: [Int: [Int]] = [:]  // token → earlier positions
            targets.reserveCapacity(count)
            for q in 0..<count {
                let token = tokenIDs[q]
                targets.append((seen[token] ?? []).map { $0 + 1 }.filter { $0 < q })
                seen[token, default: []].append(q)
            }
        }
        inductionTargets = targets
    }
}

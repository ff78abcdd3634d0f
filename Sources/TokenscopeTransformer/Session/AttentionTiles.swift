import Foundation
import TokenscopeKernels

// MARK: - Attention in register tiles

/// Causal attention over a block of query rows as small matrix products.
///
/// Scores are (4 queries × 16 keys) register tiles accumulated over the head's width against keys
/// packed once per call into panels of 16 (`packKeys`: for each panel, the head's dimensions one
/// after another, 16 keys each); the weighted sum of values is (4 queries × 16 dimensions) tiles;
/// exponentials are taken eight at a time (`exp8`). Two ways through a block of queries:
/// - *online* (nothing asks for the weights: prefill past the attention budget, interventions,
///   the values of a recomputed block): key blocks of 64, a running maximum and sum per query row
///   and the output rescaled when the maximum grows (flash attention) — no row of the n × n matrix
///   ever exists;
/// - *two passes* (the weights are wanted: the trace, a view's recomputation): the block's rows of
///   scores in full, then the softmax row by row — handed to the caller — then the values.
///
/// Each query row sees keys `firstKey(position)...position` of its head's KV head (grouped-query
/// heads share a panel set), after the optional softcap; keys outside get probability 0 and score −∞.
struct AttentionTiles: @unchecked Sendable {
    /// Query rows per register tile.
    static let rowGroup = 4
    /// Keys per panel (two SIMD8 lanes).
    static let panelWidth = 16
    /// Keys per step of the online softmax.
    static let keyBlock = 64
    /// Query rows per work item.
    static let queryBlock = 32

    let queries: UnsafePointer<Float>  // (batch, heads × headSize), rotated
    let panels: UnsafePointer<Float>  // (kvHeads, panelCount, headSize, 16): keys packed by `packKeys`
    let values: UnsafePointer<Float>  // (total, kvWidth)
    let shape: AttentionShape
    let start: Int
    let batch: Int
    let panelCount: Int

    var total: Int { start + batch }
    var headSize: Int { shape.headSize }
    /// Floats between two rows of a block's row buffer: every key rounded up to a panel, plus one
    /// SIMD8 of slack for the last row's tail.
    var rowStride: Int { panelCount * Self.panelWidth + 8 }

    // MARK: Packing

    /// Number of 16-key panels for `total` keys.
    static func panelCount(total: Int) -> Int { (total + panelWidth - 1) / panelWidth }

    /// Keys (total, kvWidth) packed per KV head into panels of 16 keys: (kvHeads, panels, headSize,
    /// 16), zeros past the last key, so a tile reads 16 keys of one dimension as two vectors.
    static func packKeys(_ keys: UnsafePointer<Float>, total: Int, shape: AttentionShape, into packed: UnsafeMutablePointer<Float>) {
        let headSize = shape.headSize, kvWidth = shape.kvWidth
        let panels = panelCount(total: total)
        let destination = SendableMutableBuffer(UnsafeMutableBufferPointer(start: packed, count: shape.kvHeadCount * panels * headSize * panelWidth))
        let source = SendableBuffer(UnsafeBufferPointer(start: keys, count: total * kvWidth))
        Parallel.forEach(shape.kvHeadCount * panels) { item in
            let kvHead = item / panels, panel = item % panels
            let out = destination.base + item * headSize * panelWidth
            let first = panel * panelWidth
            let count = min(panelWidth, total - first)
            for c in 0..<count {
                let key = source.base + (first + c) * kvWidth + kvHead * headSize
                for d in 0..<headSize { out[d * panelWidth + c] = key[d] }
            }
            if count < panelWidth {
                for d in 0..<headSize { for c in count..<panelWidth { out[d * panelWidth + c] = 0 } }
            }
        }
    }

    // MARK: Work items

    /// Query rows `rows` (batch indices) of query head `head`. `output` (batch, heads × headSize)
    /// receives the weighted sum of values when not nil. When `rowsOut` is not nil the weights are
    /// wanted: it is called once per row with the row's index, its probabilities (keys
    /// `0...position`, 0 outside the window), its scores (−∞ outside; nil unless `wantsScores`) and
    /// the row's entropy in bits.
    func run(
        rows: Range<Int>, head: Int, output: UnsafeMutablePointer<Float>?, wantsScores: Bool,
        rowsOut: ((Int, UnsafePointer<Float>, UnsafePointer<Float>?, Float) -> Void)?
    ) {
        let groups = (rows.count + Self.rowGroup - 1) / Self.rowGroup
        let paddedRows = groups * Self.rowGroup
        withUnsafeTemporaryAllocation(of: Float.self, capacity: paddedRows * headSize) { accumulator in
            let o = accumulator.baseAddress.unsafelyUnwrapped  // (paddedRows, headSize)
            o.initialize(repeating: 0, count: paddedRows * headSize)
            if let rowsOut {
                twoPass(rows: rows, head: head, o: o, withValues: output != nil, wantsScores: wantsScores, rowsOut: rowsOut)
            } else {
                online(rows: rows, head: head, o: o)
            }
            guard let output else { return }
            let width = shape.queryWidth
            for r in 0..<rows.count {
                let destination = output + (rows.lowerBound + r) * width + head * headSize
                destination.update(from: o + r * headSize, count: headSize)
            }
        }
    }

    /// The keys rows `rows` see together, as a panel range.
    private func panelRange(rows: Range<Int>) -> Range<Int> {
        let low = shape.firstKey(start + rows.lowerBound) / Self.panelWidth
        let high = (start + rows.upperBound + Self.panelWidth - 1) / Self.panelWidth
        return low..<high
    }

    /// The query pointer of row `r` of `rows` (rows past the end repeat the last, their results unused).
    @inline(__always)
    private func queryRow(_ rows: Range<Int>, _ r: Int, head: Int) -> UnsafePointer<Float> {
        queries + min(rows.lowerBound + r, rows.upperBound - 1) * shape.queryWidth + head * headSize
    }

    /// The softcap and scale applied to a raw dot product.
    @inline(__always)
    private func adjust(_ s: SIMD8<Float>, scale: Float) -> SIMD8<Float> {
        guard let cap = shape.softcap else { return s * scale }
        var out = SIMD8<Float>()
        for lane in 0..<8 { out[lane] = cap * tanh(s[lane] * scale / cap) }
        return out
    }

    // MARK: Two passes (weights wanted)

    private func twoPass(
        rows: Range<Int>, head: Int, o: UnsafeMutablePointer<Float>, withValues: Bool, wantsScores: Bool,
        rowsOut: (Int, UnsafePointer<Float>, UnsafePointer<Float>?, Float) -> Void
    ) {
        let groups = (rows.count + Self.rowGroup - 1) / Self.rowGroup
        let stride = rowStride
        let kvHead = head / shape.groupSize
        let scale = 1 / Float(headSize).squareRoot()
        let range = panelRange(rows: rows)
        let panelBase = panels + kvHead * panelCount * headSize * Self.panelWidth
        // Key indices as floats (exact below 2²⁴): float comparisons become one vector compare, where
        // integer masks were built lane by lane through memory.
        let lanes = SIMD8<Float>(0, 1, 2, 3, 4, 5, 6, 7)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: groups * Self.rowGroup * stride * (wantsScores ? 2 : 1)) { buffer in
            let p = buffer.baseAddress.unsafelyUnwrapped  // (paddedRows, stride): scores, then probabilities
            let scoreRows = wantsScores ? p + groups * Self.rowGroup * stride : p  // (paddedRows, stride)
            // Raw dot products of every group over the panels its rows see.
            for g in 0..<groups {
                let r = g * Self.rowGroup
                for panel in range {
                    Self.scoreTile(
                        queryRow(rows, r, head: head), queryRow(rows, r + 1, head: head), queryRow(rows, r + 2, head: head),
                        queryRow(rows, r + 3, head: head), panel: panelBase + panel * headSize * Self.panelWidth, depth: headSize,
                        out: scoreRows + r * stride + panel * Self.panelWidth, outStride: stride)
                }
            }
            // The softmax of each row; the row handed out.
            for r in 0..<rows.count {
                let position = start + rows.lowerBound + r
                let first = shape.firstKey(position)
                let s = scoreRows + r * stride, prob = p + r * stride
                let last = Float(position)
                // The maximum per lane, reduced once per row (a horizontal reduction per vector
                // was a fifth of the recomputation's time).
                var lanesMaximum = SIMD8<Float>(repeating: -.infinity)
                var j = first
                while j <= position {
                    let beyond = SIMD8<Float>(repeating: Float(j)) + lanes .> last
                    let v = adjust(UnsafeRawPointer(s + j).loadUnaligned(as: SIMD8<Float>.self), scale: scale)
                        .replacing(with: -.infinity, where: beyond)
                    UnsafeMutableRawPointer(s + j).storeBytes(of: v, as: SIMD8<Float>.self)
                    lanesMaximum.replace(with: v, where: v .> lanesMaximum)
                    j += 8
                }
                let maximum = Self.laneMaximum(lanesMaximum)
                var sum = SIMD8<Float>(), weighted = SIMD8<Float>()
                j = first
                while j <= position {
                    let beyond = SIMD8<Float>(repeating: Float(j)) + lanes .> last
                    let shifted = (UnsafeRawPointer(s + j).loadUnaligned(as: SIMD8<Float>.self) - maximum).replacing(with: 0, where: beyond)
                    let e = Self.exp8(shifted).replacing(with: 0, where: beyond)
                    UnsafeMutableRawPointer(prob + j).storeBytes(of: e, as: SIMD8<Float>.self)
                    sum += e
                    weighted.addProduct(e, shifted)
                    j += 8
                }
                let total = sum.sum(), inverse = 1 / total
                // H = log2 Z − Σ e·(s − max) / (Z ln 2), with Z = Σ e: the entropy without a logarithm per key.
                let entropy = Swift.max(0, (log(total) - weighted.sum() * inverse) / Float(M_LN2))
                j = first
                while j <= position {
                    let e = UnsafeRawPointer(prob + j).loadUnaligned(as: SIMD8<Float>.self) * inverse
                    UnsafeMutableRawPointer(prob + j).storeBytes(of: e, as: SIMD8<Float>.self)
                    j += 8
                }
                for k in 0..<first { prob[k] = 0 }
                if wantsScores { for k in 0..<first { s[k] = -.infinity } }
                rowsOut(rows.lowerBound + r, prob, wantsScores ? UnsafePointer(s) : nil, entropy)
                // Zero what the values read beyond the row (its lanes past the position, the window's front).
                let low = range.lowerBound * Self.panelWidth
                for k in low..<first { prob[k] = 0 }
                for k in (position + 1)..<(range.upperBound * Self.panelWidth) { prob[k] = 0 }
            }
            guard withValues else { return }
            for r in rows.count..<(groups * Self.rowGroup) {
                (p + r * stride).initialize(repeating: 0, count: stride)
            }
            let low = range.lowerBound * Self.panelWidth, high = Swift.min(total, range.upperBound * Self.panelWidth)
            for g in 0..<groups {
                let r = g * Self.rowGroup
                valueTile(p: p + r * stride, pStride: stride, keys: low..<high, kvHead: kvHead, out: o + r * headSize)
            }
        }
    }

    // MARK: Online softmax (no weights)

    private func online(rows: Range<Int>, head: Int, o: UnsafeMutablePointer<Float>) {
        let groups = (rows.count + Self.rowGroup - 1) / Self.rowGroup
        let paddedRows = groups * Self.rowGroup
        let kvHead = head / shape.groupSize
        let scale = 1 / Float(headSize).squareRoot()
        let range = panelRange(rows: rows)
        let panelBase = panels + kvHead * panelCount * headSize * Self.panelWidth
        let lanes = SIMD8<Float>(0, 1, 2, 3, 4, 5, 6, 7)  // key indices as floats, as in `twoPass`
        let block = Self.keyBlock, perBlock = Self.keyBlock / Self.panelWidth
        withUnsafeTemporaryAllocation(of: Float.self, capacity: paddedRows * (block + 2)) { buffer in
            let s = buffer.baseAddress.unsafelyUnwrapped  // (paddedRows, block): one key block's scores, then weights
            let maxima = s + paddedRows * block, sums = maxima + paddedRows  // (paddedRows) each
            for r in 0..<paddedRows { maxima[r] = -.infinity; sums[r] = 0 }
            var panel = range.lowerBound
            while panel < range.upperBound {
                let panelEnd = Swift.min(range.upperBound, panel + perBlock)
                let key0 = panel * Self.panelWidth, width = (panelEnd - panel) * Self.panelWidth
                for g in 0..<groups {
                    let r = g * Self.rowGroup
                    for p in panel..<panelEnd {
                        Self.scoreTile(
                            queryRow(rows, r, head: head), queryRow(rows, r + 1, head: head), queryRow(rows, r + 2, head: head),
                            queryRow(rows, r + 3, head: head), panel: panelBase + p * headSize * Self.panelWidth, depth: headSize,
                            out: s + r * block + (p - panel) * Self.panelWidth, outStride: block)
                    }
                }
                for r in 0..<paddedRows {
                    let row = s + r * block
                    let position = start + rows.lowerBound + r
                    let first = r < rows.count ? shape.firstKey(position) : Int.max
                    guard first <= position, first < key0 + width, position >= key0 else {
                        row.update(repeating: 0, count: width)
                        continue
                    }
                    var lanesMaximum = SIMD8<Float>(repeating: -.infinity)
                    let last = Float(position), front = Float(first)
                    var j = 0
                    while j < width {
                        let key = SIMD8<Float>(repeating: Float(key0 + j)) + lanes
                        let v = adjust(UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self), scale: scale)
                            .replacing(with: -.infinity, where: key .> last).replacing(with: -.infinity, where: key .< front)
                        UnsafeMutableRawPointer(row + j).storeBytes(of: v, as: SIMD8<Float>.self)
                        lanesMaximum.replace(with: v, where: v .> lanesMaximum)
                        j += 8
                    }
                    let blockMax = Self.laneMaximum(lanesMaximum)
                    let newMax = Swift.max(maxima[r], blockMax)
                    let correction = maxima[r] == -.infinity ? 0 : Foundation.exp(maxima[r] - newMax)
                    var sum = SIMD8<Float>()
                    j = 0
                    while j < width {
                        let v = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
                        let e = Self.exp8(v - newMax).replacing(with: 0, where: v .== -.infinity)
                        UnsafeMutableRawPointer(row + j).storeBytes(of: e, as: SIMD8<Float>.self)
                        sum += e
                        j += 8
                    }
                    sums[r] = sums[r] * correction + sum.sum()
                    maxima[r] = newMax
                    if correction != 1 {
                        let out = o + r * headSize
                        for d in 0..<headSize { out[d] *= correction }
                    }
                }
                let high = Swift.min(total, key0 + width)
                for g in 0..<groups {
                    let r = g * Self.rowGroup
                    valueTile(p: s + r * block - key0, pStride: block, keys: key0..<high, kvHead: kvHead, out: o + r * headSize)
                }
                panel = panelEnd
            }
            for r in 0..<rows.count {
                let inverse = sums[r] > 0 ? 1 / sums[r] : 0
                let out = o + r * headSize
                for d in 0..<headSize { out[d] *= inverse }
            }
        }
    }

    // MARK: Register tiles

    /// `out[r][c] = Σ_d q_r[d] · panel[d][c]` for 4 query rows and the panel's 16 keys: eight
    /// accumulators stay in registers over the head's width.
    @inline(__always)
    static func scoreTile(
        _ q0: UnsafePointer<Float>, _ q1: UnsafePointer<Float>, _ q2: UnsafePointer<Float>, _ q3: UnsafePointer<Float>,
        panel: UnsafePointer<Float>, depth: Int, out: UnsafeMutablePointer<Float>, outStride: Int
    ) {
        var a0 = SIMD8<Float>(), b0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b1 = SIMD8<Float>()
        var a2 = SIMD8<Float>(), b2 = SIMD8<Float>(), a3 = SIMD8<Float>(), b3 = SIMD8<Float>()
        var k = UnsafeRawPointer(panel)
        for d in 0..<depth {
            let k0 = k.loadUnaligned(as: SIMD8<Float>.self)
            let k1 = k.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            let x0 = SIMD8<Float>(repeating: q0[d]), x1 = SIMD8<Float>(repeating: q1[d])
            let x2 = SIMD8<Float>(repeating: q2[d]), x3 = SIMD8<Float>(repeating: q3[d])
            a0.addProduct(x0, k0); b0.addProduct(x0, k1)
            a1.addProduct(x1, k0); b1.addProduct(x1, k1)
            a2.addProduct(x2, k0); b2.addProduct(x2, k1)
            a3.addProduct(x3, k0); b3.addProduct(x3, k1)
            k += 64
        }
        let o = UnsafeMutableRawPointer(out), step = outStride * 4
        o.storeBytes(of: a0, as: SIMD8<Float>.self); o.storeBytes(of: b0, toByteOffset: 32, as: SIMD8<Float>.self)
        o.storeBytes(of: a1, toByteOffset: step, as: SIMD8<Float>.self); o.storeBytes(of: b1, toByteOffset: step + 32, as: SIMD8<Float>.self)
        o.storeBytes(of: a2, toByteOffset: 2 * step, as: SIMD8<Float>.self); o.storeBytes(of: b2, toByteOffset: 2 * step + 32, as: SIMD8<Float>.self)
        o.storeBytes(of: a3, toByteOffset: 3 * step, as: SIMD8<Float>.self); o.storeBytes(of: b3, toByteOffset: 3 * step + 32, as: SIMD8<Float>.self)
    }

    /// `out[r] += Σ_j p[r][j] · v_j` for 4 rows (`out` (4, headSize), `p` rows `pStride` apart,
    /// indexed by key) over `keys`, 16 dimensions at a time in registers.
    @inline(__always)
    func valueTile(p: UnsafePointer<Float>, pStride: Int, keys: Range<Int>, kvHead: Int, out: UnsafeMutablePointer<Float>) {
        let kvWidth = shape.kvWidth
        let v = values + kvHead * headSize
        let p0 = p, p1 = p + pStride, p2 = p + 2 * pStride, p3 = p + 3 * pStride
        let o0 = UnsafeMutableRawPointer(out), o1 = UnsafeMutableRawPointer(out + headSize)
        let o2 = UnsafeMutableRawPointer(out + 2 * headSize), o3 = UnsafeMutableRawPointer(out + 3 * headSize)
        var d = 0
        while d + 16 <= headSize {
            let at = d * 4
            var a0 = o0.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self), b0 = o0.loadUnaligned(fromByteOffset: at + 32, as: SIMD8<Float>.self)
            var a1 = o1.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self), b1 = o1.loadUnaligned(fromByteOffset: at + 32, as: SIMD8<Float>.self)
            var a2 = o2.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self), b2 = o2.loadUnaligned(fromByteOffset: at + 32, as: SIMD8<Float>.self)
            var a3 = o3.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self), b3 = o3.loadUnaligned(fromByteOffset: at + 32, as: SIMD8<Float>.self)
            for j in keys {
                let row = UnsafeRawPointer(v + j * kvWidth + d)
                let v0 = row.loadUnaligned(as: SIMD8<Float>.self), v1 = row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                let x0 = SIMD8<Float>(repeating: p0[j]), x1 = SIMD8<Float>(repeating: p1[j])
                let x2 = SIMD8<Float>(repeating: p2[j]), x3 = SIMD8<Float>(repeating: p3[j])
                a0.addProduct(x0, v0); b0.addProduct(x0, v1)
                a1.addProduct(x1, v0); b1.addProduct(x1, v1)
                a2.addProduct(x2, v0); b2.addProduct(x2, v1)
                a3.addProduct(x3, v0); b3.addProduct(x3, v1)
            }
            o0.storeBytes(of: a0, toByteOffset: at, as: SIMD8<Float>.self); o0.storeBytes(of: b0, toByteOffset: at + 32, as: SIMD8<Float>.self)
            o1.storeBytes(of: a1, toByteOffset: at, as: SIMD8<Float>.self); o1.storeBytes(of: b1, toByteOffset: at + 32, as: SIMD8<Float>.self)
            o2.storeBytes(of: a2, toByteOffset: at, as: SIMD8<Float>.self); o2.storeBytes(of: b2, toByteOffset: at + 32, as: SIMD8<Float>.self)
            o3.storeBytes(of: a3, toByteOffset: at, as: SIMD8<Float>.self); o3.storeBytes(of: b3, toByteOffset: at + 32, as: SIMD8<Float>.self)
            d += 16
        }
        while d + 8 <= headSize {
            let at = d * 4
            var a0 = o0.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self), a1 = o1.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self)
            var a2 = o2.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self), a3 = o3.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self)
            for j in keys {
                let v0 = UnsafeRawPointer(v + j * kvWidth + d).loadUnaligned(as: SIMD8<Float>.self)
                a0.addProduct(SIMD8(repeating: p0[j]), v0); a1.addProduct(SIMD8(repeating: p1[j]), v0)
                a2.addProduct(SIMD8(repeating: p2[j]), v0); a3.addProduct(SIMD8(repeating: p3[j]), v0)
            }
            o0.storeBytes(of: a0, toByteOffset: at, as: SIMD8<Float>.self); o1.storeBytes(of: a1, toByteOffset: at, as: SIMD8<Float>.self)
            o2.storeBytes(of: a2, toByteOffset: at, as: SIMD8<Float>.self); o3.storeBytes(of: a3, toByteOffset: at, as: SIMD8<Float>.self)
            d += 8
        }
    }

    /// The largest of the eight lanes (a tree of scalar maxima: the generic reduction was a call per vector).
    @inline(__always)
    static func laneMaximum(_ v: SIMD8<Float>) -> Float {
        Swift.max(Swift.max(Swift.max(v[0], v[1]), Swift.max(v[2], v[3])), Swift.max(Swift.max(v[4], v[5]), Swift.max(v[6], v[7])))
    }

    // MARK: Exponential

    /// e^x for eight lanes (Cephes' expf: 2ⁿ · e^r with r = x − n·ln 2 in [−ln 2/2, ln 2/2] and a
    /// degree-5 polynomial; within 2 ulp of the C library's expf over the softmax's range x ≤ 0).
    /// Lanes below −87.3 give 0; −∞ gives 0.
    @inline(__always)
    static func exp8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let underflow = x .< -87.3
        let clamped = x.replacing(with: -87.3, where: underflow).replacing(with: 88.3, where: x .> 88.3)
        // Round x·log2(e) to the nearest integer with the 1.5·2²³ trick; its low bits are n.
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let shifted = clamped * 1.442_695_04 + magic
        let n = shifted - magic
        var r = clamped.addingProduct(n, SIMD8(repeating: -0.693_359_375))
        r = r.addingProduct(n, SIMD8(repeating: 2.121_944_4e-4))
        var y = SIMD8<Float>(repeating: 1.987_569_15e-4)
        y = SIMD8(repeating: 1.398_199_950_7e-3).addingProduct(y, r)
        y = SIMD8(repeating: 8.333_451_907_3e-3).addingProduct(y, r)
        y = SIMD8(repeating: 4.166_579_589_4e-2).addingProduct(y, r)
        y = SIMD8(repeating: 1.666_666_545_9e-1).addingProduct(y, r)
        y = SIMD8(repeating: 5.000_000_120_1e-1).addingProduct(y, r)
        y = (r + 1).addingProduct(y, r * r)
        let bits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        let power = unsafeBitCast((bits &+ 127) &<< 23, to: SIMD8<Float>.self)
        return (y * power).replacing(with: 0, where: underflow)
    }
}

import Foundation
import TokenscopeKernels

// MARK: - Causal grouped-query attention

/// The attention step of one block, kept explicit (no fused kernel) so every probability can be shown.
enum Attention {
    /// For each new query position `start + t` and head `h`: softmax(q·kⱼ / √headSize) over the
    /// keys it sees of KV head `h / groupSize` — `0...start + t`, or the last `window` of them in a
    /// sliding-window layer — then the weighted sum of values. Scores are squashed by
    /// cap·tanh(s / cap) first when the shape has a softcap. Keys outside the window get
    /// probability 0 (and score −∞).
    ///
    /// - queries: (batch, heads × headSize), rotated.
    /// - keys, values: (total, kvHeads × headSize) for every position so far, keys rotated.
    /// - output: (batch, heads × headSize); when empty, the weighted sum of values is skipped (a
    ///   recomputation for the views wants only the weights).
    /// - probabilities, scores: when not empty, (batch, heads.count, total) receive each row.
    /// - heads: the query heads to compute (all by default).
    /// - rowsOut: when given, also handed every row on the tiled path (head, batch row,
    ///   probabilities, scores, entropy in bits), as `tiled` hands them out.
    /// Returns whether `rowsOut` saw the rows (the tiled path ran).
    @discardableResult
    static func run(
        queries: [Float], keys: [Float], values: [Float], shape: AttentionShape, start: Int, batch: Int,
        into output: inout [Float], probabilities: inout [Float], scores: inout [Float], heads: Range<Int>? = nil,
        rowsOut: ((Int, Int, UnsafePointer<Float>, UnsafePointer<Float>?, Float) -> Void)? = nil
    ) -> Bool {
        let heads = heads ?? 0..<shape.headCount
        if batch >= AttentionTiles.rowGroup && shape.headSize % 8 == 0 {
            let wantsWeights = !probabilities.isEmpty || !scores.isEmpty || rowsOut != nil
            let total = start + batch, headCount = heads.count
            probabilities.withUnsafeMutableBufferPointer { pp in
                scores.withUnsafeMutableBufferPointer { sp in
                    let probabilityBase = pp.isEmpty ? nil : SendableMutableBuffer(pp)
                    let scoreBase = sp.isEmpty ? nil : SendableMutableBuffer(sp)
                    tiled(
                        queries: queries, keys: keys, values: values, shape: shape, start: start, batch: batch, heads: heads,
                        into: &output, wantsScores: scoreBase != nil, rowsOut: wantsWeights ? { head, t, probability, score, entropy in
                            let position = start + t, row = (t * headCount + head - heads.lowerBound) * total
                            if let probabilityBase { (probabilityBase.base + row).update(from: probability, count: position + 1) }
                            if let scoreBase, let score { (scoreBase.base + row).update(from: score, count: position + 1) }
                            rowsOut?(head, t, probability, score, entropy)
                        } : nil)
                }
            }
            return true
        }
        let total = start + batch
        let headCount = heads.count
        let headSize = shape.headSize
        let queryWidth = shape.queryWidth, kvWidth = shape.kvWidth, groupSize = shape.groupSize
        let scale = 1 / Float(headSize).squareRoot()
        let cap = shape.softcap ?? 0
        let capped = shape.softcap != nil
        queries.withUnsafeBufferPointer { qp in
            keys.withUnsafeBufferPointer { kp in
                values.withUnsafeBufferPointer { vp in
                    output.withUnsafeMutableBufferPointer { op in
                      probabilities.withUnsafeMutableBufferPointer { pp in
                       scores.withUnsafeMutableBufferPointer { sp in
                        let q = SendableBuffer(qp), k = SendableBuffer(kp), v = SendableBuffer(vp)
                        let o = op.isEmpty ? nil : SendableMutableBuffer(op)
                        let probabilityBase = pp.isEmpty ? nil : SendableMutableBuffer(pp)
                        let scoreBase = sp.isEmpty ? nil : SendableMutableBuffer(sp)
                        Parallel.forEach(batch * headCount) { item in
                            let t = item / headCount, head = heads.lowerBound + item % headCount
                            let position = start + t
                            let first = shape.firstKey(position)
                            let kvOffset = head / groupSize * headSize
                            let query = q.base + t * queryWidth + head * headSize
                            withUnsafeTemporaryAllocation(of: Float.self, capacity: position + 1) { row in
                                // Scores.
                                var maximum = -Float.infinity
                                for j in 0..<first { row[j] = -Float.infinity }
                                for j in first...position {
                                    var s = dot(query, k.base + j * kvWidth + kvOffset, count: headSize) * scale
                                    if capped { s = cap * tanh(s / cap) }
                                    row[j] = s
                                    maximum = max(maximum, s)
                                }
                                if let scoreBase {
                                    let destination = scoreBase.base + (t * headCount + head - heads.lowerBound) * total
                                    for j in 0...position { destination[j] = row[j] }
                                }
                                // Softmax.
                                var sum: Float = 0
                                for j in 0..<first { row[j] = 0 }
                                for j in first...position {
                                    let e = exp(row[j] - maximum)
                                    row[j] = e
                                    sum += e
                                }
                                let inverse = 1 / sum
                                for j in first...position { row[j] *= inverse }
                                if let probabilityBase {
                                    let destination = probabilityBase.base + (t * headCount + head - heads.lowerBound) * total
                                    for j in 0...position { destination[j] = row[j] }
                                }
                                // Weighted sum of values.
                                guard let o else { return }
                                let out = o.base + t * queryWidth + head * headSize
                                for i in 0..<headSize { out[i] = 0 }
                                for j in first...position {
                                    axpy(row[j], v.base + j * kvWidth + kvOffset, out, count: headSize)
                                }
                            }
                        }
                       }
                      }
                    }
                }
            }
        }
        return false
    }

    /// The tiled attention of query rows `0..<batch` (positions `start...`) and `heads`: the
    /// weighted sum of values into `output` (batch, heads × headSize) unless it is empty, and, when
    /// `rowsOut` is given, each row's weights handed to it (query head, row, probabilities over keys
    /// `0...position`, scores when `wantsScores`, entropy in bits) — called from worker threads,
    /// each (head, row) once, rows of a block of `AttentionTiles.queryBlock` in order on one thread.
    /// Needs a head size that is a multiple of 8.
    static func tiled(
        queries: [Float], keys: [Float], values: [Float], shape: AttentionShape, start: Int, batch: Int, heads: Range<Int>,
        into output: inout [Float], wantsScores: Bool,
        rowsOut: ((Int, Int, UnsafePointer<Float>, UnsafePointer<Float>?, Float) -> Void)?
    ) {
        let total = start + batch
        let panelCount = AttentionTiles.panelCount(total: total)
        let packedCount = shape.kvHeadCount * panelCount * shape.headSize * AttentionTiles.panelWidth
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, packedCount)) { packed in  // (kvHeads, panels, headSize, 16)
            let packedBase = packed.baseAddress.unsafelyUnwrapped
            keys.withUnsafeBufferPointer { kp in
                AttentionTiles.packKeys(kp.baseAddress.unsafelyUnwrapped, total: total, shape: shape, into: packedBase)
            }
            queries.withUnsafeBufferPointer { qp in
                values.withUnsafeBufferPointer { vp in
                    output.withUnsafeMutableBufferPointer { op in
                        let tiles = AttentionTiles(
                            queries: qp.baseAddress.unsafelyUnwrapped, panels: UnsafePointer(packedBase), values: vp.baseAddress.unsafelyUnwrapped,
                            shape: shape, start: start, batch: batch, panelCount: panelCount)
                        let o = op.isEmpty ? nil : SendableMutableBuffer(op)
                        let blocks = (batch + AttentionTiles.queryBlock - 1) / AttentionTiles.queryBlock
                        let headCount = heads.count
                        // The last blocks (the most keys) first, so the long items do not finish last.
                        Parallel.forEach(blocks * headCount) { item in
                            let block = blocks - 1 - item / headCount, head = heads.lowerBound + item % headCount
                            let rows = (block * AttentionTiles.queryBlock)..<min(batch, (block + 1) * AttentionTiles.queryBlock)
                            tiles.run(
                                rows: rows, head: head, output: o?.base, wantsScores: wantsScores,
                                rowsOut: rowsOut.map { out in { t, probability, score, entropy in out(head, t, probability, score, entropy) } })
                        }
                    }
                }
            }
        }
    }

    /// Σ a[i]·b[i] over `count` floats (a multiple of 8 runs fully in SIMD).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
            let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            acc.addProduct(x, y)
            i += 8
        }
        var sum = SIMDReduce.sum(acc)
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// y += a·x over `count` floats.
    @inline(__always)
    static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let s = SIMD8<Float>(repeating: a)
        while i + 8 <= count {
            var acc = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            acc.addProduct(s, UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
            UnsafeMutableRawPointer(y + i).storeBytes(of: acc, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            y[i] += a * x[i]
            i += 1
        }
    }
}

// MARK: - Sendable pointer wrappers

/// A read-only buffer base shared with worker threads that only read it.
struct SendableBuffer<Element>: @unchecked Sendable {
    let base: UnsafePointer<Element>
    init(_ buffer: UnsafeBufferPointer<Element>) {
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Element>.alignment).unsafelyUnwrapped
    }
}

/// A writable buffer base shared with worker threads that write disjoint parts of it.
struct SendableMutableBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        base = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment).unsafelyUnwrapped
    }
}

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
    static func run(
        queries: [Float], keys: [Float], values: [Float], shape: AttentionShape, start: Int, batch: Int,
        into output: inout [Float], probabilities: inout [Float], scores: inout [Float], heads: Range<Int>? = nil
    ) {
        let total = start + batch
        let heads = heads ?? 0..<shape.headCount
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
struct SendableBuffer: @unchecked Sendable {
    let base: UnsafePointer<Float>
    init(_ buffer: UnsafeBufferPointer<Float>) {
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Float>.alignment).unsafelyUnwrapped
    }
}

/// A writable buffer base shared with worker threads that write disjoint parts of it.
struct SendableMutableBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    init(_ buffer: UnsafeMutableBufferPointer<Float>) {
        base = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Float>.alignment).unsafelyUnwrapped
    }
}

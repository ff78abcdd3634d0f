import TokenscopeFormats

// MARK: - Fused dot products

/// Dot products of one stored weight row with f32 activations, without dequantising to memory.
public enum RowDot {
    /// y[o] = W[o]·x for o in `range`, with the fused kernel of the weight's type.
    /// Kept in this file, and not inlined elsewhere: SwiftPM compiles each file of a module to its own
    /// LLVM module (`-num-threads`), and the SIMD conversions must sit in the same one as the loop
    /// to be inlined.
    @inline(never)
    static func vectorRows(
        _ weight: TensorView, _ base: UnsafeRawPointer, _ x: UnsafePointer<Float>, sums: UnsafePointer<Float>,
        range: Range<Int>, into y: UnsafeMutablePointer<Float>
    ) {
        let inputs = weight.columns, stride = weight.rowStride
        switch weight.type {
        case .q4_1 where inputs % 32 == 0:
            var o = range.lowerBound
            while o + 2 <= range.upperBound {
                let row = base + o * stride
                (y[o], y[o + 1]) = dotQ4_1Pair(row, row + stride, x, sums: sums, blocks: inputs / 32)
                o += 2
            }
            if o < range.upperBound { y[o] = dotQ4_1(base + o * stride, x, sums: sums, blocks: inputs / 32) }
        case .q8_0 where inputs % 32 == 0:
            for o in range { y[o] = dotQ8_0(base + o * stride, x, blocks: inputs / 32) }
        case .q4_K where inputs % 256 == 0:
            for o in range { y[o] = dotQ4_K(base + o * stride, x, sums: sums, superBlocks: inputs / 256) }
        default:
            for o in range { y[o] = dot(weight.type, base + o * stride, x, count: inputs) }
        }
    }

    /// Σ w[i]·x[i] over `count` elements (a whole number of blocks) of a row of `type`.
    /// Unsupported types give NaN.
    public static func dot(_ type: TensorType, _ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        switch type {
        case .q4_1: return dotQ4_1(row, x, blocks: count / 32)
        case .q8_0: return dotQ8_0(row, x, blocks: count / 32)
        case .f32: return dotF32(row.assumingMemoryBound(to: Float.self), x, count: count)
        case .f16: return dotF16(row, x, count: count)
        case .q6_K: return dotQ6_K(row, x, superBlocks: count / 256)
        case .q4_K:
            return withUnsafeTemporaryAllocation(of: Float.self, capacity: count / 32) { buffer -> Float in
                guard let sums = buffer.baseAddress else { return .nan }
                blockSums(x, blocks: count / 32, into: sums)
                return dotQ4_K(row, x, sums: sums, superBlocks: count / 256)
            }
        default:
            return withUnsafeTemporaryAllocation(of: Float.self, capacity: count) { buffer -> Float in
                guard let w = buffer.baseAddress, Dequantizer.dequantize(type, row, count: count, into: w) else { return .nan }
                return dotF32(w, x, count: count)
            }
        }
    }

    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Σ a[i]·b[i] for f32 vectors.
    @inline(__always)
    public static func dotF32(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            s0.addProduct(load8(a + i), load8(b + i))
            s1.addProduct(load8(a + i + 8), load8(b + i + 8))
            i += 16
        }
        var sum = SIMDReduce.sum(s0 + s1)
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// Four dot products of one f32 row `w` with four vectors, sharing the loads of `w`.
    @inline(__always)
    static func dot4(
        _ w: UnsafePointer<Float>, _ x0: UnsafePointer<Float>, _ x1: UnsafePointer<Float>, _ x2: UnsafePointer<Float>,
        _ x3: UnsafePointer<Float>, count: Int
    ) -> (Float, Float, Float, Float) {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let wv = load8(w + i)
            s0.addProduct(wv, load8(x0 + i))
            s1.addProduct(wv, load8(x1 + i))
            s2.addProduct(wv, load8(x2 + i))
            s3.addProduct(wv, load8(x3 + i))
            i += 8
        }
        var r = (SIMDReduce.sum(s0), SIMDReduce.sum(s1), SIMDReduce.sum(s2), SIMDReduce.sum(s3))
        while i < count {
            r.0 += w[i] * x0[i]
            r.1 += w[i] * x1[i]
            r.2 += w[i] * x2[i]
            r.3 += w[i] * x3[i]
            i += 1
        }
        return r
    }

    /// Q4_1: Σ_blocks d·Σ q·x + m·Σ x.
    @inline(__always)
    static func dotQ4_1(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, blocks: Int) -> Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: blocks) { buffer -> Float in
            guard let sums = buffer.baseAddress else { return .nan }
            blockSums(x, blocks: blocks, into: sums)
            return dotQ4_1(row, x, sums: sums, blocks: blocks)
        }
    }

    /// Σ x over each block of 32: the minimum term of Q4_1 and Q4_K, shared by every row.
    static func blockSums(_ x: UnsafePointer<Float>, blocks: Int, into sums: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let xs = x + b * 32
            sums[b] = ((load8(xs) + load8(xs + 8)) + (load8(xs + 16) + load8(xs + 24))).sum()
        }
    }

    /// The eight nibbles of bytes `offset..<offset + 8`, low (weights offset…) and high (weights 16 + offset…).
    @inline(__always)
    static func nibbles(_ p: UnsafeRawPointer, _ offset: Int) -> (low: SIMD8<Float>, high: SIMD8<Float>) {
        let bytes = SIMD8<Int32>(truncatingIfNeeded: p.loadUnaligned(fromByteOffset: offset, as: SIMD8<UInt8>.self))
        return (SIMD8<Float>(bytes & 15), SIMD8<Float>(bytes &>> 4))
    }

    /// Q4_1 with the block sums of `x` precomputed (`blockSums`): Σ_blocks d·Σ q·x + m·Σ x.
    /// Bytes 0..15 of a block hold weights 0..15 in their low nibbles and 16..31 in their high ones,
    /// so zero-extending 8 bytes at a time gives two runs of 8 weights in natural order.
    @inline(__always)
    static func dotQ4_1(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, sums: UnsafePointer<Float>, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        var minimums: Float = 0
        for b in 0..<blocks {
            let p = row + b * 20, xs = x + b * 32
            let (a0, a1) = nibbles(p, 4), (b0, b1) = nibbles(p, 12)
            var s = a0 * load8(xs)
            s.addProduct(b0, load8(xs + 8))
            s.addProduct(a1, load8(xs + 16))
            s.addProduct(b1, load8(xs + 24))
            acc.addProduct(s, SIMD8(repeating: Dequantizer.half(p, 0)))
            minimums += Dequantizer.half(p, 2) * sums[b]
        }
        return acc.sum() + minimums
    }

    /// Two Q4_1 rows against the same `x`, sharing its loads.
    @inline(__always)
    static func dotQ4_1Pair(
        _ row0: UnsafeRawPointer, _ row1: UnsafeRawPointer, _ x: UnsafePointer<Float>, sums: UnsafePointer<Float>, blocks: Int
    ) -> (Float, Float) {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var minimums0: Float = 0, minimums1: Float = 0
        for b in 0..<blocks {
            let p = row0 + b * 20, q = row1 + b * 20, xs = x + b * 32
            let x0 = load8(xs), x1 = load8(xs + 8), x2 = load8(xs + 16), x3 = load8(xs + 24)
            let (a0, a1) = nibbles(p, 4), (b0, b1) = nibbles(p, 12)
            var s = a0 * x0
            s.addProduct(b0, x1)
            s.addProduct(a1, x2)
            s.addProduct(b1, x3)
            acc0.addProduct(s, SIMD8(repeating: Dequantizer.half(p, 0)))
            minimums0 += Dequantizer.half(p, 2) * sums[b]
            let (c0, c1) = nibbles(q, 4), (d0, d1) = nibbles(q, 12)
            var t = c0 * x0
            t.addProduct(d0, x1)
            t.addProduct(c1, x2)
            t.addProduct(d1, x3)
            acc1.addProduct(t, SIMD8(repeating: Dequantizer.half(q, 0)))
            minimums1 += Dequantizer.half(q, 2) * sums[b]
        }
        return (acc0.sum() + minimums0, acc1.sum() + minimums1)
    }

    /// Eight signed bytes at `offset` as floats.
    @inline(__always)
    static func int8s(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD8<Float> {
        SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int8>.self)))
    }

    /// Q8_0: Σ_blocks d·Σ q·x.
    @inline(__always)
    static func dotQ8_0(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        for b in 0..<blocks {
            let p = row + b * 34, xs = x + b * 32
            var s = int8s(p, 2) * load8(xs)
            s.addProduct(int8s(p, 10), load8(xs + 8))
            s.addProduct(int8s(p, 18), load8(xs + 16))
            s.addProduct(int8s(p, 26), load8(xs + 24))
            acc.addProduct(s, SIMD8(repeating: Dequantizer.half(p, 0)))
        }
        return acc.sum()
    }

    /// F16: Σ w·x with the halves widened eight at a time (F16C).
    @inline(__always)
    static func dotF16(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            acc0.addProduct(SIMD8<Float>(row.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<Float16>.self)), load8(x + i))
            acc1.addProduct(SIMD8<Float>(row.loadUnaligned(fromByteOffset: 2 * i + 16, as: SIMD8<Float16>.self)), load8(x + i + 8))
            i += 16
        }
        var sum = (acc0 + acc1).sum()
        while i < count {
            sum += Dequantizer.half(row, 2 * i) * x[i]
            i += 1
        }
        return sum
    }

    /// Q4_K (super-blocks of 256: f16 d, f16 dmin, 12 bytes of 6-bit scales and minimums, 128 bytes
    /// of nibbles): Σ_sub-blocks d·scale·Σ q·x − dmin·min·Σ x, with the 32-element sums of x precomputed.
    @inline(__always)
    static func dotQ4_K(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, sums: UnsafePointer<Float>, superBlocks: Int) -> Float {
        var total: Float = 0
        for sb in 0..<superBlocks {
            let p = row + sb * 144
            let d = Dequantizer.half(p, 0), dmin = Dequantizer.half(p, 2)
            let scales = p + 4
            var acc: Float = 0, minimums: Float = 0
            for pair in 0..<4 {
                let q = p + 16 + pair * 32
                let xs = x + sb * 256 + pair * 64
                var low = SIMD8<Float>(), high = SIMD8<Float>()
                for k in 0..<4 {
                    let (l, h) = nibbles(q, k * 8)
                    low.addProduct(l, load8(xs + k * 8))
                    high.addProduct(h, load8(xs + 32 + k * 8))
                }
                let (scale0, min0) = Dequantizer.scaleMin(2 * pair, scales)
                let (scale1, min1) = Dequantizer.scaleMin(2 * pair + 1, scales)
                acc += scale0 * low.sum() + scale1 * high.sum()
                minimums += min0 * sums[sb * 8 + 2 * pair] + min1 * sums[sb * 8 + 2 * pair + 1]
            }
            total += d * acc - dmin * minimums
        }
        return total
    }

    /// Q6_K (super-blocks of 256: 128 bytes of low nibbles, 64 bytes of 2-bit high parts, 16 int8
    /// scales, f16 d): Σ d·scale·(q − 32)·x, eight weights at a time.
    @inline(__always)
    static func dotQ6_K(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, superBlocks: Int) -> Float {
        var total: Float = 0
        for sb in 0..<superBlocks {
            let p = row + sb * 210
            let d = Dequantizer.half(p, 208)
            var acc: Float = 0
            for half in 0..<2 {
                let ql = p + half * 64, qh = p + 128 + half * 32, sc = p + 192 + half * 8
                let xs = x + sb * 256 + half * 128
                for l in stride(from: 0, to: 32, by: 8) {
                    let a = SIMD8<Int32>(truncatingIfNeeded: ql.loadUnaligned(fromByteOffset: l, as: SIMD8<UInt8>.self))
                    let b = SIMD8<Int32>(truncatingIfNeeded: ql.loadUnaligned(fromByteOffset: l + 32, as: SIMD8<UInt8>.self))
                    let h = SIMD8<Int32>(truncatingIfNeeded: qh.loadUnaligned(fromByteOffset: l, as: SIMD8<UInt8>.self))
                    let q1 = SIMD8<Float>(((a & 15) | ((h & 3) &<< 4)) &- 32)
                    let q2 = SIMD8<Float>(((b & 15) | (((h &>> 2) & 3) &<< 4)) &- 32)
                    let q3 = SIMD8<Float>(((a &>> 4) | (((h &>> 4) & 3) &<< 4)) &- 32)
                    let q4 = SIMD8<Float>(((b &>> 4) | (((h &>> 6) & 3) &<< 4)) &- 32)
                    let i = l / 16
                    func scale(_ k: Int) -> Float { Float(sc.load(fromByteOffset: k, as: Int8.self)) }
                    acc += scale(i) * (q1 * load8(xs + l)).sum()
                    acc += scale(i + 2) * (q2 * load8(xs + l + 32)).sum()
                    acc += scale(i + 4) * (q3 * load8(xs + l + 64)).sum()
                    acc += scale(i + 6) * (q4 * load8(xs + l + 96)).sum()
                }
            }
            total += d * acc
        }
        return total
    }
}

import TokenscopeFormats

// MARK: - Fused dot products

/// Dot products of one stored weight row with f32 activations, without dequantising to memory.
public enum RowDot {
    /// Σ w[i]·x[i] over `count` elements (a whole number of blocks) of a row of `type`.
    /// Unsupported types give NaN.
    public static func dot(_ type: TensorType, _ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        switch type {
        case .q4_1: return dotQ4_1(row, x, blocks: count / 32)
        case .q8_0: return dotQ8_0(row, x, blocks: count / 32)
        case .f32: return dotF32(row.assumingMemoryBound(to: Float.self), x, count: count)
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

    @inline(__always)
    static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
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
        var sum = PermutedDot.horizontalSum(s0 + s1)
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
        var r = (PermutedDot.horizontalSum(s0), PermutedDot.horizontalSum(s1), PermutedDot.horizontalSum(s2), PermutedDot.horizontalSum(s3))
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
        var acc = SIMD16<Float>()
        var minimums: Float = 0
        let mask = SIMD16<UInt8>(repeating: 0x0F)
        for b in 0..<blocks {
            let p = row + b * 20
            let d = Dequantizer.half(p, 0), m = Dequantizer.half(p, 2)
            let q = p.loadUnaligned(fromByteOffset: 4, as: SIMD16<UInt8>.self)
            let low = SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: q & mask))
            let high = SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: q &>> 4))
            let xl = load16(x + b * 32), xh = load16(x + b * 32 + 16)
            var s = low * xl
            s.addProduct(high, xh)
            acc.addProduct(s, SIMD16(repeating: d))
            minimums += m * (xl + xh).sum()
        }
        return acc.sum() + minimums
    }

    /// Q8_0: Σ_blocks d·Σ q·x.
    @inline(__always)
    static func dotQ8_0(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, blocks: Int) -> Float {
        var acc = SIMD16<Float>()
        for b in 0..<blocks {
            let p = row + b * 34
            let d = Dequantizer.half(p, 0)
            let q0 = SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: p.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int8>.self)))
            let q1 = SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: p.loadUnaligned(fromByteOffset: 18, as: SIMD16<Int8>.self)))
            var s = q0 * load16(x + b * 32)
            s.addProduct(q1, load16(x + b * 32 + 16))
            acc.addProduct(s, SIMD16(repeating: d))
        }
        return acc.sum()
    }
}

import TokenscopeFormats

// MARK: - Dequantisation

/// Turns rows of any supported tensor type back into f32 values, bit-exact to GGML's reference
/// `dequantize_row_*` functions (same operations in the same order).
public enum Dequantizer {
    /// Reads the f16 at `offset` bytes past `p`.
    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    /// Dequantises `count` elements (a whole number of blocks) of `type` from `source` into `destination`.
    /// Returns false, writing nothing, for an unsupported type or a partial block.
    @discardableResult
    public static func dequantize(
        _ type: TensorType, _ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>
    ) -> Bool {
        guard type.isSupported, count >= 0, count % type.blockSize == 0 else { return false }
        let blocks = count / type.blockSize
        let y = destination
        switch type {
        case .f32:
            for i in 0..<count { y[i] = source.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
        case .f16:
            for i in 0..<count { y[i] = half(source, 2 * i) }
        case .bf16:
            for i in 0..<count {
                y[i] = Float(bitPattern: UInt32(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
            }
        case .q8_0:
            for b in 0..<blocks {
                let p = source + b * 34
                let d = half(p, 0)
                for j in 0..<32 { y[b * 32 + j] = Float(p.load(fromByteOffset: 2 + j, as: Int8.self)) * d }
            }
        case .q4_0:
            for b in 0..<blocks {
                let p = source + b * 18
                let d = half(p, 0)
                for j in 0..<16 {
                    let q = p.load(fromByteOffset: 2 + j, as: UInt8.self)
                    y[b * 32 + j] = Float(Int(q & 0x0F) - 8) * d
                    y[b * 32 + j + 16] = Float(Int(q >> 4) - 8) * d
                }
            }
        case .q4_1:
            for b in 0..<blocks {
                let p = source + b * 20
                let d = half(p, 0), m = half(p, 2)
                for j in 0..<16 {
                    let q = p.load(fromByteOffset: 4 + j, as: UInt8.self)
                    y[b * 32 + j] = Float(q & 0x0F) * d + m
                    y[b * 32 + j + 16] = Float(q >> 4) * d + m
                }
            }
        case .q5_0:
            for b in 0..<blocks {
                let p = source + b * 22
                let d = half(p, 0)
                let qh = p.loadUnaligned(fromByteOffset: 2, as: UInt32.self).littleEndian
                for j in 0..<16 {
                    let q = p.load(fromByteOffset: 6 + j, as: UInt8.self)
                    let h0 = UInt8(truncatingIfNeeded: ((qh >> UInt32(j)) << 4) & 0x10)
                    let h1 = UInt8(truncatingIfNeeded: (qh >> UInt32(j + 12)) & 0x10)
                    y[b * 32 + j] = Float(Int((q & 0x0F) | h0) - 16) * d
                    y[b * 32 + j + 16] = Float(Int((q >> 4) | h1) - 16) * d
                }
            }
        case .q5_1:
            for b in 0..<blocks {
                let p = source + b * 24
                let d = half(p, 0), m = half(p, 2)
                let qh = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
                for j in 0..<16 {
                    let q = p.load(fromByteOffset: 8 + j, as: UInt8.self)
                    let h0 = UInt8(truncatingIfNeeded: ((qh >> UInt32(j)) << 4) & 0x10)
                    let h1 = UInt8(truncatingIfNeeded: (qh >> UInt32(j + 12)) & 0x10)
                    y[b * 32 + j] = Float((q & 0x0F) | h0) * d + m
                    y[b * 32 + j + 16] = Float((q >> 4) | h1) * d + m
                }
            }
        case .q4_K:
            for b in 0..<blocks { dequantizeQ4K(source + b * 144, y + b * 256) }
        case .q5_K:
            for b in 0..<blocks { dequantizeQ5K(source + b * 176, y + b * 256) }
        case .q6_K:
            for b in 0..<blocks { dequantizeQ6K(source + b * 210, y + b * 256) }
        case .q8_K:
            for b in 0..<blocks {
                let p = source + b * 292
                let d = p.loadUnaligned(as: Float.self)
                for j in 0..<256 { y[b * 256 + j] = d * Float(p.load(fromByteOffset: 4 + j, as: Int8.self)) }
            }
        default:
            return false
        }
        return true
    }

    // MARK: K-quants

    /// The 6-bit scale and minimum of sub-block `j` from a K-quant's 12 packed scale bytes.
    @inline(__always)
    static func scaleMin(_ j: Int, _ q: UnsafeRawPointer) -> (Float, Float) {
        func byte(_ i: Int) -> UInt8 { q.load(fromByteOffset: i, as: UInt8.self) }
        if j < 4 {
            return (Float(byte(j) & 63), Float(byte(j + 4) & 63))
        }
        let scale = (byte(j + 4) & 0x0F) | ((byte(j - 4) >> 6) << 4)
        let minimum = (byte(j + 4) >> 4) | ((byte(j) >> 6) << 4)
        return (Float(scale), Float(minimum))
    }

    /// Q4_K: f16 d, f16 dmin, 12 scale bytes, 128 bytes of nibbles; 8 sub-blocks of 32.
    static func dequantizeQ4K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), dmin = half(p, 2)
        let scales = p + 4
        var q = p + 16
        var out = y
        for j in stride(from: 0, to: 8, by: 2) {
            let (sc1, m1) = scaleMin(j, scales)
            let (sc2, m2) = scaleMin(j + 1, scales)
            let d1 = d * sc1, min1 = dmin * m1
            let d2 = d * sc2, min2 = dmin * m2
            for l in 0..<32 { out[l] = d1 * Float(q.load(fromByteOffset: l, as: UInt8.self) & 0x0F) - min1 }
            for l in 0..<32 { out[32 + l] = d2 * Float(q.load(fromByteOffset: l, as: UInt8.self) >> 4) - min2 }
            out += 64
            q += 32
        }
    }

    /// Q5_K: f16 d, f16 dmin, 12 scale bytes, 32 bytes of high bits, 128 bytes of nibbles.
    static func dequantizeQ5K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), dmin = half(p, 2)
        let scales = p + 4
        let qh = p + 16
        var ql = p + 48
        var out = y
        var u1: UInt8 = 1, u2: UInt8 = 2
        for j in stride(from: 0, to: 8, by: 2) {
            let (sc1, m1) = scaleMin(j, scales)
            let (sc2, m2) = scaleMin(j + 1, scales)
            let d1 = d * sc1, min1 = dmin * m1
            let d2 = d * sc2, min2 = dmin * m2
            for l in 0..<32 {
                let low = ql.load(fromByteOffset: l, as: UInt8.self), high = qh.load(fromByteOffset: l, as: UInt8.self)
                out[l] = d1 * Float((low & 0x0F) + (high & u1 != 0 ? 16 : 0)) - min1
            }
            for l in 0..<32 {
                let low = ql.load(fromByteOffset: l, as: UInt8.self), high = qh.load(fromByteOffset: l, as: UInt8.self)
                out[32 + l] = d2 * Float((low >> 4) + (high & u2 != 0 ? 16 : 0)) - min2
            }
            out += 64
            ql += 32
            u1 <<= 2
            u2 <<= 2
        }
    }

    /// Q6_K: 128 bytes of low nibbles, 64 bytes of high 2-bit pairs, 16 int8 scales, f16 d.
    static func dequantizeQ6K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 208)
        var ql = p, qh = p + 128, sc = p + 192
        var out = y
        for _ in 0..<2 {
            for l in 0..<32 {
                let i = l / 16
                let a = ql.load(fromByteOffset: l, as: UInt8.self), b = ql.load(fromByteOffset: l + 32, as: UInt8.self)
                let h = qh.load(fromByteOffset: l, as: UInt8.self)
                let q1 = Int((a & 0x0F) | ((h >> 0) & 3) << 4) - 32
                let q2 = Int((b & 0x0F) | ((h >> 2) & 3) << 4) - 32
                let q3 = Int((a >> 4) | ((h >> 4) & 3) << 4) - 32
                let q4 = Int((b >> 4) | ((h >> 6) & 3) << 4) - 32
                func scale(_ k: Int) -> Float { Float(sc.load(fromByteOffset: k, as: Int8.self)) }
                out[l] = d * scale(i) * Float(q1)
                out[l + 32] = d * scale(i + 2) * Float(q2)
                out[l + 64] = d * scale(i + 4) * Float(q3)
                out[l + 96] = d * scale(i + 6) * Float(q4)
            }
            out += 128
            ql += 64
            qh += 32
            sc += 8
        }
    }
}

// MARK: - Fast fused dot products on a permuted input

/// Matrix × vector kernels for Q4_1 and Q8_0 that never call a per-lane conversion.
///
/// Quantised bytes are loaded as 32-bit lanes; shifts and masks pull one byte (or nibble) out of
/// every lane at once, and the exponent trick `Float(bitPattern: 0x4B00_0000 | n) − 2²³ = n` turns
/// them into floats. That visits the weights of a block in a lane-major order, so the input vector is
/// permuted into the same order once per product (`permuteForQ4_1`, `permuteForQ8_0`) and shared by
/// every row.
public enum PermutedDot {
    static let magic = SIMD8<UInt32>(repeating: 0x4B00_0000)
    static let magicFloat = SIMD8<Float>(repeating: 8_388_608)

    @inline(__always)
    static func float(_ lanes: SIMD8<UInt32>) -> SIMD8<Float> {
        unsafeBitCast(lanes | magic, to: SIMD8<Float>.self) - magicFloat
    }

    @inline(__always)
    public static func horizontalSum(_ v: SIMD8<Float>) -> Float {
        let a = v[0] + v[4], b = v[1] + v[5], c = v[2] + v[6], d = v[3] + v[7]
        return (a + c) + (b + d)
    }

    // MARK: Q4_1

    /// Rearranges `x` (blocks × 32) for `dotQ4_1`: per block, for k in 0..<4, lanes 0..3 hold
    /// x[4L + k] (low nibbles) and lanes 4..7 hold x[16 + 4L + k] (high nibbles). Also returns
    /// each block's sum of x for the minimum term.
    static func permuteForQ4_1(_ x: UnsafePointer<Float>, blocks: Int, into p: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let source = x + b * 32, destination = p + b * 32
            var sum: Float = 0
            for k in 0..<4 {
                for lane in 0..<4 {
                    destination[k * 8 + lane] = source[4 * lane + k]
                    destination[k * 8 + 4 + lane] = source[16 + 4 * lane + k]
                }
            }
            for j in 0..<32 { sum += source[j] }
            sums[b] = sum
        }
    }

    /// One Q4_1 row · the permuted input: Σ_blocks d·Σ q·x + m·Σ x.
    @inline(__always)
    static func dotQ4_1(_ row: UnsafeRawPointer, _ p: UnsafePointer<Float>, _ sums: UnsafePointer<Float>, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        var minimums: Float = 0
        let nibble = SIMD8<UInt32>(repeating: 0x0F)
        let split = SIMD8<UInt32>(0, 0, 0, 0, 4, 4, 4, 4)
        for b in 0..<blocks {
            let block = row + b * 20
            let d = Dequantizer.half(block, 0), m = Dequantizer.half(block, 2)
            let v = block.loadUnaligned(fromByteOffset: 4, as: SIMD4<UInt32>.self)
            let lanes = SIMD8<UInt32>(v[0], v[1], v[2], v[3], v[0], v[1], v[2], v[3]) &>> split
            let xs = p + b * 32
            var s = float(lanes & nibble) * RowDot.load8(xs)
            s.addProduct(float((lanes &>> 8) & nibble), RowDot.load8(xs + 8))
            s.addProduct(float((lanes &>> 16) & nibble), RowDot.load8(xs + 16))
            s.addProduct(float((lanes &>> 24) & nibble), RowDot.load8(xs + 24))
            acc.addProduct(s, SIMD8(repeating: d))
            minimums += m * sums[b]
        }
        return horizontalSum(acc) + minimums
    }

    // MARK: Q8_0

    /// Rearranges `x` (blocks × 32) for `dotQ8_0`: per block, for k in 0..<4, lane L holds x[4L + k].
    static func permuteForQ8_0(_ x: UnsafePointer<Float>, blocks: Int, into p: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let source = x + b * 32, destination = p + b * 32
            for k in 0..<4 {
                for lane in 0..<8 { destination[k * 8 + lane] = source[4 * lane + k] }
            }
        }
    }

    /// One Q8_0 row · the permuted input: Σ_blocks d·Σ q·x.
    @inline(__always)
    static func dotQ8_0(_ row: UnsafeRawPointer, _ p: UnsafePointer<Float>, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        let byte = SIMD8<UInt32>(repeating: 0xFF)
        let sign = SIMD8<UInt32>(repeating: 0x80)
        let bias = SIMD8<Float>(repeating: 128)
        for b in 0..<blocks {
            let block = row + b * 34
            let d = Dequantizer.half(block, 0)
            let lanes = block.loadUnaligned(fromByteOffset: 2, as: SIMD8<UInt32>.self)
            let xs = p + b * 32
            // (q + 128) as an unsigned byte, made a float, minus 128.
            var s = (float((lanes & byte) ^ sign) - bias) * RowDot.load8(xs)
            s.addProduct(float(((lanes &>> 8) & byte) ^ sign) - bias, RowDot.load8(xs + 8))
            s.addProduct(float(((lanes &>> 16) & byte) ^ sign) - bias, RowDot.load8(xs + 16))
            s.addProduct(float(((lanes &>> 24) & byte) ^ sign) - bias, RowDot.load8(xs + 24))
            acc.addProduct(s, SIMD8(repeating: d))
        }
        return horizontalSum(acc)
    }
}

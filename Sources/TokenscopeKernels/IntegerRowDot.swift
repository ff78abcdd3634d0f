#if TOKENSCOPE_AVX2 && arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif
import TokenscopeFormats

// MARK: - An activation row quantised to int8

/// One activation row quantised per block of 32 to int8, as GGML's Q8_1: for block b,
/// x[32b + i] ≈ scales[b] · values[32b + i], and sums[b] = scales[b] · Σ values[32b + i].
/// The buffers belong to the caller (`MatrixMultiply`), which fills them once per product and
/// hands them to every worker, which only read them.
struct QuantizedRow: @unchecked Sendable {
    /// (blocks, 32) int8 values.
    let values: UnsafeMutablePointer<Int8>
    /// (blocks) scale of each block: max |x| / 127.
    let scales: UnsafeMutablePointer<Float>
    /// (blocks) scale · Σ values of each block: the quantised block sum, for weights with an offset.
    let sums: UnsafeMutablePointer<Float>
    /// Blocks of 32 in the row.
    let blocks: Int
}

// MARK: - Integer dot products

/// Dot products of stored weight rows with an int8-quantised activation row (`QuantizedRow`):
/// per 32-block, the weights' integers times the activation's integers, summed in 32-bit integers
/// (`vpmaddubsw` then `vpmaddwd`), then scaled once by the two blocks' scales in f32.
///
/// Written with the compiler's x86 vector intrinsics (`_Builtin_intrinsics.intel`), not with the
/// portable `SIMD` types: LLVM turns the portable formulation of "multiply 16-bit pairs and add
/// neighbours" into `vpmaddwd` used as a 32-bit multiply plus shuffles, three times slower than the
/// float kernels (see Docs/PERFORMANCE.md, "Integer dot products"). Compiled only for x86-64 with
/// AVX2 (the package's default build); elsewhere `isAvailable` is false and decoding stays f32.
public enum IntegerRowDot {
    #if TOKENSCOPE_AVX2 && arch(x86_64) && canImport(_Builtin_intrinsics.intel)
    /// Whether the integer kernels are compiled into this build.
    public static let isAvailable = true
    #else
    /// Whether the integer kernels are compiled into this build.
    public static let isAvailable = false
    #endif

    /// Whether rows of `type` with `columns` inputs have an integer kernel.
    public static func supports(_ type: TensorType, columns: Int) -> Bool {
        guard isAvailable, columns > 0, columns % 32 == 0 else { return false }
        switch type {
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0: return true
        case .q4_K, .q5_K, .q6_K: return columns % 256 == 0
        default: return false
        }
    }

    #if TOKENSCOPE_AVX2 && arch(x86_64) && canImport(_Builtin_intrinsics.intel)

    /// Quantises `blocks` × 32 floats of `x` into `row`, per block of 32: scale = max |x| / 127,
    /// value = x / scale rounded to nearest (ties to even; GGML rounds ties away from zero, which
    /// changes a value only on an exact tie).
    static func quantize(_ x: UnsafePointer<Float>, into row: QuantizedRow) {
        let signBit = _mm256_set1_ps(-0.0)
        let order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)
        for b in 0..<row.blocks {
            let p = x + b * 32
            let v0 = _mm256_loadu_ps(p), v1 = _mm256_loadu_ps(p + 8), v2 = _mm256_loadu_ps(p + 16), v3 = _mm256_loadu_ps(p + 24)
            let m = _mm256_max_ps(
                _mm256_max_ps(_mm256_andnot_ps(signBit, v0), _mm256_andnot_ps(signBit, v1)),
                _mm256_max_ps(_mm256_andnot_ps(signBit, v2), _mm256_andnot_ps(signBit, v3)))
            let amax = m.max()
            let scale = amax / 127
            let inverse = _mm256_set1_ps(amax > 0 ? 127 / amax : 0)
            let i0 = _mm256_cvtps_epi32(_mm256_mul_ps(v0, inverse)), i1 = _mm256_cvtps_epi32(_mm256_mul_ps(v1, inverse))
            let i2 = _mm256_cvtps_epi32(_mm256_mul_ps(v2, inverse)), i3 = _mm256_cvtps_epi32(_mm256_mul_ps(v3, inverse))
            let total = unsafeBitCast(_mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3)), to: SIMD8<Int32>.self).wrappedSum()
            // Pack 4 × 8 int32 into 32 int8; the packs work within 128-bit lanes, the permute restores order.
            let packed = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3))
            _mm256_storeu_si256(
                UnsafeMutableRawPointer(row.values + b * 32).assumingMemoryBound(to: __m256i_u.self),
                _mm256_permutevar8x32_epi32(packed, order))
            row.scales[b] = scale
            row.sums[b] = scale * Float(total)
        }
    }

    /// y[o] = W[o]·x for o in `range`, x given as `row`. Kept in this file with the kernels, so the
    /// intrinsics inline into one loop (see `RowDot.vectorRows`).
    @inline(never)
    static func vectorRows(
        _ type: TensorType, _ base: UnsafeRawPointer, stride: Int, _ row: QuantizedRow, range: Range<Int>, into y: UnsafeMutablePointer<Float>
    ) {
        switch type {
        case .q4_1: for o in range { y[o] = dotQ4_1(base + o * stride, row) }
        case .q4_0: for o in range { y[o] = dotQ4_0(base + o * stride, row) }
        case .q5_0: for o in range { y[o] = dotQ5_0(base + o * stride, row) }
        case .q5_1: for o in range { y[o] = dotQ5_1(base + o * stride, row) }
        case .q8_0: for o in range { y[o] = dotQ8_0(base + o * stride, row) }
        case .q4_K: for o in range { y[o] = dotQ4_K(base + o * stride, row) }
        case .q5_K: for o in range { y[o] = dotQ5_K(base + o * stride, row) }
        case .q6_K: for o in range { y[o] = dotQ6_K(base + o * stride, row) }
        default: for o in range { y[o] = .nan }
        }
    }

    @inline(__always)
    static func load32(_ p: UnsafeRawPointer) -> __m256i {
        _mm256_loadu_si256(p.assumingMemoryBound(to: __m256i_u.self))
    }

    @inline(__always)
    static func load16(_ p: UnsafeRawPointer) -> __m128i {
        _mm_loadu_si128(p.assumingMemoryBound(to: __m128i_u.self))
    }

    /// Σ over 32 pairs of u8 weights × i8 activations, as eight 32-bit partial sums
    /// (`vpmaddubsw`: |u8 × i8 + u8 × i8| ≤ 2 · 255 · 128 fits i16 for the ranges used here).
    @inline(__always)
    static func products(_ weights: __m256i, _ activations: __m256i) -> __m256 {
        _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_maddubs_epi16(weights, activations), _mm256_set1_epi16(1)))
    }

    /// 16 bytes of nibbles as 32 bytes: the low nibbles (weights 0…15), then the high ones (16…31).
    @inline(__always)
    static func nibbles(_ p: UnsafeRawPointer) -> __m256i {
        let raw = load16(p)
        return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(raw, 4), raw), _mm256_set1_epi8(15))
    }

    @inline(__always)
    static func sum(_ v: __m256) -> Float { v.sum() }

    /// Q4_1 (f16 d, f16 m, 16 bytes of nibbles): Σ_b d·dx·Σ q·qx + m·sx.
    @inline(__always)
    static func dotQ4_1(_ p: UnsafeRawPointer, _ row: QuantizedRow) -> Float {
        var acc = _mm256_setzero_ps()
        var minimums: Float = 0
        for b in 0..<row.blocks {
            let block = p + b * 20
            let s = products(nibbles(block + 4), load32(row.values + b * 32))
            acc = _mm256_fmadd_ps(s, _mm256_set1_ps(Dequantizer.half(block, 0) * row.scales[b]), acc)
            minimums += Dequantizer.half(block, 2) * row.sums[b]
        }
        return sum(acc) + minimums
    }

    /// Q4_0 (f16 d, 16 bytes of nibbles, w = d·(q − 8)): Σ_b d·(dx·Σ q·qx − 8·sx).
    @inline(__always)
    static func dotQ4_0(_ p: UnsafeRawPointer, _ row: QuantizedRow) -> Float {
        var acc = _mm256_setzero_ps()
        var offsets: Float = 0
        for b in 0..<row.blocks {
            let block = p + b * 18
            let d = Dequantizer.half(block, 0)
            let s = products(nibbles(block + 2), load32(row.values + b * 32))
            acc = _mm256_fmadd_ps(s, _mm256_set1_ps(d * row.scales[b]), acc)
            offsets += d * row.sums[b]
        }
        return sum(acc) - 8 * offsets
    }

    /// Q8_0 (f16 d, 32 int8): Σ_b d·dx·Σ q·qx, signed × signed through |q| and sign(qx, q).
    @inline(__always)
    static func dotQ8_0(_ p: UnsafeRawPointer, _ row: QuantizedRow) -> Float {
        var acc = _mm256_setzero_ps()
        for b in 0..<row.blocks {
            let block = p + b * 34
            let w = load32(block + 2), x = load32(row.values + b * 32)
            let s = products(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w))
            acc = _mm256_fmadd_ps(s, _mm256_set1_ps(Dequantizer.half(block, 0) * row.scales[b]), acc)
        }
        return sum(acc)
    }

    /// Q4_K (super-blocks of 256: f16 d, f16 dmin, 12 bytes of 6-bit scales and minimums, 128 bytes
    /// of nibbles): Σ_sub-blocks d·scale·dx·Σ q·qx − dmin·min·sx.
    @inline(__always)
    static func dotQ4_K(_ p: UnsafeRawPointer, _ row: QuantizedRow) -> Float {
        var acc = _mm256_setzero_ps()
        var minimums: Float = 0
        let mask = _mm256_set1_epi8(15)
        for sb in 0..<(row.blocks / 8) {
            let block = p + sb * 144
            let d = Dequantizer.half(block, 0), dmin = Dequantizer.half(block, 2)
            var partial: Float = 0
            for pair in 0..<4 {
                let raw = load32(block + 16 + pair * 32)
                let j = sb * 8 + 2 * pair
                let (scale0, min0) = Dequantizer.scaleMin(2 * pair, block + 4)
                let (scale1, min1) = Dequantizer.scaleMin(2 * pair + 1, block + 4)
                let low = products(_mm256_and_si256(raw, mask), load32(row.values + j * 32))
                let high = products(_mm256_and_si256(_mm256_srli_epi16(raw, 4), mask), load32(row.values + j * 32 + 32))
                acc = _mm256_fmadd_ps(low, _mm256_set1_ps(d * scale0 * row.scales[j]), acc)
                acc = _mm256_fmadd_ps(high, _mm256_set1_ps(d * scale1 * row.scales[j + 1]), acc)
                partial += min0 * row.sums[j] + min1 * row.sums[j + 1]
            }
            minimums += dmin * partial
        }
        return sum(acc) - minimums
    }

    // MARK: Five-bit types

    /// The 32 bits at `p` as 32 bytes, 16 where bit i is set and 0 where not: the fifth bit of
    /// Q5_0/Q5_1 weight i (GGML's `bytes_from_bits_32`: broadcast byte i / 8 to byte i, set every
    /// bit but bit i % 8, compare with all ones).
    @inline(__always)
    static func fifthBits(_ p: UnsafeRawPointer) -> __m256i {
        let bits = Int32(bitPattern: p.loadUnaligned(as: UInt32.self).littleEndian)
        let spread = _mm256_shuffle_epi8(
            _mm256_set1_epi32(bits),
            _mm256_set_epi64x(0x0303_0303_0303_0303, 0x0202_0202_0202_0202, 0x0101_0101_0101_0101, 0))
        let set = _mm256_cmpeq_epi8(
            _mm256_or_si256(spread, _mm256_set1_epi64x(0x7FBF_DFEF_F7FB_FDFE)), _mm256_set1_epi64x(-1))
        return _mm256_and_si256(set, _mm256_set1_epi8(16))
    }

    /// Q5_0 (f16 d, 4 bytes of fifth bits, 16 bytes of nibbles, w = d·(q − 16), q in 0…31):
    /// Σ_b d·(dx·Σ q·qx − 16·sx).
    @inline(__always)
    static func dotQ5_0(_ p: UnsafeRawPointer, _ row: QuantizedRow) -> Float {
        var acc = _mm256_setzero_ps()
        var offsets: Float = 0
        for b in 0..<row.blocks {
            let block = p + b * 22
            let d = Dequantizer.half(block, 0)
            let q = _mm256_or_si256(nibbles(block + 6), fifthBits(block + 2))
            let s = products(q, load32(row.values + b * 32))
            acc = _mm256_fmadd_ps(s, _mm256_set1_ps(d * row.scales[b]), acc)
            offsets += d * row.sums[b]
        }
        return sum(acc) - 16 * offsets
    }

    /// Q5_1 (f16 d, f16 m, 4 bytes of fifth bits, 16 bytes of nibbles, w = d·q + m): Σ_b d·dx·Σ q·qx + m·sx.
    @inline(__always)
    static func dotQ5_1(_ p: UnsafeRawPointer, _ row: QuantizedRow) -> Float {
        var acc = _mm256_setzero_ps()
        var minimums: Float = 0
        for b in 0..<row.blocks {
            let block = p + b * 24
            let q = _mm256_or_si256(nibbles(block + 8), fifthBits(block + 4))
            let s = products(q, load32(row.values + b * 32))
            acc = _mm256_fmadd_ps(s, _mm256_set1_ps(Dequantizer.half(block, 0) * row.scales[b]), acc)
            minimums += Dequantizer.half(block, 2) * row.sums[b]
        }
        return sum(acc) + minimums
    }

    /// Q5_K (super-blocks of 256: f16 d, f16 dmin, 12 bytes of 6-bit scales and minimums, 32 bytes
    /// of fifth bits, 128 bytes of nibbles): as Q4_K, with bit 2·pair (low nibbles) or 2·pair + 1
    /// (high nibbles) of byte l of the fifth bits added as 16.
    @inline(__always)
    static func dotQ5_K(_ p: UnsafeRawPointer, _ row: QuantizedRow) -> Float {
        var acc = _mm256_setzero_ps()
        var minimums: Float = 0
        let mask = _mm256_set1_epi8(15), one = _mm256_set1_epi8(1)
        for sb in 0..<(row.blocks / 8) {
            let block = p + sb * 176
            let d = Dequantizer.half(block, 0), dmin = Dequantizer.half(block, 2)
            var fifth = load32(block + 16)
            var partial: Float = 0
            for pair in 0..<4 {
                let raw = load32(block + 48 + pair * 32)
                let j = sb * 8 + 2 * pair
                let (scale0, min0) = Dequantizer.scaleMin(2 * pair, block + 4)
                let (scale1, min1) = Dequantizer.scaleMin(2 * pair + 1, block + 4)
                // Shifts within 16-bit lanes; the masks keep each byte's own bits.
                let high0 = _mm256_slli_epi16(_mm256_and_si256(fifth, one), 4)
                let high1 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(fifth, 1), one), 4)
                fifth = _mm256_srli_epi16(fifth, 2)
                let q0 = _mm256_or_si256(_mm256_and_si256(raw, mask), high0)
                let q1 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(raw, 4), mask), high1)
                let low = products(q0, load32(row.values + j * 32))
                let high = products(q1, load32(row.values + j * 32 + 32))
                acc = _mm256_fmadd_ps(low, _mm256_set1_ps(d * scale0 * row.scales[j]), acc)
                acc = _mm256_fmadd_ps(high, _mm256_set1_ps(d * scale1 * row.scales[j + 1]), acc)
                partial += min0 * row.sums[j] + min1 * row.sums[j + 1]
            }
            minimums += dmin * partial
        }
        return sum(acc) - minimums
    }

    // MARK: Six-bit K-quant

    /// Q6_K (super-blocks of 256: 128 bytes of low nibbles, 64 bytes of 2-bit high parts, 16 int8
    /// scales, f16 d; w = d·scale·(q − 32), one scale per 16 weights): per activation block of 32,
    /// Σ q·qx − 32·Σ qx per pair of weights (`vpmaddubsw` twice), then `vpmaddwd` with the two
    /// sub-blocks' scales, so the block's integer sum carries its scales; one FMA with d·dx.
    @inline(__always)
    static func dotQ6_K(_ p: UnsafeRawPointer, _ row: QuantizedRow) -> Float {
        var acc = _mm256_setzero_ps()
        let mask = _mm256_set1_epi8(15), three = _mm256_set1_epi8(3)
        for sb in 0..<(row.blocks / 8) {
            let block = p + sb * 210
            let d = Dequantizer.half(block, 208)
            let scales = load16(block + 192)  // (16) int8, one per 16 weights
            for half in 0..<2 {
                let low0 = load32(block + half * 64), low1 = load32(block + half * 64 + 32)
                let high = load32(block + 128 + half * 32)
                // Weights 128·half + 32k + l, k = 0…3: nibble k / 2 of low byte l (of low0 for even k,
                // low1 for odd), bits 2k…2k+1 of high byte l as bits 4…5.
                let q0 = _mm256_or_si256(_mm256_and_si256(low0, mask), _mm256_slli_epi16(_mm256_and_si256(high, three), 4))
                let q1 = _mm256_or_si256(
                    _mm256_and_si256(low1, mask), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 2), three), 4))
                let q2 = _mm256_or_si256(
                    _mm256_and_si256(_mm256_srli_epi16(low0, 4), mask), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 4), three), 4))
                let q3 = _mm256_or_si256(
                    _mm256_and_si256(_mm256_srli_epi16(low1, 4), mask), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 6), three), 4))
                let first = sb * 8 + half * 4
                acc = q6Block(q0, scales, sub: half * 4, d: d, row, first, acc)
                acc = q6Block(q1, scales, sub: half * 4 + 1, d: d, row, first + 1, acc)
                acc = q6Block(q2, scales, sub: half * 4 + 2, d: d, row, first + 2, acc)
                acc = q6Block(q3, scales, sub: half * 4 + 3, d: d, row, first + 3, acc)
            }
        }
        return sum(acc)
    }

    /// acc + d·dx_j·Σ scale·(q − 32)·qx over activation block j, whose 32 weights `q` (0…63) have
    /// the super-block's scales 2·sub and 2·sub + 1.
    @inline(__always)
    static func q6Block(_ q: __m256i, _ scales: __m128i, sub n: Int, d: Float, _ row: QuantizedRow, _ j: Int, _ acc: __m256) -> __m256 {
        let x = load32(row.values + j * 32)
        // |q·qx + q·qx − 32·(qx + qx)| ≤ 2 · 63 · 128: i16 holds it.
        let pairs = _mm256_sub_epi16(_mm256_maddubs_epi16(q, x), _mm256_maddubs_epi16(_mm256_set1_epi8(32), x))
        // Scale 2n for the block's first 16 weights (the low 128 bits), 2n + 1 for the rest.
        let pick = _mm_set_epi64x(Int64(2 * n + 1) &* 0x0101_0101_0101_0101, Int64(2 * n) &* 0x0101_0101_0101_0101)
        let scale16 = _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scales, pick))
        let s = _mm256_cvtepi32_ps(_mm256_madd_epi16(pairs, scale16))
        return _mm256_fmadd_ps(s, _mm256_set1_ps(d * row.scales[j]), acc)
    }

    #else

    /// Never called in a build without the integer kernels (`isAvailable` is false).
    static func quantize(_ x: UnsafePointer<Float>, into row: QuantizedRow) {}

    /// Never called in a build without the integer kernels (`isAvailable` is false).
    static func vectorRows(
        _ type: TensorType, _ base: UnsafeRawPointer, stride: Int, _ row: QuantizedRow, range: Range<Int>, into y: UnsafeMutablePointer<Float>
    ) {
        for o in range { y[o] = .nan }
    }

    #endif
}

// MARK: - Scratch for a quantised row and an entry point for tests

extension IntegerRowDot {
    /// Calls `body` with scratch buffers for a row of `blocks` × 32 quantised activations
    /// (nil only if the allocation had no address, which a non-empty one always has).
    static func withQuantizedRow<R>(blocks: Int, _ body: (QuantizedRow?) -> R) -> R {
        withUnsafeTemporaryAllocation(byteCount: max(1, blocks) * 40, alignment: 32) { raw -> R in
            body(raw.baseAddress.map { start in
                let floats = (start + blocks * 32).bindMemory(to: Float.self, capacity: 2 * blocks)
                return QuantizedRow(
                    values: start.bindMemory(to: Int8.self, capacity: blocks * 32), scales: floats, sums: floats + blocks, blocks: blocks)
            })
        }
    }

    /// Σ w[i]·x[i] over `count` elements of a row of `type`, with x quantised to int8 per 32-block
    /// first: what a decode step computes with `ActivationPrecision.int8`. NaN where no integer
    /// kernel exists (`supports` is false).
    public static func dot(_ type: TensorType, _ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        guard supports(type, columns: count) else { return .nan }
        return withQuantizedRow(blocks: count / 32) { scratch -> Float in
            guard let quantized = scratch else { return .nan }
            quantize(x, into: quantized)
            var y: Float = .nan
            vectorRows(type, row, stride: 0, quantized, range: 0..<1, into: &y)
            return y
        }
    }
}

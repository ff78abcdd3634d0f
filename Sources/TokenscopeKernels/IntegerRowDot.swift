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
        case .q4_0, .q4_1, .q8_0: return true
        case .q4_K: return columns % 256 == 0
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
        case .q8_0: for o in range { y[o] = dotQ8_0(base + o * stride, row) }
        case .q4_K: for o in range { y[o] = dotQ4_K(base + o * stride, row) }
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

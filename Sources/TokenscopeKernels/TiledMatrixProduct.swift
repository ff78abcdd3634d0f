#if TOKENSCOPE_AVX2 && arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif
import TokenscopeFormats

// MARK: - Batched products as register-tiled GEMM

/// y (tokens, out) = x (tokens, in) · Wᵀ for a batch of input rows (prefill, blocks of logits), as a
/// register-tiled matrix product on weights dequantised one panel at a time.
///
/// A panel is 16 consecutive weight rows, dequantised once and packed k-major — (in, 16): the 16
/// rows' k-th weights side by side — so that two 8-wide loads give one column of the panel. The
/// micro-kernel keeps a 16 × 6 tile of the output in 12 `SIMD8<Float>` accumulators: for each k it
/// loads the panel's two vectors, broadcasts the k-th input of 6 tokens and does 12 FMAs (8 loads
/// per 12 FMAs, against 5 loads per 4 FMAs in the dequantise-and-`dot4` loop it replaces). The panel
/// (16 × in floats, 36 KiB at in = 576) stays in L1/L2 while every token of the batch passes over
/// it, 6 at a time; each token's row is read with one broadcast per k, so the inputs need no packing.
/// No horizontal sums: each accumulator holds 8 adjacent outputs of one token, stored as they are.
///
/// Sums run in f32 in k order within each output, so results differ from the row-dot kernels only
/// by rounding (the tests bound both against a Double product).
enum TiledMatrixProduct {
    /// Weight rows in one packed panel (two SIMD8 vectors).
    static let panelRows = 16
    /// Tokens (input rows) in one register tile.
    static let tileTokens = 6
    /// Batches of at least this many rows use the tiled product, except up to
    /// `SmallBatchProduct.maximumTokens` rows of the types `SmallBatchProduct` covers; smaller ones the row loop.
    static let minimumTokens = 4

    /// y (tokens, weight.rows)[t, o] = x (tokens, weight.columns)[t] · W[o] for o in `range`.
    /// `range` should start at a multiple of `panelRows` (any start works; only speed depends on it).
    @inline(never)
    static func multiply(
        _ weight: TensorView, _ base: UnsafeRawPointer, _ x: UnsafePointer<Float>, tokens: Int, range: Range<Int>,
        into y: UnsafeMutablePointer<Float>
    ) {
        let inputs = weight.columns, outputs = weight.rows
        guard tokens > 0, inputs > 0, !range.isEmpty else { return }
        // (in, 16) packed panel, then (8, in) rows of scratch for the dequantiser.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: (panelRows + 8) * inputs) { buffer in
            guard let panel = buffer.baseAddress else { return }
            let scratch = panel + panelRows * inputs
            var first = range.lowerBound
            while first < range.upperBound {
                let count = min(panelRows, range.upperBound - first)
                pack(weight, base, rows: first..<(first + count), into: panel, scratch: scratch)
                var t = 0
                while t < tokens {
                    tile(
                        panel, x, inputs: inputs, firstToken: t, tokens: min(tileTokens, tokens - t), lastToken: tokens - 1,
                        into: y + first, outputs: outputs, rows: count)
                    t += tileTokens
                }
                first += count
            }
        }
    }

    // MARK: Packing

    /// Dequantises weight rows `rows` (at most 16) into `panel` (in, 16), k-major; missing rows are zero.
    /// `scratch` holds (8, in) floats: eight rows are dequantised side by side, then turned k-major
    /// eight columns at a time with an 8 × 8 transpose in registers.
    @inline(__always)
    static func pack(
        _ weight: TensorView, _ base: UnsafeRawPointer, rows: Range<Int>, into panel: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let inputs = weight.columns, stride = weight.rowStride
        for half in 0..<2 {
            let first = rows.lowerBound + 8 * half
            let count = max(0, min(8, rows.upperBound - first))
            for r in 0..<8 {
                if r < count {
                    dequantizeRow(weight.type, base + (first + r) * stride, count: inputs, into: scratch + r * inputs)
                } else {
                    (scratch + r * inputs).update(repeating: 0, count: inputs)
                }
            }
            let destination = panel + 8 * half
            var k = 0
            while k + 8 <= inputs {
                let s = scratch + k
                var v = (
                    load8(s), load8(s + inputs), load8(s + 2 * inputs), load8(s + 3 * inputs),
                    load8(s + 4 * inputs), load8(s + 5 * inputs), load8(s + 6 * inputs), load8(s + 7 * inputs)
                )
                v = unzip(unzip(unzip(v)))
                let d = UnsafeMutableRawPointer(destination + k * panelRows)
                d.storeBytes(of: v.0, as: SIMD8<Float>.self)
                d.storeBytes(of: v.1, toByteOffset: 64, as: SIMD8<Float>.self)
                d.storeBytes(of: v.2, toByteOffset: 128, as: SIMD8<Float>.self)
                d.storeBytes(of: v.3, toByteOffset: 192, as: SIMD8<Float>.self)
                d.storeBytes(of: v.4, toByteOffset: 256, as: SIMD8<Float>.self)
                d.storeBytes(of: v.5, toByteOffset: 320, as: SIMD8<Float>.self)
                d.storeBytes(of: v.6, toByteOffset: 384, as: SIMD8<Float>.self)
                d.storeBytes(of: v.7, toByteOffset: 448, as: SIMD8<Float>.self)
                k += 8
            }
            while k < inputs {
                for r in 0..<8 { destination[k * panelRows + r] = scratch[r * inputs + k] }
                k += 1
            }
        }
    }

    typealias Rows8 = (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

    /// One perfect unshuffle of 8 rows of 8 seen as one array of 64: even elements first, then odd.
    /// Three of them transpose the 8 × 8 block (the element index's six bits rotate by three).
    @inline(__always)
    static func unzip(_ v: Rows8) -> Rows8 {
        let p0 = SIMD16(lowHalf: v.0, highHalf: v.1), p1 = SIMD16(lowHalf: v.2, highHalf: v.3)
        let p2 = SIMD16(lowHalf: v.4, highHalf: v.5), p3 = SIMD16(lowHalf: v.6, highHalf: v.7)
        return (p0.evenHalf, p1.evenHalf, p2.evenHalf, p3.evenHalf, p0.oddHalf, p1.oddHalf, p2.oddHalf, p3.oddHalf)
    }

    /// One weight row as f32, equal to `Dequantizer.dequantize` (same operations, no fused
    /// multiply-add): eight weights at a time for Q4_0, Q4_1, Q8_0 and F16, the dequantiser otherwise.
    @inline(__always)
    static func dequantizeRow(_ type: TensorType, _ row: UnsafeRawPointer, count: Int, into y: UnsafeMutablePointer<Float>) {
        let out = UnsafeMutableRawPointer(y)
        switch type {
        case .q4_1 where count % 32 == 0:
            for b in 0..<(count / 32) {
                let p = row + b * 20
                let d = SIMD8<Float>(repeating: Dequantizer.half(p, 0)), m = SIMD8<Float>(repeating: Dequantizer.half(p, 2))
                let (a0, a1) = nibbles(p, 4), (b0, b1) = nibbles(p, 12)
                out.storeBytes(of: a0 * d + m, toByteOffset: b * 128, as: SIMD8<Float>.self)
                out.storeBytes(of: b0 * d + m, toByteOffset: b * 128 + 32, as: SIMD8<Float>.self)
                out.storeBytes(of: a1 * d + m, toByteOffset: b * 128 + 64, as: SIMD8<Float>.self)
                out.storeBytes(of: b1 * d + m, toByteOffset: b * 128 + 96, as: SIMD8<Float>.self)
            }
        case .q4_0 where count % 32 == 0:
            let eight = SIMD8<Float>(repeating: 8)
            for b in 0..<(count / 32) {
                let p = row + b * 18
                let d = SIMD8<Float>(repeating: Dequantizer.half(p, 0))
                let (a0, a1) = nibbles(p, 2), (b0, b1) = nibbles(p, 10)
                out.storeBytes(of: (a0 - eight) * d, toByteOffset: b * 128, as: SIMD8<Float>.self)
                out.storeBytes(of: (b0 - eight) * d, toByteOffset: b * 128 + 32, as: SIMD8<Float>.self)
                out.storeBytes(of: (a1 - eight) * d, toByteOffset: b * 128 + 64, as: SIMD8<Float>.self)
                out.storeBytes(of: (b1 - eight) * d, toByteOffset: b * 128 + 96, as: SIMD8<Float>.self)
            }
        case .q8_0 where count % 32 == 0:
            for b in 0..<(count / 32) {
                let p = row + b * 34
                let d = SIMD8<Float>(repeating: Dequantizer.half(p, 0))
                for j in 0..<4 {
                    out.storeBytes(of: int8s(p, 2 + 8 * j) * d, toByteOffset: b * 128 + 32 * j, as: SIMD8<Float>.self)
                }
            }
        case .f16 where count % 8 == 0:
            for i in stride(from: 0, to: count, by: 8) {
                out.storeBytes(of: SIMD8<Float>(row.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<Float16>.self)), toByteOffset: 4 * i, as: SIMD8<Float>.self)
            }
        default:
            Dequantizer.dequantize(type, row, count: count, into: y)
        }
    }

    /// The eight nibbles of bytes `offset..<offset + 8` as floats: low (weights offset…) and high (16 + offset…).
    /// With AVX2 through the intrinsics: the generic `SIMD8<Int32>(truncatingIfNeeded:)` specialisation
    /// is shared with other files and stays an out-of-line call here (see Docs/PERFORMANCE.md).
    @inline(__always)
    static func nibbles(_ p: UnsafeRawPointer, _ offset: Int) -> (low: SIMD8<Float>, high: SIMD8<Float>) {
        #if TOKENSCOPE_AVX2 && arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        let bytes = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(p.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        let low = _mm256_cvtepi32_ps(_mm256_and_si256(bytes, _mm256_set1_epi32(15)))
        let high = _mm256_cvtepi32_ps(_mm256_srli_epi32(bytes, 4))
        return (unsafeBitCast(low, to: SIMD8<Float>.self), unsafeBitCast(high, to: SIMD8<Float>.self))
        #else
        let bytes = SIMD8<Int32>(truncatingIfNeeded: p.loadUnaligned(fromByteOffset: offset, as: SIMD8<UInt8>.self))
        return (SIMD8<Float>(bytes & 15), SIMD8<Float>(bytes &>> 4))
        #endif
    }

    /// Eight signed bytes at `offset` as floats.
    @inline(__always)
    static func int8s(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD8<Float> {
        #if TOKENSCOPE_AVX2 && arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        let bytes = _mm256_cvtepi8_epi32(_mm_cvtsi64_si128(p.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        return unsafeBitCast(_mm256_cvtepi32_ps(bytes), to: SIMD8<Float>.self)
        #else
        SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int8>.self)))
        #endif
    }

    // MARK: Micro-kernel

    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// y[t, 0..<rows] for the `tokens` (1…6) tokens from `firstToken`, from one packed panel (in, 16).
    /// Token slots past `tokens` repeat the last token (`lastToken` keeps them inside x) and are not stored.
    @inline(__always)
    static func tile(
        _ panel: UnsafePointer<Float>, _ x: UnsafePointer<Float>, inputs: Int, firstToken: Int, tokens: Int, lastToken: Int,
        into y: UnsafeMutablePointer<Float>, outputs: Int, rows: Int
    ) {
        let x0 = x + firstToken * inputs
        let x1 = x + min(firstToken + 1, lastToken) * inputs
        let x2 = x + min(firstToken + 2, lastToken) * inputs
        let x3 = x + min(firstToken + 3, lastToken) * inputs
        let x4 = x + min(firstToken + 4, lastToken) * inputs
        let x5 = x + min(firstToken + 5, lastToken) * inputs
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>(), c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        var a = panel
        for k in 0..<inputs {
            let a0 = load8(a), a1 = load8(a + 8)
            let b0 = SIMD8<Float>(repeating: x0[k])
            c00.addProduct(a0, b0)
            c01.addProduct(a1, b0)
            let b1 = SIMD8<Float>(repeating: x1[k])
            c10.addProduct(a0, b1)
            c11.addProduct(a1, b1)
            let b2 = SIMD8<Float>(repeating: x2[k])
            c20.addProduct(a0, b2)
            c21.addProduct(a1, b2)
            let b3 = SIMD8<Float>(repeating: x3[k])
            c30.addProduct(a0, b3)
            c31.addProduct(a1, b3)
            let b4 = SIMD8<Float>(repeating: x4[k])
            c40.addProduct(a0, b4)
            c41.addProduct(a1, b4)
            let b5 = SIMD8<Float>(repeating: x5[k])
            c50.addProduct(a0, b5)
            c51.addProduct(a1, b5)
            a += panelRows
        }
        let out = y + firstToken * outputs
        store(c00, c01, out, rows: rows)
        if tokens > 1 { store(c10, c11, out + outputs, rows: rows) }
        if tokens > 2 { store(c20, c21, out + 2 * outputs, rows: rows) }
        if tokens > 3 { store(c30, c31, out + 3 * outputs, rows: rows) }
        if tokens > 4 { store(c40, c41, out + 4 * outputs, rows: rows) }
        if tokens > 5 { store(c50, c51, out + 5 * outputs, rows: rows) }
    }

    /// Writes the first `rows` of the 16 values (low, high) to `y`.
    @inline(__always)
    static func store(_ low: SIMD8<Float>, _ high: SIMD8<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int) {
        if rows == panelRows {
            UnsafeMutableRawPointer(y).storeBytes(of: low, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + 8).storeBytes(of: high, as: SIMD8<Float>.self)
            return
        }
        for i in 0..<min(rows, 8) { y[i] = low[i] }
        if rows > 8 { for i in 8..<rows { y[i] = high[i - 8] } }
    }
}

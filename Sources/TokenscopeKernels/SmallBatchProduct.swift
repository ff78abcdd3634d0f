#if TOKENSCOPE_AVX2 && arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif
import TokenscopeFormats

// MARK: - Small batches without packing

/// y (tokens, out) = x (tokens, in) · Wᵀ for a batch of a few input rows (a short prompt), with every
/// 32-weight block dequantised into registers once and met there by every token of the batch.
///
/// For 2 to `maximumTokens` rows the tiled product's packing (dequantise a 16-row panel to scratch,
/// transpose it k-major, then run a 16 × 6 tile over it) costs more than its few tokens' FMAs
/// save; here nothing is written but the outputs. Two weight rows are taken at a time: each block of
/// each row becomes four `SIMD8<Float>` (the same operations as `Dequantizer`, so the same f32
/// weights), then for each token the block's 32 inputs are loaded once and multiplied with both
/// rows. Each output has its own accumulator (8 lanes, in memory: (2, tokens) of them), to which a
/// block adds (w₀·x₀ + w₂·x₂) + (w₁·x₁ + w₃·x₃); one horizontal sum per output at the end. The
/// order of the sums depends only on the output's row and token, never on the pairing, the chunk or
/// the thread count.
///
/// Covered: Q4_0, Q4_1, Q8_0 (in a multiple of 32), Q4_K (of 256), F16 and F32 (any width: a last
/// partial block is added scalar after the horizontal sum). Other types keep the row loop or the
/// tiled product (`MatrixMultiply.apply`).
enum SmallBatchProduct {
    /// Batches of at most this many rows (and at least 2) use this product for the covered types.
    /// Measured on SmolLM2-135M Q4_1 prefills (Docs/PERFORMANCE.md, "Small batches without
    /// packing"): 1.4–1.6× the old paths at 2–6 rows, ~1.05× at 16, 0.94× at 20.
    static let maximumTokens = 16

    /// Whether weights of `type` with `columns` columns have a block decoder here.
    static func supports(_ type: TensorType, columns: Int) -> Bool {
        switch type {
        case .q4_0, .q4_1, .q8_0: return columns % 32 == 0
        case .q4_K: return columns % 256 == 0
        case .f16, .f32: return true
        default: return false
        }
    }

    /// y (tokens, weight.rows)[t, o] = x (tokens, weight.columns)[t] · W[o] for o in `range`.
    /// The weight's type must be one `supports` accepts; others write nothing.
    @inline(never)
    static func multiply(
        _ weight: TensorView, _ base: UnsafeRawPointer, _ x: UnsafePointer<Float>, tokens: Int, range: Range<Int>,
        into y: UnsafeMutablePointer<Float>
    ) {
        guard tokens > 0, !range.isEmpty, supports(weight.type, columns: weight.columns) else { return }
        // (2, tokens) accumulators: a pair's first row, then its second. Allocated here, outside the
        // generic loop: inside a generic specialisation the AVX2 intrinsics stayed out-of-line calls.
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 2 * tokens) { buffer in
            guard let accumulators = buffer.baseAddress else { return }
            switch weight.type {
            case .q4_1: run(Q4_1Blocks.self, weight, base, x, tokens: tokens, range: range, into: y, accumulators)
            case .q4_0: run(Q4_0Blocks.self, weight, base, x, tokens: tokens, range: range, into: y, accumulators)
            case .q8_0: run(Q8_0Blocks.self, weight, base, x, tokens: tokens, range: range, into: y, accumulators)
            case .q4_K: run(Q4_KBlocks.self, weight, base, x, tokens: tokens, range: range, into: y, accumulators)
            case .f16: run(F16Blocks.self, weight, base, x, tokens: tokens, range: range, into: y, accumulators)
            case .f32: run(F32Blocks.self, weight, base, x, tokens: tokens, range: range, into: y, accumulators)
            default: return
            }
        }
    }

    // MARK: Row loop

    /// The product for one block decoder: rows in pairs, an odd last row alone; `first` holds
    /// (2, tokens) accumulators.
    @inline(__always)
    static func run<Blocks: WeightBlocks>(
        _ blocks: Blocks.Type, _ weight: TensorView, _ base: UnsafeRawPointer, _ x: UnsafePointer<Float>, tokens: Int,
        range: Range<Int>, into y: UnsafeMutablePointer<Float>, _ first: UnsafeMutablePointer<SIMD8<Float>>
    ) {
        let inputs = weight.columns, outputs = weight.rows, stride = weight.rowStride
        let whole = inputs / 32
        let second = first + tokens
        var o = range.lowerBound
        while o + 2 <= range.upperBound {
            let row0 = base + o * stride, row1 = row0 + stride
            first.update(repeating: SIMD8<Float>(), count: 2 * tokens)
            for b in 0..<whole {
                let (p0, p1, p2, p3) = Blocks.block(row0, b)
                let (q0, q1, q2, q3) = Blocks.block(row1, b)
                var xs = x + b * 32
                for t in 0..<tokens {
                    let x0 = load8(xs), x1 = load8(xs + 8), x2 = load8(xs + 16), x3 = load8(xs + 24)
                    var s = p0 * x0, u = p1 * x1
                    s.addProduct(p2, x2)
                    u.addProduct(p3, x3)
                    first[t] += s + u
                    var v = q0 * x0, w = q1 * x1
                    v.addProduct(q2, x2)
                    w.addProduct(q3, x3)
                    second[t] += v + w
                    xs += inputs
                }
            }
            finish(Blocks.self, row0, first, x, tokens: tokens, inputs: inputs, into: y + o, outputs: outputs)
            finish(Blocks.self, row1, second, x, tokens: tokens, inputs: inputs, into: y + o + 1, outputs: outputs)
            o += 2
        }
        if o < range.upperBound {
            let row = base + o * stride
            first.update(repeating: SIMD8<Float>(), count: tokens)
            for b in 0..<whole {
                let (p0, p1, p2, p3) = Blocks.block(row, b)
                var xs = x + b * 32
                for t in 0..<tokens {
                    var s = p0 * load8(xs), u = p1 * load8(xs + 8)
                    s.addProduct(p2, load8(xs + 16))
                    u.addProduct(p3, load8(xs + 24))
                    first[t] += s + u
                    xs += inputs
                }
            }
            finish(Blocks.self, row, first, x, tokens: tokens, inputs: inputs, into: y + o, outputs: outputs)
        }
    }

    /// y[t · outputs] = the horizontal sum of `accumulators[t]`, plus the row's last partial block
    /// (F16, F32) one weight at a time.
    @inline(__always)
    static func finish<Blocks: WeightBlocks>(
        _ blocks: Blocks.Type, _ row: UnsafeRawPointer, _ accumulators: UnsafePointer<SIMD8<Float>>, _ x: UnsafePointer<Float>,
        tokens: Int, inputs: Int, into y: UnsafeMutablePointer<Float>, outputs: Int
    ) {
        let tail = inputs / 32 * 32
        for t in 0..<tokens {
            var sum = SIMDReduce.sum(accumulators[t])
            if tail < inputs {
                let xt = x + t * inputs
                for i in tail..<inputs { sum += Blocks.element(row, i) * xt[i] }
            }
            y[t * outputs] = sum
        }
    }

    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
}

// MARK: - Block decoders

/// The eight nibbles of bytes `offset..<offset + 8` as floats: low (weights offset…) and high (16 + offset…).
/// Written here, not borrowed from `TiledMatrixProduct`: called from there, the intrinsics stayed
/// out-of-line calls in this file (each file is its own LLVM module).
@inline(__always)
private func nibbles(_ p: UnsafeRawPointer, _ offset: Int) -> (low: SIMD8<Float>, high: SIMD8<Float>) {
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
private func int8s(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD8<Float> {
    #if TOKENSCOPE_AVX2 && arch(x86_64) && canImport(_Builtin_intrinsics.intel)
    let bytes = _mm256_cvtepi8_epi32(_mm_cvtsi64_si128(p.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
    return unsafeBitCast(_mm256_cvtepi32_ps(bytes), to: SIMD8<Float>.self)
    #else
    SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int8>.self)))
    #endif
}

/// Decodes the b-th run of 32 weights of a stored row into registers, in order.
protocol WeightBlocks {
    /// Weights 32b ..< 32b + 32 of `row`, as four vectors of eight.
    static func block(_ row: UnsafeRawPointer, _ b: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)
    /// Weight `i` of `row` (only called past the last whole block, for types without blocks).
    static func element(_ row: UnsafeRawPointer, _ i: Int) -> Float
}

extension WeightBlocks {
    @inline(__always)
    static func element(_ row: UnsafeRawPointer, _ i: Int) -> Float { .nan }
}

/// Q4_1: f16 d, f16 m, 16 bytes of nibbles; w = q·d + m (multiply, then add, as `Dequantizer`).
enum Q4_1Blocks: WeightBlocks {
    @inline(__always)
    static func block(_ row: UnsafeRawPointer, _ b: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let p = row + b * 20
        let d = SIMD8<Float>(repeating: Dequantizer.half(p, 0)), m = SIMD8<Float>(repeating: Dequantizer.half(p, 2))
        let (a0, a1) = nibbles(p, 4), (b0, b1) = nibbles(p, 12)
        return (a0 * d + m, b0 * d + m, a1 * d + m, b1 * d + m)
    }
}

/// Q4_0: f16 d, 16 bytes of nibbles; w = (q − 8)·d.
enum Q4_0Blocks: WeightBlocks {
    @inline(__always)
    static func block(_ row: UnsafeRawPointer, _ b: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let p = row + b * 18
        let d = SIMD8<Float>(repeating: Dequantizer.half(p, 0)), eight = SIMD8<Float>(repeating: 8)
        let (a0, a1) = nibbles(p, 2), (b0, b1) = nibbles(p, 10)
        return ((a0 - eight) * d, (b0 - eight) * d, (a1 - eight) * d, (b1 - eight) * d)
    }
}

/// Q8_0: f16 d, 32 signed bytes; w = q·d.
enum Q8_0Blocks: WeightBlocks {
    @inline(__always)
    static func block(_ row: UnsafeRawPointer, _ b: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let p = row + b * 34
        let d = SIMD8<Float>(repeating: Dequantizer.half(p, 0))
        return (
            int8s(p, 2) * d, int8s(p, 10) * d,
            int8s(p, 18) * d, int8s(p, 26) * d
        )
    }
}

/// Q4_K: super-blocks of 256 (f16 d, f16 dmin, 12 bytes of 6-bit scales and minimums, 128 bytes of
/// nibbles); sub-block j of 32 is the low (even j) or high (odd j) nibbles of bytes 32·(j / 2) …;
/// w = (d·scale)·q − dmin·min, as `Dequantizer.dequantizeQ4K`.
enum Q4_KBlocks: WeightBlocks {
    @inline(__always)
    static func block(_ row: UnsafeRawPointer, _ b: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let p = row + (b / 8) * 144, j = b % 8
        let (scale, minimum) = Dequantizer.scaleMin(j, p + 4)
        let d = SIMD8<Float>(repeating: Dequantizer.half(p, 0) * scale)
        let m = SIMD8<Float>(repeating: Dequantizer.half(p, 2) * minimum)
        let q = p + 16 + (j / 2) * 32
        let (l0, h0) = nibbles(q, 0), (l1, h1) = nibbles(q, 8)
        let (l2, h2) = nibbles(q, 16), (l3, h3) = nibbles(q, 24)
        if j % 2 == 0 { return (d * l0 - m, d * l1 - m, d * l2 - m, d * l3 - m) }
        return (d * h0 - m, d * h1 - m, d * h2 - m, d * h3 - m)
    }
}

/// F16: halves widened eight at a time (F16C).
enum F16Blocks: WeightBlocks {
    @inline(__always)
    static func block(_ row: UnsafeRawPointer, _ b: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let p = row + b * 64
        return (
            SIMD8<Float>(p.loadUnaligned(as: SIMD8<Float16>.self)),
            SIMD8<Float>(p.loadUnaligned(fromByteOffset: 16, as: SIMD8<Float16>.self)),
            SIMD8<Float>(p.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float16>.self)),
            SIMD8<Float>(p.loadUnaligned(fromByteOffset: 48, as: SIMD8<Float16>.self))
        )
    }

    @inline(__always)
    static func element(_ row: UnsafeRawPointer, _ i: Int) -> Float { Dequantizer.half(row, 2 * i) }
}

/// F32: the weights as stored.
enum F32Blocks: WeightBlocks {
    @inline(__always)
    static func block(_ row: UnsafeRawPointer, _ b: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let p = row + b * 128
        return (
            p.loadUnaligned(as: SIMD8<Float>.self), p.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
            p.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self), p.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
        )
    }

    @inline(__always)
    static func element(_ row: UnsafeRawPointer, _ i: Int) -> Float { row.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
}

import Testing
import TokenscopeFormats
@testable import TokenscopeKernels

/// The small-batch product (`SmallBatchProduct`: blocks dequantised into registers, no packing)
/// against a Double product of the dequantised weights, against the tiled product, through
/// `MatrixMultiply.apply`, and across chunkings and the worker pool.
///
/// Tolerance as in `TiledMatrixProductTests`: f32 sums of `in` products, so 1e-5·Σ|w·x| (measured
/// below 1e-6); the weights are the dequantiser's own f32 values, so only the sums round.
@Suite struct SmallBatchProductTests {
    /// Every type the small-batch product decodes.
    static let types: [TensorType] = [.q4_1, .q4_0, .q8_0, .q4_K, .f16, .f32]

    /// Columns for `type`: five blocks of 32, two super-blocks of 256, or an odd width for F16/F32
    /// (163 = 5·32 + 3: a partial last block).
    static func columns(_ type: TensorType) -> Int {
        switch type {
        case .q4_K: return 512
        case .f16, .f32: return 163
        default: return 160
        }
    }

    typealias Fixture = TiledMatrixProductTests

    /// y = x · Wᵀ through `SmallBatchProduct.multiply` over `ranges` (in turn, on this thread).
    static func product(
        _ view: TensorView, _ base: UnsafeRawPointer, _ x: [Float], tokens: Int, ranges: [Range<Int>]
    ) -> [Float] {
        var y = [Float](repeating: .nan, count: tokens * view.rows)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                for range in ranges {
                    SmallBatchProduct.multiply(view, base, xp.baseAddress!, tokens: tokens, range: range, into: yp.baseAddress!)
                }
            }
        }
        return y
    }

    @Test(arguments: types)
    func smallBatchMatchesADoubleReference(type: TensorType) throws {
        // 37 rows: an odd one left after the pairs; the second range starts at an odd row.
        let rows = 37, columns = Self.columns(type)
        let bytes = Fixture.matrix(type, rows: rows, columns: columns, seed: 23 &+ UInt64(type.rawValue))
        final class Owner {}
        try bytes.withUnsafeBytes { raw in
            let base = try #require(raw.baseAddress)
            let view = TensorView(name: "w", type: type, shape: [columns, rows], bytes: raw, owner: Owner())
            #expect(SmallBatchProduct.supports(type, columns: columns))
            let w = Fixture.dequantized(view, base)
            var worst = 0.0
            for tokens in 2...SmallBatchProduct.maximumTokens {
                var generator = Fixture.SplitMix(state: UInt64(100 + tokens))
                let x = (0..<(tokens * columns)).map { _ in Float.random(in: -2...2, using: &generator) }
                let y = Self.product(view, base, x, tokens: tokens, ranges: [0..<21, 21..<rows])
                worst = max(worst, Fixture.expectCloseToDouble(y, w: w, x: x, tokens: tokens, rows: rows, columns: columns, "\(type)"))
            }
            print("\(type): worst |small batch − Double| / Σ|w·x| = \(worst)")
        }
    }

    @Test(arguments: types)
    func smallBatchAgreesWithTheTiledProduct(type: TensorType) throws {
        let rows = 48, columns = Self.columns(type)
        let bytes = Fixture.matrix(type, rows: rows, columns: columns, seed: 31 &+ UInt64(type.rawValue))
        final class Owner {}
        try bytes.withUnsafeBytes { raw in
            let base = try #require(raw.baseAddress)
            let view = TensorView(name: "w", type: type, shape: [columns, rows], bytes: raw, owner: Owner())
            let w = Fixture.dequantized(view, base)
            var differing = 0
            for tokens in 2...SmallBatchProduct.maximumTokens {
                var generator = Fixture.SplitMix(state: UInt64(200 + tokens))
                let x = (0..<(tokens * columns)).map { _ in Float.random(in: -2...2, using: &generator) }
                let small = Self.product(view, base, x, tokens: tokens, ranges: [0..<rows])
                var tiled = [Float](repeating: .nan, count: tokens * rows)
                x.withUnsafeBufferPointer { xp in
                    tiled.withUnsafeMutableBufferPointer {
                        TiledMatrixProduct.multiply(view, base, xp.baseAddress!, tokens: tokens, range: 0..<rows, into: $0.baseAddress!)
                    }
                }
                for t in 0..<tokens {
                    for o in 0..<rows {
                        var scale = 0.0
                        for i in 0..<columns { scale += abs(w[o * columns + i] * Double(x[t * columns + i])) }
                        let a = small[t * rows + o], b = tiled[t * rows + o]
                        #expect(abs(Double(a) - Double(b)) <= 2e-6 * max(scale, 1e-3), "\(type) tokens \(tokens) token \(t) row \(o): \(a) vs \(b)")
                        if a != b { differing += 1 }
                    }
                }
            }
            // Another summation order: some outputs must differ in the last bits, or the two are one path.
            #expect(differing > 0, "\(type): the small-batch product is bit-identical to the tiled one")
        }
    }

    /// `apply` takes this product for 2 … `maximumTokens` rows of a covered type (bit-identical to
    /// calling it directly, whatever the chunks and threads), and the tiled product past that.
    @Test(arguments: [TensorType.q4_1, .q8_0, .f32])
    func applyUsesItForSmallBatchesOnly(type: TensorType) throws {
        let rows = 300, columns = type == .f32 ? 163 : 192
        let bytes = Fixture.matrix(type, rows: rows, columns: columns, seed: 41)
        final class Owner {}
        try bytes.withUnsafeBytes { raw in
            let base = try #require(raw.baseAddress)
            let view = TensorView(name: "w", type: type, shape: [columns, rows], bytes: raw, owner: Owner())
            for tokens in [2, 3, 5, 6, SmallBatchProduct.maximumTokens, SmallBatchProduct.maximumTokens + 1] {
                var generator = Fixture.SplitMix(state: UInt64(300 + tokens))
                let x = (0..<(tokens * columns)).map { _ in Float.random(in: -2...2, using: &generator) }
                var applied = [Float](repeating: .nan, count: tokens * rows), tiled = applied
                x.withUnsafeBufferPointer { xp in
                    applied.withUnsafeMutableBufferPointer { MatrixMultiply.apply(view, xp.baseAddress!, rows: tokens, into: $0.baseAddress!) }
                    tiled.withUnsafeMutableBufferPointer {
                        TiledMatrixProduct.multiply(view, base, xp.baseAddress!, tokens: tokens, range: 0..<rows, into: $0.baseAddress!)
                    }
                }
                let small = Self.product(view, base, x, tokens: tokens, ranges: [0..<rows])
                #expect(!applied.contains { $0.isNaN }, "\(type) tokens \(tokens): an output was not written")
                if tokens <= SmallBatchProduct.maximumTokens {
                    #expect(applied == small, "\(type) tokens \(tokens): apply did not take the small-batch product")
                    #expect(applied != tiled, "\(type) tokens \(tokens): equal to the tiled product bit for bit")
                } else {
                    #expect(applied == tiled, "\(type) tokens \(tokens): apply did not take the tiled product")
                }
            }
        }
    }

    /// One call on this thread, uneven chunks (odd starts split the row pairs differently) and the
    /// worker pool (`MatrixMultiply.apply` with `Parallel.threadCount` threads, every core by default:
    /// 2 on the development machine) give the same bits.
    @Test func chunksAndThreadsDoNotChangeTheResult() throws {
        let rows = 301, columns = 192, tokens = 6
        let bytes = Fixture.matrix(.q4_1, rows: rows, columns: columns, seed: 43)
        final class Owner {}
        try bytes.withUnsafeBytes { raw in
            let base = try #require(raw.baseAddress)
            let view = TensorView(name: "w", type: .q4_1, shape: [columns, rows], bytes: raw, owner: Owner())
            var generator = Fixture.SplitMix(state: 47)
            let x = (0..<(tokens * columns)).map { _ in Float.random(in: -2...2, using: &generator) }
            let whole = Self.product(view, base, x, tokens: tokens, ranges: [0..<rows])
            let uneven = Self.product(view, base, x, tokens: tokens, ranges: [0..<1, 1..<4, 4..<77, 77..<150, 150..<rows])
            var pooled = [Float](repeating: .nan, count: tokens * rows)
            x.withUnsafeBufferPointer { xp in
                pooled.withUnsafeMutableBufferPointer { MatrixMultiply.apply(view, xp.baseAddress!, rows: tokens, into: $0.baseAddress!) }
            }
            #expect(whole == uneven)
            #expect(whole == pooled)
            #expect(!whole.contains { $0.isNaN })
        }
    }
}

import Testing
import TokenscopeFormats
@testable import TokenscopeKernels

/// The register-tiled batched product (`TiledMatrixProduct`) against a Double product of the
/// dequantised weights, against the row loop it replaced, and across thread counts.
///
/// Tolerance: f32 sums of `in` products in k order, each output by one FMA chain, so the error is
/// within a few `in`·ε·Σ|w·x| in the worst case and ~√in·ε·Σ|w·x| typically; the tests allow
/// 1e-5·Σ|w·x| (at in ≤ 512, the worst case is ~3e-5 only with adversarial signs; measured < 1e-6).
@Suite struct TiledMatrixProductTests {
    /// Every type the batched path dequantises.
    static let types: [TensorType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K, .q8_K]

    /// A random matrix of `type`, `rows` × `columns`, with random quants and sane block scales.
    static func matrix(_ type: TensorType, rows: Int, columns: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix(state: seed)
        func half(_ value: Float) -> [UInt8] { withUnsafeBytes(of: Float16(value).bitPattern.littleEndian, Array.init) }
        switch type {
        case .f32:
            return (0..<(rows * columns)).flatMap { _ in
                withUnsafeBytes(of: Float.random(in: -1...1, using: &generator).bitPattern.littleEndian, Array.init)
            }
        case .f16:
            return (0..<(rows * columns)).flatMap { _ in half(Float.random(in: -1...1, using: &generator)) }
        case .bf16:
            return (0..<(rows * columns)).flatMap { _ in
                withUnsafeBytes(of: UInt16(Float.random(in: -1...1, using: &generator).bitPattern >> 16).littleEndian, Array.init)
            }
        default:
            break
        }
        let rowBytes = columns / type.blockSize * type.blockBytes
        var bytes = (0..<(rows * rowBytes)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for block in stride(from: 0, to: bytes.count, by: type.blockBytes) {
            let scale = half(Float.random(in: -0.05...0.05, using: &generator))
            let minimum = half(Float.random(in: -0.05...0.05, using: &generator))
            switch type {
            case .q8_0, .q4_0, .q5_0:
                bytes.replaceSubrange(block..<(block + 2), with: scale)
            case .q4_1, .q5_1, .q4_K, .q5_K:
                bytes.replaceSubrange(block..<(block + 2), with: scale)
                bytes.replaceSubrange((block + 2)..<(block + 4), with: minimum)
            case .q6_K:
                bytes.replaceSubrange((block + 208)..<(block + 210), with: scale)
            case .q8_K:
                let d = withUnsafeBytes(of: Float.random(in: -0.05...0.05, using: &generator).bitPattern.littleEndian, Array.init)
                bytes.replaceSubrange(block..<(block + 4), with: d)
            default:
                break
            }
        }
        return bytes
    }

    /// A small deterministic generator, so a failure can be rerun.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Checks every output of `y` (tokens, rows) against the Double product of `w` (rows, columns)
    /// and `x` (tokens, columns) within 1e-5·Σ|w·x|; returns the worst error relative to Σ|w·x|.
    static func expectCloseToDouble(
        _ y: [Float], w: [Double], x: [Float], tokens: Int, rows: Int, columns: Int, _ label: String
    ) -> Double {
        var worst = 0.0
        for t in 0..<tokens {
            for o in 0..<rows {
                var reference = 0.0, scale = 0.0
                for i in 0..<columns {
                    let product = w[o * columns + i] * Double(x[t * columns + i])
                    reference += product
                    scale += abs(product)
                }
                let error = abs(Double(y[t * rows + o]) - reference)
                #expect(error <= 1e-5 * max(scale, 1e-3), "\(label) tokens \(tokens) token \(t) row \(o): \(y[t * rows + o]) vs \(reference)")
                #expect(scale > 0, "\(label): an all-zero row proves nothing")
                worst = max(worst, error / max(scale, 1e-3))
            }
        }
        return worst
    }

    /// The weights as Doubles, (rows, columns).
    static func dequantized(_ view: TensorView, _ raw: UnsafeRawPointer) -> [Double] {
        var row = [Float](repeating: 0, count: view.columns)
        var all: [Double] = []
        for o in 0..<view.rows {
            row.withUnsafeMutableBufferPointer { _ = Dequantizer.dequantize(view.type, raw + o * view.rowStride, count: view.columns, into: $0.baseAddress!) }
            all += row.map(Double.init)
        }
        return all
    }

    @Test(arguments: types)
    func tiledProductMatchesADoubleReference(type: TensorType) throws {
        // Rows not a multiple of the 16-row panel; columns 32·n (or 256·n for K-quants).
        let rows = 37, columns = type.blockSize == 256 ? 512 : 32 * 5
        let bytes = Self.matrix(type, rows: rows, columns: columns, seed: 19 &+ UInt64(type.rawValue))
        final class Owner {}
        try bytes.withUnsafeBytes { raw in
            let base = try #require(raw.baseAddress)
            let view = TensorView(name: "w", type: type, shape: [columns, rows], bytes: raw, owner: Owner())
            let w = Self.dequantized(view, base)
            var worst = 0.0
            for tokens in [1, 2, 3, 5, 6, 7, 11, 12, 13, 64, 130] {
                var generator = SplitMix(state: UInt64(tokens))
                let x = (0..<(tokens * columns)).map { _ in Float.random(in: -2...2, using: &generator) }
                var y = [Float](repeating: .nan, count: tokens * rows)
                x.withUnsafeBufferPointer { xp in
                    y.withUnsafeMutableBufferPointer { yp in
                        // Two ranges, the second starting inside a panel, as a chunk boundary may.
                        TiledMatrixProduct.multiply(view, base, xp.baseAddress!, tokens: tokens, range: 0..<21, into: yp.baseAddress!)
                        TiledMatrixProduct.multiply(view, base, xp.baseAddress!, tokens: tokens, range: 21..<rows, into: yp.baseAddress!)
                    }
                }
                worst = max(worst, Self.expectCloseToDouble(y, w: w, x: x, tokens: tokens, rows: rows, columns: columns, "\(type)"))
            }
            print("\(type): worst |tiled − Double| / Σ|w·x| = \(worst)")
        }
    }

    @Test(arguments: [TensorType.q4_1, .q8_0, .q6_K, .f16])
    func batchedProductsEqualTheRowLoopClosely(type: TensorType) throws {
        let rows = 70, columns = type.blockSize == 256 ? 256 : 96, tokens = 29
        let bytes = Self.matrix(type, rows: rows, columns: columns, seed: 7)
        final class Owner {}
        try bytes.withUnsafeBytes { raw in
            let base = try #require(raw.baseAddress)
            let view = TensorView(name: "w", type: type, shape: [columns, rows], bytes: raw, owner: Owner())
            let w = Self.dequantized(view, base)
            var generator = SplitMix(state: 3)
            let x = (0..<(tokens * columns)).map { _ in Float.random(in: -2...2, using: &generator) }
            var tiled = [Float](repeating: .nan, count: tokens * rows), loop = tiled
            x.withUnsafeBufferPointer { xp in
                tiled.withUnsafeMutableBufferPointer { MatrixMultiply.apply(view, xp.baseAddress!, rows: tokens, into: $0.baseAddress!) }
                loop.withUnsafeMutableBufferPointer {
                    MatrixMultiply.matrixRows(view, base, xp.baseAddress!, rows: tokens, range: 0..<rows, into: $0.baseAddress!)
                }
            }
            var differing = 0
            for t in 0..<tokens {
                for o in 0..<rows {
                    var scale = 0.0
                    for i in 0..<columns { scale += abs(w[o * columns + i] * Double(x[t * columns + i])) }
                    let a = tiled[t * rows + o], b = loop[t * rows + o]
                    #expect(abs(Double(a) - Double(b)) <= 2e-6 * scale, "\(type) token \(t) row \(o): \(a) vs \(b)")
                    if a != b { differing += 1 }
                }
            }
            // Different summation order: some outputs must differ in the last bits, or `apply` did not take the tiled path.
            #expect(differing > 0, "\(type): the batched product is bit-identical to the row loop")
        }
    }

    @Test func threadCountsAndChunkingDoNotChangeTheResult() throws {
        let rows = 300, columns = 192, tokens = 20
        let bytes = Self.matrix(.q4_1, rows: rows, columns: columns, seed: 11)
        final class Owner {}
        try bytes.withUnsafeBytes { raw in
            let base = try #require(raw.baseAddress)
            let view = TensorView(name: "w", type: .q4_1, shape: [columns, rows], bytes: raw, owner: Owner())
            var generator = SplitMix(state: 5)
            let x = (0..<(tokens * columns)).map { _ in Float.random(in: -2...2, using: &generator) }
            var whole = [Float](repeating: .nan, count: tokens * rows), parallel = whole
            x.withUnsafeBufferPointer { xp in
                whole.withUnsafeMutableBufferPointer {
                    TiledMatrixProduct.multiply(view, base, xp.baseAddress!, tokens: tokens, range: 0..<rows, into: $0.baseAddress!)
                }
                parallel.withUnsafeMutableBufferPointer { MatrixMultiply.apply(view, xp.baseAddress!, rows: tokens, into: $0.baseAddress!) }
            }
            #expect(whole == parallel)
            #expect(!whole.contains { $0.isNaN })
        }
    }
}

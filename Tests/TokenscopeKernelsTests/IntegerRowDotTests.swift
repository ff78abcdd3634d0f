import Testing
import TokenscopeFormats
import TokenscopeKernels

/// The integer dot products (int8 activations) against Double: exactly the product of the weights
/// with the int8-rounded activations, and within the rounding's proven bound of the product with
/// the f32 activations.
@Suite(.enabled(if: IntegerRowDot.isAvailable, "the integer kernels are not in this build (TOKENSCOPE_GENERIC_CPU)"))
struct IntegerRowDotTests {
    static let types: [TensorType] = [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K]

    /// Byte offsets of a block's f16 scale and, for types with one, its f16 minimum.
    static func scaleOffsets(_ type: TensorType) -> (scale: Int, minimum: Int?) {
        switch type {
        case .q4_1, .q5_1, .q4_K, .q5_K: (0, 2)
        case .q6_K: (208, nil)
        default: (0, nil)
        }
    }

    /// A random matrix of `type`: random quants, 6-bit and int8 sub-block scales over their whole
    /// range, f16 scales mostly in ±0.05 and minimums in 0…0.05, and with `extremes` about one block
    /// in eight with an extreme scale or minimum (0, the smallest subnormal, ±65 504, 10⁻⁴).
    static func matrix(_ type: TensorType, rows: Int, columns: Int, extremes: Bool = true) -> [UInt8] {
        var bytes = (0..<(rows * columns / type.blockSize * type.blockBytes)).map { _ in UInt8.random(in: 0...255) }
        let (scaleOffset, minimumOffset) = scaleOffsets(type)
        let extreme: [Float] = [0, Float(Float16.leastNonzeroMagnitude), 65_504, -65_504, 1e-4]
        func put(_ value: Float, at offset: Int) {
            let bits = Float16(value).bitPattern
            bytes[offset] = UInt8(bits & 0xFF)
            bytes[offset + 1] = UInt8(bits >> 8)
        }
        for block in stride(from: 0, to: bytes.count, by: type.blockBytes) {
            let wild = extremes && Int.random(in: 0..<8) == 0
            put(wild ? extreme.randomElement()! : Float.random(in: -0.05...0.05), at: block + scaleOffset)
            if let minimumOffset {
                put(wild && Bool.random() ? abs(extreme.randomElement()!) : Float.random(in: 0...0.05), at: block + minimumOffset)
            }
        }
        return bytes
    }

    /// x rounded to int8 per 32-block as the kernels do: scale max|x|/127, nearest, ties to even.
    static func quantized(_ x: [Float]) -> (values: [Double], bound: [Double]) {
        var values = [Double](repeating: 0, count: x.count), bound = [Double](repeating: 0, count: x.count)
        for b in stride(from: 0, to: x.count, by: 32) {
            let amax = x[b..<(b + 32)].map(abs).max() ?? 0
            let inverse: Float = amax > 0 ? 127 / amax : 0
            for i in b..<(b + 32) {
                let q = (x[i] * inverse).rounded(.toNearestOrEven)
                values[i] = Double(q) * Double(amax / 127)
                bound[i] = Double(amax) / 254  // the rounding moves no element further
            }
        }
        return (values, bound)
    }

    @Test(arguments: IntegerRowDotTests.types)
    func dotsMatchDoubleOnTheRoundedActivations(type: TensorType) throws {
        let rows = 41, columns = type.blockSize == 256 ? 512 : 576
        var bytes = Self.matrix(type, rows: rows, columns: columns)
        #expect(IntegerRowDot.supports(type, columns: columns))
        try bytes.withUnsafeMutableBytes { raw in
            let base = try #require(raw.baseAddress)
            let stride = columns / type.blockSize * type.blockBytes
            // Activations like a residual stream's: mostly small, a few large outliers.
            var x = (0..<columns).map { _ in Float.random(in: -1...1) }
            for i in [3, 100, 257] { x[i] = Float.random(in: 20...60) * (Bool.random() ? 1 : -1) }
            // And whole blocks far from that: one of zeros, one of 10⁻²⁰s, one of 10⁴s.
            for i in 32..<64 { x[i] = 0 }
            for i in 64..<96 { x[i] *= 1e-20 }
            for i in 160..<192 { x[i] *= 1e4 }
            let (rounded, bound) = Self.quantized(x)
            var w = [Float](repeating: 0, count: columns)
            var worstExact = 0.0, worstRounding = 0.0, moved = 0
            for o in 0..<rows {
                let row = base + o * stride
                w.withUnsafeMutableBufferPointer { _ = Dequantizer.dequantize(type, row, count: columns, into: $0.baseAddress!) }
                let y = Double(x.withUnsafeBufferPointer { IntegerRowDot.dot(type, row, $0.baseAddress!, count: columns) })
                var onRounded = 0.0, onFloat = 0.0, scale = 0.0, roundingBound = 0.0
                for i in 0..<columns {
                    onRounded += Double(w[i]) * rounded[i]
                    onFloat += Double(w[i]) * Double(x[i])
                    scale += abs(Double(w[i]) * Double(x[i]))
                    roundingBound += abs(Double(w[i])) * bound[i]
                }
                // f32 accumulation of exact integer block sums: relative 1e-5 of Σ|w·x| covers it.
                #expect(abs(y - onRounded) <= 1e-5 * max(scale, 1), "\(type) row \(o): \(y) vs \(onRounded)")
                #expect(abs(y - onFloat) <= roundingBound + 1e-5 * max(scale, 1), "\(type) row \(o): \(y) vs f32 \(onFloat)")
                worstExact = max(worstExact, abs(y - onRounded) / max(scale, 1))
                worstRounding = max(worstRounding, abs(y - onFloat) / max(roundingBound, 1e-30))
                if abs(y - onFloat) > 1e-6 * max(scale, 1) { moved += 1 }
            }
            // The rounding must be visible: a kernel that secretly used f32 activations would pass the bounds.
            #expect(moved > rows / 2, "\(type): only \(moved) of \(rows) rows differ from the f32 product")
            print("\(type): worst |int8 − Double on rounded| / Σ|w·x| = \(worstExact), worst |int8 − f32 product| / bound = \(worstRounding)")
        }
    }

    /// One decode product through `MatrixMultiply` (parallel chunks of rows) gives each row exactly
    /// the kernel's own dot product, for an odd number of rows and two matrices of one input.
    @Test(arguments: IntegerRowDotTests.types)
    func decodeProductsOfOddRowCountsMatchTheKernel(type: TensorType) throws {
        let columns = type.blockSize == 256 ? 768 : 640, rowsA = 67, rowsB = 33
        let a = Self.matrix(type, rows: rowsA, columns: columns), b = Self.matrix(type, rows: rowsB, columns: columns)
        let stride = columns / type.blockSize * type.blockBytes
        final class Owner {}
        try a.withUnsafeBytes { ra in
            try b.withUnsafeBytes { rb in
                let pa = try #require(ra.baseAddress), pb = try #require(rb.baseAddress)
                let va = TensorView(name: "a", type: type, shape: [columns, rowsA], bytes: ra, owner: Owner())
                let vb = TensorView(name: "b", type: type, shape: [columns, rowsB], bytes: rb, owner: Owner())
                let x = (0..<columns).map { _ in Float.random(in: -3...3) }
                var ya = [Float](repeating: .nan, count: rowsA), yb = [Float](repeating: .nan, count: rowsB)
                x.withUnsafeBufferPointer { xp in
                    ya.withUnsafeMutableBufferPointer { oa in
                        yb.withUnsafeMutableBufferPointer { ob in
                            MatrixMultiply.apply([va, vb], xp.baseAddress!, rows: 1, into: [oa.baseAddress!, ob.baseAddress!], activations: .int8)
                        }
                    }
                }
                for (y, base, rows) in [(ya, pa, rowsA), (yb, pb, rowsB)] {
                    for o in 0..<rows {
                        let expected = x.withUnsafeBufferPointer { IntegerRowDot.dot(type, base + o * stride, $0.baseAddress!, count: columns) }
                        #expect(expected.isFinite && y[o] == expected, "\(type) row \(o) of \(rows): \(y[o]) vs \(expected)")
                    }
                }
            }
        }
    }

    @Test func decodeProductsUseTheIntegerKernelsAndBatchesDoNot() throws {
        let columns = 96, rowsA = 66, rowsB = 34
        let a = MatrixMultiplyTests.matrix(.q4_1, rows: rowsA, columns: columns)
        let b = MatrixMultiplyTests.matrix(.q8_0, rows: rowsB, columns: columns)
        final class Owner {}
        try a.withUnsafeBytes { ra in
            try b.withUnsafeBytes { rb in
                let va = TensorView(name: "a", type: .q4_1, shape: [columns, rowsA], bytes: ra, owner: Owner())
                let vb = TensorView(name: "b", type: .q8_0, shape: [columns, rowsB], bytes: rb, owner: Owner())
                let x = (0..<(2 * columns)).map { _ in Float.random(in: -2...2) }
                var ya = [Float](repeating: .nan, count: 2 * rowsA), yb = [Float](repeating: .nan, count: 2 * rowsB)
                var fa = ya, fb = yb
                let pa = try #require(ra.baseAddress), pb = try #require(rb.baseAddress)
                x.withUnsafeBufferPointer { xp in
                    ya.withUnsafeMutableBufferPointer { oa in
                        yb.withUnsafeMutableBufferPointer { ob in
                            MatrixMultiply.apply([va, vb], xp.baseAddress!, rows: 1, into: [oa.baseAddress!, ob.baseAddress!], activations: .int8)
                        }
                    }
                    fa.withUnsafeMutableBufferPointer { oa in
                        fb.withUnsafeMutableBufferPointer { ob in
                            MatrixMultiply.apply([va, vb], xp.baseAddress!, rows: 2, into: [oa.baseAddress!, ob.baseAddress!], activations: .int8)
                        }
                    }
                }
                for o in 0..<rowsA {
                    let expected = x.withUnsafeBufferPointer { IntegerRowDot.dot(.q4_1, pa + o * va.rowStride, $0.baseAddress!, count: columns) }
                    #expect(ya[o] == expected, "Q4_1 row \(o)")
                    let float = x.withUnsafeBufferPointer { RowDot.dot(.q4_1, pa + o * va.rowStride, $0.baseAddress!, count: columns) }
                    #expect(abs(fa[o] - float) <= 1e-4 * max(1, abs(float)), "batch row \(o) is f32")
                }
                for o in 0..<rowsB {
                    let expected = x.withUnsafeBufferPointer { IntegerRowDot.dot(.q8_0, pb + o * vb.rowStride, $0.baseAddress!, count: columns) }
                    #expect(yb[o] == expected, "Q8_0 row \(o)")
                }
            }
        }
    }

    @Test func unsupportedShapesAndTypesSayNo() {
        #expect(!IntegerRowDot.supports(.q4_1, columns: 48))
        #expect(!IntegerRowDot.supports(.q4_K, columns: 288))
        #expect(!IntegerRowDot.supports(.f32, columns: 64))
        #expect(!IntegerRowDot.supports(.q6_K, columns: 640))
        #expect(!IntegerRowDot.supports(.q5_K, columns: 288))
        #expect(!IntegerRowDot.supports(.q8_K, columns: 256))
        #expect(IntegerRowDot.supports(.q6_K, columns: 256) && IntegerRowDot.supports(.q5_0, columns: 640))
        let zeros = [UInt8](repeating: 0, count: 64), x = [Float](repeating: 1, count: 16)
        zeros.withUnsafeBytes { raw in
            x.withUnsafeBufferPointer { #expect(IntegerRowDot.dot(.f32, raw.baseAddress!, $0.baseAddress!, count: 16).isNaN) }
        }
    }

    @Test func aZeroBlockQuantisesToZeroNotNaN() throws {
        let bytes = MatrixMultiplyTests.matrix(.q4_1, rows: 1, columns: 64)
        var x = [Float](repeating: 0, count: 64)
        x[40] = 3
        let y = bytes.withUnsafeBytes { raw in x.withUnsafeBufferPointer { IntegerRowDot.dot(.q4_1, raw.baseAddress!, $0.baseAddress!, count: 64) } }
        let float = bytes.withUnsafeBytes { raw in x.withUnsafeBufferPointer { RowDot.dot(.q4_1, raw.baseAddress!, $0.baseAddress!, count: 64) } }
        #expect(y.isFinite)
        #expect(abs(y - float) <= 1e-5 * max(1, abs(float)))  // 3 is exactly 127 · (3/127): no rounding
    }
}

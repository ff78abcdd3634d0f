import Testing
import TokenscopeFormats
import TokenscopeKernels

/// Matrix products on quantised weights against dequantise-then-multiply in Double.
@Suite struct MatrixMultiplyTests {
    /// A random matrix of `type` with `rows` rows of `columns`, built from random blocks with sane scales.
    static func matrix(_ type: TensorType, rows: Int, columns: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let rowBytes = columns / type.blockSize * type.blockBytes
        var bytes = (0..<(rows * rowBytes)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for block in stride(from: 0, to: bytes.count, by: type.blockBytes) {
            let scale = Float16(Float.random(in: -0.05...0.05, using: &generator)).bitPattern
            switch type {
            case .q4_1, .q8_0:
                bytes[block] = UInt8(scale & 0xFF)
                bytes[block + 1] = UInt8(scale >> 8)
                if type == .q4_1 { bytes[block + 3] = 0x3C }  // minimum near 1
            case .q4_K:  // f16 d and dmin
                let minimum = Float16(Float.random(in: 0...0.05, using: &generator)).bitPattern
                bytes[block] = UInt8(scale & 0xFF)
                bytes[block + 1] = UInt8(scale >> 8)
                bytes[block + 2] = UInt8(minimum & 0xFF)
                bytes[block + 3] = UInt8(minimum >> 8)
            case .q6_K:  // f16 d last
                bytes[block + 208] = UInt8(scale & 0xFF)
                bytes[block + 209] = UInt8(scale >> 8)
            default: break
            }
        }
        if type == .f16 {
            bytes = (0..<(rows * columns)).flatMap { _ in withUnsafeBytes(of: Float16(Float.random(in: -1...1, using: &generator)).bitPattern.littleEndian, Array.init) }
        }
        if type == .f32 {
            bytes = (0..<(rows * columns)).flatMap { _ in withUnsafeBytes(of: Float.random(in: -1...1, using: &generator).bitPattern.littleEndian, Array.init) }
        }
        return bytes
    }

    @Test(arguments: [TensorType.q4_1, .q8_0, .q4_K, .q6_K, .f16, .f32], [1, 3, 7])
    func productsMatchADoubleReference(type: TensorType, batch: Int) {
        let rows = 70, columns = type.blockSize == 256 ? 512 : 96
        var bytes = Self.matrix(type, rows: rows, columns: columns)
        final class Owner {}
        bytes.withUnsafeMutableBytes { raw in
            let view = TensorView(name: "test", type: type, shape: [columns, rows], bytes: UnsafeRawBufferPointer(raw), owner: Owner())
            let x = (0..<(batch * columns)).map { _ in Float.random(in: -2...2) }
            var y = [Float](repeating: .nan, count: batch * rows)
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in MatrixMultiply.apply(view, xp.baseAddress!, rows: batch, into: yp.baseAddress!) }
            }
            var w = [Float](repeating: 0, count: columns)
            for o in 0..<rows {
                w.withUnsafeMutableBufferPointer { wp in
                    _ = Dequantizer.dequantize(type, raw.baseAddress! + o * view.rowStride, count: columns, into: wp.baseAddress!)
                }
                for t in 0..<batch {
                    var reference = 0.0, scale = 0.0
                    for i in 0..<columns {
                        reference += Double(w[i]) * Double(x[t * columns + i])
                        scale += abs(Double(w[i]) * Double(x[t * columns + i]))
                    }
                    #expect(abs(Double(y[t * rows + o]) - reference) <= 1e-5 * max(scale, 1), "\(type) row \(o) batch \(t)")
                    #expect(scale > 0, "\(type): the generated row is all zeros, so the test would prove nothing")
                }
            }
        }
    }

    @Test func severalMatricesInOneJobEqualSeparateProducts() {
        let columns = 64, rowsA = 130, rowsB = 40
        let a = Self.matrix(.q4_1, rows: rowsA, columns: columns), b = Self.matrix(.q8_0, rows: rowsB, columns: columns)
        final class Owner {}
        a.withUnsafeBytes { ra in
            b.withUnsafeBytes { rb in
                let va = TensorView(name: "a", type: .q4_1, shape: [columns, rowsA], bytes: ra, owner: Owner())
                let vb = TensorView(name: "b", type: .q8_0, shape: [columns, rowsB], bytes: rb, owner: Owner())
                for batch in [1, 5] {
                    let x = (0..<(batch * columns)).map { _ in Float.random(in: -2...2) }
                    var ya = [Float](repeating: .nan, count: batch * rowsA), yb = [Float](repeating: .nan, count: batch * rowsB)
                    var sa = ya, sb = yb
                    x.withUnsafeBufferPointer { xp in
                        ya.withUnsafeMutableBufferPointer { pa in
                            yb.withUnsafeMutableBufferPointer { pb in
                                MatrixMultiply.apply([va, vb], xp.baseAddress!, rows: batch, into: [pa.baseAddress!, pb.baseAddress!])
                            }
                        }
                        sa.withUnsafeMutableBufferPointer { MatrixMultiply.apply(va, xp.baseAddress!, rows: batch, into: $0.baseAddress!) }
                        sb.withUnsafeMutableBufferPointer { MatrixMultiply.apply(vb, xp.baseAddress!, rows: batch, into: $0.baseAddress!) }
                    }
                    #expect(ya == sa && yb == sb, "batch \(batch)")
                    #expect(!ya.contains { $0.isNaN } && !yb.contains { $0.isNaN })
                }
            }
        }
    }

    @Test func oneThreadAndAllThreadsAgreeExactly() {
        let rows = 300, columns = 64
        let bytes = Self.matrix(.q4_1, rows: rows, columns: columns)
        final class Owner {}
        bytes.withUnsafeBytes { raw in
            let view = TensorView(name: "test", type: .q4_1, shape: [columns, rows], bytes: raw, owner: Owner())
            let x = (0..<columns).map { _ in Float.random(in: -2...2) }
            func run() -> [Float] {
                var y = [Float](repeating: 0, count: rows)
                x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { MatrixMultiply.apply(view, xp.baseAddress!, rows: 1, into: $0.baseAddress!) } }
                return y
            }
            let all = run()
            let saved = Parallel.threadCount
            Parallel.threadCount = 1
            let one = run()
            Parallel.threadCount = saved
            #expect(all == one)
        }
    }
}

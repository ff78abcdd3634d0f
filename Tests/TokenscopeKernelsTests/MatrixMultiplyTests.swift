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
            default: break
            }
        }
        if type == .f32 {
            bytes = (0..<(rows * columns)).flatMap { _ in withUnsafeBytes(of: Float.random(in: -1...1, using: &generator).bitPattern.littleEndian, Array.init) }
        }
        return bytes
    }

    @Test(arguments: [TensorType.q4_1, .q8_0, .f32], [1, 3, 7])
    func productsMatchADoubleReference(type: TensorType, batch: Int) {
        let rows = 70, columns = 96
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

import Foundation
import Testing
import TokenscopeFormats
import TokenscopeKernels
import TokenscopeTestSupport

/// Dequantisers and dot products against the `gguf` package's reference dequantisation
/// (fixtures from Tests/Reference/quants/make_quant_fixtures.py).
@Suite struct DequantizerTests {
    struct Entry: Decodable {
        let name: String
        let type: UInt32
        let offset: Int?
        let file_offset: Int?
        let bytes: Int
        let count: Int
        let values_offset: Int
    }
    struct Index: Decodable {
        let generated: [Entry]
        let model: [Entry]
    }

    static func fixture(_ name: String) throws -> Data {
        let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Fixtures/\(name)")
        return try Data(contentsOf: url)
    }

    static func floats(_ data: Data, at offset: Int, count: Int) -> [Float] {
        data.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * $0, as: UInt32.self))) }
        }
    }

    /// Dequantises `raw` and compares bit for bit; then checks the fused dot against a Double dot.
    static func check(_ entry: Entry, raw: UnsafeRawBufferPointer, expected: [Float]) {
        guard let type = TensorType(rawValue: entry.type), let base = raw.baseAddress else {
            Issue.record("\(entry.name): unknown type \(entry.type)")
            return
        }
        var values = [Float](repeating: .nan, count: entry.count)
        let ok = values.withUnsafeMutableBufferPointer { Dequantizer.dequantize(type, base, count: entry.count, into: $0.baseAddress!) }
        #expect(ok, "\(entry.name)")
        let mismatches = zip(values, expected).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(mismatches == 0, "\(entry.name) (\(type)): \(mismatches) of \(entry.count) values differ from gguf")
        // The fused dot product against random activations.
        var generator = SystemRandomNumberGenerator()
        let x = (0..<entry.count).map { _ in Float.random(in: -1...1, using: &generator) }
        let reference = zip(expected, x).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let scale = zip(expected, x).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
        let fused = x.withUnsafeBufferPointer { RowDot.dot(type, base, $0.baseAddress!, count: entry.count) }
        #expect(abs(Double(fused) - reference) <= 1e-5 * max(scale, 1), "\(entry.name) dot: \(fused) vs \(reference)")
    }

    @Test func everyTypeMatchesTheReferenceOnGeneratedBlocks() throws {
        let index = try JSONDecoder().decode(Index.self, from: Self.fixture("quants.json"))
        let blob = try Self.fixture("quants.bin")
        #expect(index.generated.count == 12)
        for entry in index.generated {
            let expected = Self.floats(blob, at: entry.values_offset, count: entry.count)
            blob.withUnsafeBytes { all in
                Self.check(entry, raw: UnsafeRawBufferPointer(rebasing: all[(entry.offset ?? 0)..<((entry.offset ?? 0) + entry.bytes)]), expected: expected)
            }
        }
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
    func realRowsOfTheDefaultModelMatchTheReference() throws {
        let path = try ModelFixture.requireDefaultModelPath()
        let index = try JSONDecoder().decode(Index.self, from: Self.fixture("quants.json"))
        let blob = try Self.fixture("quants.bin")
        let file = try MappedFile(path: path)
        #expect(index.model.count == 7)
        for entry in index.model {
            guard let offset = entry.file_offset, offset + entry.bytes <= file.bytes.count else {
                Issue.record("\(entry.name): offset outside the model file")
                continue
            }
            let expected = Self.floats(blob, at: entry.values_offset, count: entry.count)
            Self.check(entry, raw: UnsafeRawBufferPointer(rebasing: file.bytes[offset..<(offset + entry.bytes)]), expected: expected)
        }
    }

    @Test func partialBlocksAndUnsupportedTypesAreRefused() {
        var out = [Float](repeating: 0, count: 64)
        let bytes = [UInt8](repeating: 0, count: 64)
        bytes.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { o in
                #expect(!Dequantizer.dequantize(.q4_1, raw.baseAddress!, count: 31, into: o.baseAddress!))
                #expect(!Dequantizer.dequantize(.q8_1, raw.baseAddress!, count: 32, into: o.baseAddress!))
            }
        }
    }
}

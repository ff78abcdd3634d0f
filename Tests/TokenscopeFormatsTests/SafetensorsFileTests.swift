import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTestSupport

/// The safetensors reader on files the tests build (valid and malformed), and on the real
/// all-MiniLM-L6-v2 weights compared with values read by the `safetensors` PyPI package.
@Suite struct SafetensorsFileTests {
    func open(_ builder: SafetensorsBuilder) throws -> SafetensorsFile {
        let path = try builder.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try SafetensorsFile(path: path)
    }

    /// Expects the file to be refused with a reason containing `fragment`, naming the file.
    func expectRefused(_ builder: SafetensorsBuilder, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = try builder.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try SafetensorsFile(path: path)
            Issue.record("expected an error containing '\(fragment)'", sourceLocation: sourceLocation)
        } catch {
            #expect(error.file == path, sourceLocation: sourceLocation)
            #expect(error.description.contains(fragment), "\(error.description)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        }
    }

    /// Little-endian bytes of `values`.
    func le<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] { values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } } }

    // MARK: - Valid files

    @Test func roundTripOfEverySupportedWeightType() throws {
        let f32: [Float] = [1, -2, 3.5, 0.25, -0, 6]
        let f16: [Float16] = [1, -0.5, 65504, 0.000061035156]
        let bf16: [UInt16] = [0x3F80, 0xC000, 0x7F80]  // 1, -2, +inf
        var data = le(f32.map(\.bitPattern))
        data += le(f16.map(\.bitPattern))
        data += le(bf16)
        data += le([Int64(-7), 511])
        let header = SafetensorsBuilder.header([
            ("w", "F32", [2, 3], 0, 24), ("h", "F16", [4], 24, 32), ("b", "BF16", [3], 32, 38), ("ids", "I64", [1, 2], 38, 54),
        ], metadata: "{\"format\":\"pt\",\"note\":\"caf\\u00e9 \\ud83d\\ude00\"}")
        let file = try open(SafetensorsBuilder(header: header, data: data))
        #expect(file.metadata == ["format": "pt", "note": "café 😀"])
        #expect(file.tensorInfos.map(\.name) == ["w", "h", "b", "ids"])
        #expect(file.tensorInfos.map(\.dtype) == ["F32", "F16", "BF16", "I64"])

        let w = try file.tensor(named: "w")
        #expect(w.type == .f32 && w.shape == [3, 2] && w.rows == 2 && w.columns == 3)
        let row1 = w.row(1)
        #expect((0..<3).map { row1.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } == [0.25, -0, 6])
        let h = try file.tensor(named: "h")
        #expect(h.type == .f16 && (0..<4).map { h.bytes.loadUnaligned(fromByteOffset: $0 * 2, as: Float16.self) } == f16)
        let b = try file.tensor(named: "b")
        #expect(b.type == .bf16 && (0..<3).map { b.bytes.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self) } == bf16)
        let ids = try file.tensor(named: "ids")
        #expect(ids.type == .i64 && ids.bytes.loadUnaligned(fromByteOffset: 8, as: Int64.self) == 511)
        #expect(file.info(named: "ids")?.offset == file.dataOffset + 38)
        #expect(throws: ModelFileError.self) { try file.tensor(named: "missing") }
    }

    @Test func edgeCasesThatAreValid() throws {
        // An empty header object, trailing space padding, a scalar and a zero-sized tensor.
        #expect(try open(SafetensorsBuilder(header: "{}")).tensorInfos.isEmpty)
        #expect(try open(SafetensorsBuilder(header: "{}      ")).tensorInfos.isEmpty)
        let header = SafetensorsBuilder.header([("s", "F32", [], 0, 4), ("z", "F32", [0, 5], 4, 4)])
        let file = try open(SafetensorsBuilder(header: header, data: le([Float(2.5).bitPattern])))
        let s = try file.tensor(named: "s")
        #expect(s.shape == [1] && s.bytes.loadUnaligned(as: Float.self) == 2.5)
        #expect(try file.tensor(named: "z").bytes.isEmpty)
    }

    // MARK: - Malformed files

    @Test func badHeaderLengths() throws {
        try expectRefused(SafetensorsBuilder(raw: []), "too short")
        try expectRefused(SafetensorsBuilder(raw: [1, 2, 3]), "too short")
        try expectRefused(SafetensorsBuilder(header: "", declaredLength: 0), "too small")
        try expectRefused(SafetensorsBuilder(header: "{}", declaredLength: 1), "too small")
        try expectRefused(SafetensorsBuilder(header: "{}", declaredLength: 3), "past the end")
        try expectRefused(SafetensorsBuilder(header: "{}", declaredLength: 1 << 32), "limit")
        try expectRefused(SafetensorsBuilder(header: "{}", declaredLength: UInt64(Int.max)), "limit")
        try expectRefused(SafetensorsBuilder(header: "{}", declaredLength: UInt64(Int.max) + 1), "limit")
        try expectRefused(SafetensorsBuilder(header: "{}", declaredLength: UInt64.max), "limit")
        // A header that claims more bytes than the file has left (but under the limit).
        try expectRefused(SafetensorsBuilder(header: "{\"a\":1}", declaredLength: 50_000), "past the end")
    }

    @Test func invalidJSON() throws {
        for text in ["{ ", "{\"a\"", "{\"a\":}", "{\"a\":{\"dtype\":\"F32\",}}", "{} x", "{\"a\":tru}", "{\"a\":\"\\q\"}",
                     "{\"a\":\"\u{01}\"}", "{\"a\":01}", "{\"a\":-}", "{\"a\":\"\\ud800\"}", "{\"a\":1.}", "{'a':1}"]
        {
            try expectRefused(SafetensorsBuilder(header: text), "invalid header JSON")
        }
        var invalidUTF8 = SafetensorsBuilder(header: "{\"a\":\"xx\"}")
        invalidUTF8.bytes[8 + 6] = 0xFF
        try expectRefused(invalidUTF8, "UTF-8")
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        try expectRefused(SafetensorsBuilder(header: "{\"a\":" + deep + "}"), "nested deeper")
        try expectRefused(SafetensorsBuilder(header: "{\"a\":1,\"a\":2}"), "duplicate key")
    }

    @Test func nonObjectHeaders() throws {
        try expectRefused(SafetensorsBuilder(header: "[]"), "does not start with '{'")
        try expectRefused(SafetensorsBuilder(header: "\"text\""), "does not start with '{'")
        try expectRefused(SafetensorsBuilder(header: "{\"t\":[1,2]}"), "must be an object")
        try expectRefused(SafetensorsBuilder(header: "{\"t\":null}"), "must be an object")
        try expectRefused(SafetensorsBuilder(header: "{\"__metadata__\":[]}"), "object of strings")
        try expectRefused(SafetensorsBuilder(header: "{\"__metadata__\":{\"n\":3}}"), "must be a string")
    }

    @Test func badTensorEntries() throws {
        let data = [UInt8](repeating: 0, count: 64)
        func entry(_ body: String) -> SafetensorsBuilder { SafetensorsBuilder(header: "{\"t\":{\(body)}}", data: data) }
        try expectRefused(entry("\"shape\":[2],\"data_offsets\":[0,8]"), "'dtype'")
        try expectRefused(entry("\"dtype\":7,\"shape\":[2],\"data_offsets\":[0,8]"), "'dtype'")
        try expectRefused(entry("\"dtype\":\"F32\",\"data_offsets\":[0,8]"), "'shape'")
        try expectRefused(entry("\"dtype\":\"F32\",\"shape\":[2]"), "data_offsets")
        try expectRefused(entry("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1"), "unexpected field")
        try expectRefused(entry("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]"), "pair")
        try expectRefused(entry("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-1,8]"), "non-negative")
        try expectRefused(entry("\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]"), "non-negative integer")
        try expectRefused(entry("\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]"), "non-negative integer")
        try expectRefused(entry("\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]"), "non-negative integer")
    }

    @Test func unknownDtypes() throws {
        for dtype in ["F8_E4M3", "BOOL", "U8", "f32", "Q4_1", ""] {
            let header = SafetensorsBuilder.header([("t", dtype, [2], 0, 2)])
            try expectRefused(SafetensorsBuilder(header: header, data: [0, 0]), "unknown or unsupported dtype '\(dtype)'")
        }
    }

    @Test func badShapes() throws {
        func file(_ shape: [Int], end: Int = 8) -> SafetensorsBuilder {
            SafetensorsBuilder(header: SafetensorsBuilder.header([("t", "F32", shape, 0, end)]), data: [UInt8](repeating: 0, count: 8))
        }
        try expectRefused(file([1, 1, 1, 1, 1, 1, 1, 1, 1]), "dimensions (at most 8)")
        try expectRefused(file([1 << 31]), "absurdly large")
        try expectRefused(file([1 << 30, 1 << 30, 1 << 30]), "overflows")
        try expectRefused(file([Int(Int32.max), Int(Int32.max), Int(Int32.max), 2]), "overflows")
        let huge = SafetensorsBuilder(header: "{\"t\":{\"dtype\":\"F32\",\"shape\":[18446744073709551615],\"data_offsets\":[0,8]}}", data: [UInt8](repeating: 0, count: 8))
        try expectRefused(huge, "absurdly large")
        let huger = SafetensorsBuilder(header: "{\"t\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999999],\"data_offsets\":[0,8]}}", data: [UInt8](repeating: 0, count: 8))
        try expectRefused(huger, "non-negative integer")
    }

    @Test func badOffsets() throws {
        let data = [UInt8](repeating: 0, count: 64)
        func file(_ tensors: [(String, String, [Int], Int, Int)]) -> SafetensorsBuilder {
            SafetensorsBuilder(header: SafetensorsBuilder.header(tensors), data: data)
        }
        try expectRefused(file([("t", "F32", [2], 60, 68)]), "past the end of the data section")
        try expectRefused(file([("t", "F32", [2], 8, 0)]), "begin is after end")
        try expectRefused(file([("t", "F32", [2], 0, 12)]), "needs 8")
        try expectRefused(file([("t", "F32", [4], 0, 8)]), "needs 16")
        try expectRefused(file([("t", "BF16", [2, 2], 0, 16)]), "needs 8")
        try expectRefused(file([("a", "F32", [4], 0, 16), ("b", "F32", [4], 8, 24)]), "overlaps tensor 'a'")
        try expectRefused(file([("a", "F32", [4], 16, 32), ("b", "F32", [4], 16, 32)]), "overlaps")
        let max = SafetensorsBuilder(header: "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[18446744073709551608,18446744073709551615]}}", data: data)
        try expectRefused(max, "past the end")
        let overflow = SafetensorsBuilder(header: "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,18446744073709551616]}}", data: data)
        try expectRefused(overflow, "non-negative integers")
    }

    // MARK: - The real MiniLM weights against the safetensors package

    struct Golden: Decodable {
        struct Tensor: Decodable { let name: String; let dtype: String; let shape: [Int] }
        struct Value: Decodable { let tensor: String; let index: [Int]; let flat: Int; let bits: UInt32?; let int: Int64? }
        let file_bytes: Int
        let header_length: Int
        let tensor_count: Int
        let tensors: [Tensor]
        let values: [Value]
        let float64_sums: [String: Double]
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func miniLMWeightsMatchTheReference() throws {
        let path = try ModelFixture.requireMiniLMFolder() + "/model.safetensors"
        let url = Bundle.module.url(forResource: "Fixtures/minilm-safetensors-goldens.json", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Fixtures/minilm-safetensors-goldens.json")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        let file = try SafetensorsFile(path: path)
        #expect(file.mapping.bytes.count == golden.file_bytes)
        #expect(file.dataOffset == 8 + golden.header_length)
        #expect(file.tensorInfos.count == golden.tensor_count && golden.tensor_count == 104)
        #expect(file.metadata == ["format": "pt"])
        let ours = Dictionary(uniqueKeysWithValues: file.tensorInfos.map { ($0.name, $0) })
        for t in golden.tensors {
            #expect(ours[t.name]?.dtype == t.dtype && ours[t.name]?.shape == t.shape, "\(t.name)")
        }
        #expect(ours["embeddings.word_embeddings.weight"]?.shape == [30522, 384])
        #expect(ours["encoder.layer.5.intermediate.dense.weight"]?.shape == [1536, 384])

        for value in golden.values {
            let view = try file.tensor(named: value.tensor)
            if let bits = value.bits {
                #expect(view.type == .f32)
                // The view is in GGML order: the file's last index is the column, the rest the row.
                let column = value.index.last ?? 0
                let row = value.flat / max(view.columns, 1)
                let got = view.row(row).loadUnaligned(fromByteOffset: column * 4, as: UInt32.self)
                #expect(got == bits, "\(value.tensor)\(value.index)")
            } else if let int = value.int {
                #expect(view.type == .i64 && view.bytes.loadUnaligned(fromByteOffset: value.flat * 8, as: Int64.self) == int)
            }
        }
        for (name, sum) in golden.float64_sums {
            let view = try file.tensor(named: name)
            let total = (0..<view.elementCount).reduce(0.0) { $0 + Double(view.bytes.loadUnaligned(fromByteOffset: $1 * 4, as: Float.self)) }
            #expect(abs(total - sum) <= 1e-9 * max(1, abs(sum)), "\(name): \(total) vs \(sum)")
        }
    }
}

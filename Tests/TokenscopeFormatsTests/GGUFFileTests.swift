import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTestSupport

/// The GGUF reader on files the tests build: every value type, and malformed files that must end in
/// a typed error naming the file (never a trap or a huge allocation).
@Suite struct GGUFFileTests {
    func open(_ builder: GGUFWriter) throws -> GGUFFile {
        let path = try builder.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try GGUFFile(path: path)
    }

    /// Expects the file to be refused with a reason containing `fragment`.
    func expectRefused(_ builder: GGUFWriter, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = try builder.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try GGUFFile(path: path)
            Issue.record("expected an error containing '\(fragment)'", sourceLocation: sourceLocation)
        } catch {
            #expect(error.file == path, sourceLocation: sourceLocation)
            #expect(error.description.contains(fragment), "\(error.description)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [UInt32(2), 3])
    func readsAValidFile(version: UInt32) throws {
        let file = try open(.valid(version: version))
        #expect(file.version == version)
        #expect(try file.metadata.string("general.architecture") == "llama")
        #expect(try file.metadata.int("llama.block_count") == 2)
        let tensor = try file.tensor(named: "t")
        #expect(tensor.shape == [8] && tensor.type == .f32)
        #expect(tensor.bytes.loadUnaligned(fromByteOffset: 12, as: Float.self) == 3)
        #expect(throws: ModelFileError.self) { try file.tensor(named: "missing") }
        #expect(throws: ModelFileError.self) { try file.metadata.string("llama.block_count") }
        #expect(throws: ModelFileError.self) { try file.metadata.int("absent") }
        #expect(try file.metadata.intIfPresent("absent") == nil)
    }

    @Test func everyValueTypeAndNestedArraysRoundTrip() throws {
        var b = GGUFWriter()
        b.header(tensors: 0, keys: 14)
        b.string("u8"); b.u32(0); b.u8(200)
        b.string("i8"); b.u32(1); b.u8(0xFF)
        b.string("u16"); b.u32(2); b.u8(0x34); b.u8(0x12)
        b.string("i16"); b.u32(3); b.u8(0xFE); b.u8(0xFF)
        b.string("u32"); b.u32(4); b.u32(70_000)
        b.string("i32"); b.u32(5); b.u32(UInt32(bitPattern: -5))
        b.string("f32"); b.u32(6); b.f32(1.5)
        b.string("bool"); b.u32(7); b.u8(1)
        b.string("str"); b.u32(8); b.string("héllo")
        b.string("u64"); b.u32(10); b.u64(1 << 40)
        b.string("i64"); b.u32(11); b.u64(UInt64(bitPattern: -7))
        b.string("f64"); b.u32(12); b.u64(2.25.bitPattern)
        b.string("strings"); b.u32(9); b.u32(8); b.u64(2); b.string("a"); b.string("b")
        b.string("nested"); b.u32(9); b.u32(9); b.u64(2)
        b.u32(4); b.u64(2); b.u32(1); b.u32(2)
        b.u32(4); b.u64(1); b.u32(3)
        let m = try open(b).metadata
        #expect(m["u8"] == .uint8(200) && m["i8"] == .int8(-1) && m["u16"] == .uint16(0x1234) && m["i16"] == .int16(-2))
        #expect(try m.int("u32") == 70_000 && m.int("i32") == -5 && m.int("u64") == 1 << 40 && m.int("i64") == -7)
        #expect(try m.float("f32") == 1.5 && m.float("f64") == 2.25)
        #expect(try m.bool("bool") && m.string("str") == "héllo")
        #expect(try m.strings("strings") == ["a", "b"])
        #expect(m["nested"] == .array(.array, [.array(.uint32, [.uint32(1), .uint32(2)]), .array(.uint32, [.uint32(3)])]))
        #expect(throws: ModelFileError.self) { try m.strings("nested") }
        #expect(throws: ModelFileError.self) { try m.ints("strings") }
        #expect(m.keys.count == 14)
    }

    @Test func badMagicAndVersion() throws {
        var b = GGUFWriter.valid()
        b.bytes[0] = 0x47 ^ 0xFF
        try expectRefused(b, "bad magic")
        for version: UInt32 in [1, 4, 0xFFFF_FFFF] {
            var v = GGUFWriter.valid()
            v.bytes.replaceSubrange(4..<8, with: withUnsafeBytes(of: version.littleEndian, Array.init))
            try expectRefused(v, "version")
        }
        try expectRefused(GGUFWriter(), "truncated")
    }

    @Test func truncationAnywhereIsAnError() throws {
        let full = GGUFWriter.valid().bytes
        // Every prefix shorter than the header and metadata, and every prefix that cuts the tensor data.
        for length in 0..<(full.count - 1) {
            var b = GGUFWriter()
            b.bytes = Array(full[0..<length])
            let path = try b.write()
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: ModelFileError.self, "prefix of \(length) bytes") { try GGUFFile(path: path) }
        }
    }

    @Test func countsAndLengthsLargerThanTheFile() throws {
        var keys = GGUFWriter()
        keys.header(tensors: 0, keys: UInt64.max)
        try expectRefused(keys, "key count")
        var tensors = GGUFWriter()
        tensors.header(tensors: UInt64.max, keys: 0)
        try expectRefused(tensors, "tensor count")
        var string = GGUFWriter()
        string.header(tensors: 0, keys: 1)
        string.u64(UInt64.max)
        string.bytes.append(contentsOf: [UInt8](repeating: 65, count: 20))
        try expectRefused(string, "string length")
        var array = GGUFWriter()
        array.header(tensors: 0, keys: 1)
        array.string("a"); array.u32(9); array.u32(4); array.u64(UInt64.max - 3)
        try expectRefused(array, "larger than the rest of the file")
        var nested = GGUFWriter()
        nested.header(tensors: 0, keys: 1)
        nested.string("deep"); nested.u32(9)
        for _ in 0..<20 { nested.u32(9); nested.u64(1) }
        nested.u32(4); nested.u64(0)
        try expectRefused(nested, "nested")
    }

    @Test func unknownTypesAndBadValues() throws {
        var value = GGUFWriter()
        value.header(tensors: 0, keys: 1)
        value.string("k"); value.u32(99)
        try expectRefused(value, "unknown metadata value type")
        var element = GGUFWriter()
        element.header(tensors: 0, keys: 1)
        element.string("k"); element.u32(9); element.u32(77); element.u64(0)
        try expectRefused(element, "unknown array element type")
        var bool = GGUFWriter()
        bool.header(tensors: 0, keys: 1)
        bool.string("k"); bool.u32(7); bool.u8(2)
        try expectRefused(bool, "bool")
        var utf8 = GGUFWriter()
        utf8.header(tensors: 0, keys: 1)
        utf8.u64(2); utf8.u8(0xC3); utf8.u8(0x28); utf8.u32(4); utf8.u32(1)
        try expectRefused(utf8, "UTF-8")
        var duplicate = GGUFWriter()
        duplicate.header(tensors: 0, keys: 2)
        duplicate.key("k", u32: 1)
        duplicate.key("k", u32: 2)
        try expectRefused(duplicate, "duplicate metadata key")
    }

    func tensorFile(shape: [UInt64], type: UInt32 = 0, offset: UInt64 = 0, data: Int = 32, alignment: UInt32? = nil,
                    second: (String, UInt64)? = nil) -> GGUFWriter {
        var b = GGUFWriter()
        b.header(tensors: second == nil ? 1 : 2, keys: alignment == nil ? 0 : 1)
        if let alignment { b.key("general.alignment", u32: alignment) }
        b.tensorInfo("t", shape: shape, type: type, offset: offset)
        if let second { b.tensorInfo(second.0, shape: [8], type: 0, offset: second.1) }
        b.align(Int(alignment ?? 32) > 0 && Int(alignment ?? 32) <= 4096 && (alignment ?? 32) & ((alignment ?? 32) - 1) == 0 ? Int(alignment ?? 32) : 32)
        b.bytes.append(contentsOf: [UInt8](repeating: 0, count: data))
        return b
    }

    @Test func badTensorInfos() throws {
        try expectRefused(tensorFile(shape: []), "dimension count")
        try expectRefused(tensorFile(shape: [1, 1, 1, 1, 1]), "dimension count")
        try expectRefused(tensorFile(shape: [0]), "dimension")
        try expectRefused(tensorFile(shape: [1 << 31, 1 << 31, 1 << 31]), "dimension")
        try expectRefused(tensorFile(shape: [1 << 30, 1 << 30, 1 << 30]), "overflows")
        try expectRefused(tensorFile(shape: [8], type: 1234), "unknown tensor type")
        try expectRefused(tensorFile(shape: [33], type: 3), "block size")
        try expectRefused(tensorFile(shape: [1 << 20]), "past the end")
        try expectRefused(tensorFile(shape: [8], offset: 4), "not aligned")
        try expectRefused(tensorFile(shape: [8], offset: UInt64.max), "absurd")
        try expectRefused(tensorFile(shape: [8], data: 64, second: ("u", 0)), "overlaps")
        try expectRefused(tensorFile(shape: [8], data: 64, second: ("t", 32)), "duplicate tensor")
    }

    @Test func badAlignment() throws {
        try expectRefused(tensorFile(shape: [8], alignment: 0), "power of two")
        try expectRefused(tensorFile(shape: [8], alignment: 48), "power of two")
        try expectRefused(tensorFile(shape: [8], alignment: 1 << 30), "power of two")
        var wrongType = GGUFWriter()
        wrongType.header(tensors: 0, keys: 1)
        wrongType.key("general.alignment", string: "32")
        try expectRefused(wrongType, "general.alignment")
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
    func theDefaultModelHasTheDocumentedLayout() throws {
        let path = try ModelFixture.requireDefaultModelPath()
        let file = try GGUFFile(path: path)
        #expect(file.version == 3 && file.tensorInfos.count == 272)
        #expect(file.dataOffset == 1_785_664 && file.alignment == 32)
        let m = file.metadata
        #expect(try m.int("llama.block_count") == 30 && m.int("llama.embedding_length") == 576)
        #expect(try m.int("llama.attention.head_count") == 9 && m.int("llama.attention.head_count_kv") == 3)
        #expect(try m.strings("tokenizer.ggml.tokens").count == 49152)
        #expect(try m.strings("tokenizer.ggml.merges").count == 48900)
        let embedding = try file.tensor(named: "token_embd.weight")
        #expect(embedding.type == .q8_0 && embedding.shape == [576, 49152])
        #expect(!file.hasTensor(named: "output.weight"))
        for info in file.tensorInfos where info.name.hasPrefix("blk.") {
            #expect(info.type == (info.shape.count == 1 ? .f32 : .q4_1), "\(info.name)")
        }
    }
}

import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTestSupport

/// String arrays read in place: the same strings as before, the same refusals for lengths past the
/// end and bytes that are not UTF-8, and the UTF-8 check agreeing with the standard library's.
@Suite struct GGUFStringArrayTests {
    func open(_ builder: GGUFWriter) throws -> GGUFFile {
        let path = try builder.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try GGUFFile(path: path)
    }

    @Test func elementsReadInPlaceEqualTheStringsWritten() throws {
        let written = ["", "a", "héllo", "Ġthe", "<|im_start|>", String(repeating: "ü", count: 40), "🤖"]
        var b = GGUFWriter()
        b.header(tensors: 0, keys: 1)
        b.string("list"); b.u32(9); b.u32(8); b.u64(UInt64(written.count))
        for s in written { b.string(s) }
        let file = try open(b)
        let array = try file.metadata.stringArray("list")
        #expect(Array(array) == written)
        #expect(try file.metadata.strings("list") == written)
        for (i, s) in written.enumerated() {
            #expect(array.utf8Count(at: i) == s.utf8.count)
            #expect(array.withUTF8(at: i) { Array($0) } == Array(s.utf8))
        }
        #expect(file.metadata["list"]?.summary == "[string × 7]")
        #expect(file.metadata["list"]?.type == .array)
        #expect(throws: ModelFileError.self) { try file.metadata.ints("list") }
        #expect(throws: ModelFileError.self) { try file.metadata.stringArray("absent") }
        #expect(try file.metadata.stringArrayIfPresent("absent") == nil)
    }

    @Test func anElementThatIsNotUTF8OrRunsPastTheEndIsRefused() throws {
        for bad: [UInt8] in [[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF]] {
            var b = GGUFWriter()
            b.header(tensors: 0, keys: 1)
            b.string("list"); b.u32(9); b.u32(8); b.u64(2)
            b.string("fine")
            b.u64(UInt64(bad.count)); b.bytes.append(contentsOf: bad)
            let path = try b.write()
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect {
                try GGUFFile(path: path)
            } throws: { error in
                let error = error as? ModelFileError
                return error?.description.contains("not valid UTF-8") == true && error?.description.contains("list") == true
            }
        }
        var long = GGUFWriter()
        long.header(tensors: 0, keys: 1)
        long.string("list"); long.u32(9); long.u32(8); long.u64(2)
        long.string("fine"); long.u64(1 << 40); long.bytes.append(contentsOf: [UInt8](repeating: 65, count: 16))
        let path = try long.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try GGUFFile(path: path) } throws: { ($0 as? ModelFileError)?.description.contains("string length") == true }
    }

    @Test func theUTF8CheckAgreesWithTheStandardLibrary() {
        // Edge cases of every form, then random bytes biased towards multi-byte sequences.
        var cases: [[UInt8]] = [
            [], [0x41], [0x7F], [0x80], [0xC1, 0xBF], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0x9F, 0xBF], [0xE0, 0xA0, 0x80],
            [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],
            [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0xA4],
            [0xC3], [0xC3, 0xC3], Array("Ġthe ünïcödé 🤖".utf8),
        ]
        var generator = SplitMix64(seed: 19)
        let alphabet: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...6, using: &generator)
            cases.append((0..<length).map { _ in
                Bool.random(using: &generator) ? alphabet.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0...255, using: &generator)
            })
        }
        var disagreements = 0
        for bytes in cases {
            let expected = String(validating: bytes, as: UTF8.self) != nil
            let got = bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) }
            if got != expected {
                disagreements += 1
                if disagreements < 5 { Issue.record("\(bytes.map { String($0, radix: 16) }): check says \(got), the standard library \(expected)") }
            }
        }
        #expect(disagreements == 0)
    }
}

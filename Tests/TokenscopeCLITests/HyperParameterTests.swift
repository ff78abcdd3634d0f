import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTestSupport

/// Hyper-parameters that make no sense, end to end: the real SmolLM2 header with one metadata value
/// patched, its tensor data left as a sparse run of zeros, run through `tokenscope predict`. Each must
/// end with exit status 1 and one line on stderr naming the file and what is wrong.
@Suite struct HyperParameterTests {
    /// Where the little-endian value of the uint32 metadata key `key` sits in `header`.
    func valueOffset(of key: String, in header: [UInt8]) -> Int? {
        var pattern: [UInt8] = []
        withUnsafeBytes(of: UInt64(key.utf8.count).littleEndian) { pattern.append(contentsOf: $0) }
        pattern.append(contentsOf: key.utf8)
        pattern.append(contentsOf: [4, 0, 0, 0])  // GGUF value type uint32
        guard header.count >= pattern.count else { return nil }
        for start in 0...(header.count - pattern.count) where header[start..<(start + pattern.count)].elementsEqual(pattern) {
            return start + pattern.count
        }
        return nil
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"), arguments: [
        ("llama.attention.head_count", UInt32(0), "head count 0"),
        ("llama.attention.head_count", 7, "does not divide the width"),
        ("llama.attention.head_count_kv", 2, "does not divide the head count"),
        ("llama.attention.head_count_kv", 0, "KV head count 0"),
        ("llama.block_count", 0, "block count 0"),
        ("llama.block_count", 31, "blk.30."),
        ("llama.embedding_length", 1152, "head dimensions"),
    ])
    func patchedModelIsRefused(key: String, value: UInt32, fragment: String) throws {
        let model = try ModelFixture.requireDefaultModelPath()
        let original = try GGUFFile(path: model)
        let size = original.mapping.bytes.count
        var header = Array(original.mapping.bytes[0..<original.dataOffset])
        let at = try #require(valueOffset(of: key, in: header), "\(key) not found as a uint32")
        withUnsafeBytes(of: value.littleEndian) { header.replaceSubrange(at..<(at + 4), with: $0) }

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-patched-\(UUID().uuidString).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(header).write(to: URL(fileURLWithPath: path))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size))  // sparse zeros for the tensor data
        try handle.close()

        let run = try TokenscopeBinary.run(["predict", "--model", path, "Hello"])
        let stderr = run.stderr
        #expect(run.status == 1, "\(stderr)")
        #expect(stderr.split(separator: "\n").count == 1, "\(stderr)")
        #expect(stderr.contains(path) && stderr.contains(fragment), "\(stderr)")
    }
}

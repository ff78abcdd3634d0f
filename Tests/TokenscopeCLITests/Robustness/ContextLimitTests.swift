import Foundation
import Testing

// MARK: - Generating up to the context window

/// `generate` stops at the model's context window and says so. The window is made small by
/// patching `llama.context_length` (a u32 in the GGUF header) in a copy of the model, so the test
/// does not have to fill 8 192 positions.
@Suite("Context limit", .enabled(if: CachedModel.isReady, "needs the built binary and the cached model (tokenscope fetch)"))
struct ContextLimitTests {
    @Test func generateSaysWhenItStopsAtTheContextLimit() throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: CachedModel.path))
        let key = Data("llama.context_length".utf8)
        let range = try #require(bytes.range(of: key))
        // key, then the value type (u32: 4) and the value, little-endian.
        #expect(bytes[range.upperBound] == 4)
        let value = range.upperBound + 4
        #expect(bytes[value..<(value + 4)].elementsEqual([0x00, 0x20, 0x00, 0x00]), "context length is not 8192")
        bytes.replaceSubrange(value..<(value + 4), with: [24, 0, 0, 0])
        let folder = try CachedModel.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = folder + "/small-context.gguf"
        try bytes.write(to: URL(fileURLWithPath: model))

        let run = try CachedModel.run(["generate", "--model", model, "--temperature", "0", "-n", "100", "Once upon a time"], seconds: 120)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("stopped at the context limit"), "\(run.stderr)")
        #expect(run.stderr.contains("24 of 24 tokens"), "\(run.stderr)")
        let short = try CachedModel.run(["generate", "--model", model, "--temperature", "0", "-n", "3", "Once upon a time"], seconds: 120)
        #expect(!short.stderr.contains("context limit"), "\(short.stderr)")
    }
}

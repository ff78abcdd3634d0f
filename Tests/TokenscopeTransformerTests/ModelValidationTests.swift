import Foundation
import Testing
import TokenscopeFormats
import TokenscopeTestSupport
import TokenscopeTransformer

/// Configurations and files the forward pass must refuse, and activations that go bad: clear typed
/// errors, never a trap.
@Suite struct ModelValidationTests {
    static let smolLM = ModelConfiguration(
        blockCount: 30, width: 576, mlpWidth: 1536, headCount: 9, kvHeadCount: 3, ropeBase: 100_000,
        rmsEpsilon: 1e-5, contextLength: 8192, vocabularySize: 49152)

    @Test func theDefaultShapeIsValid() {
        #expect(Self.smolLM.validate() == nil)
        #expect(Self.smolLM.headSize == 64 && Self.smolLM.kvWidth == 192 && Self.smolLM.groupSize == 3)
        #expect((0..<9).map(Self.smolLM.kvHead(forQueryHead:)) == [0, 0, 0, 1, 1, 1, 2, 2, 2])
    }

    @Test func badShapesAreRefusedWithTheirReason() {
        func problem(_ change: (inout ModelConfiguration) -> Void) -> String {
            var c = Self.smolLM
            change(&c)
            return c.validate() ?? "accepted"
        }
        #expect(problem { $0.headCount = 0 }.contains("head count 0"))
        #expect(problem { $0.headCount = 7 }.contains("KV head count 3 does not divide the head count 7"))
        #expect(problem { $0.kvHeadCount = 2 }.contains("KV head count 2 does not divide"))
        #expect(problem { $0.kvHeadCount = 0 }.contains("KV head count 0"))
        #expect(problem { $0.blockCount = 0 }.contains("block count"))
        #expect(problem { $0.headSize = 63 }.contains("odd"))
        #expect(problem { $0.headSize = 0 }.contains("head size 0"))
        #expect(problem { $0.ropeBase = .nan }.contains("rope base"))
        #expect(problem { $0.rmsEpsilon = 0 }.contains("epsilon"))
        #expect(problem { $0.contextLength = -1 }.contains("context length"))
    }

    /// A copy of the default model with `patch` applied to its bytes (throws when the model is missing).
    static func patchedCopy(_ name: String, _ patch: (GGUFFile, inout Data) throws -> Void) throws -> String {
        let source = try ModelFixture.requireDefaultModelPath()
        let file = try GGUFFile(path: source)
        var data = try Data(contentsOf: URL(fileURLWithPath: source))
        try patch(file, &data)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-\(name)-\(getpid()).gguf").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
    func aBlockCountPastTheTensorsNamesTheMissingTensor() throws {
        let path = try Self.patchedCopy("blocks", { _, data in
            // The u32 value follows the key's bytes and its u32 type tag.
            let key = Data("llama.block_count".utf8)
            let range = try #require(data.range(of: key))
            let valueOffset = range.upperBound + 4
            data.replaceSubrange(valueOffset..<(valueOffset + 4), with: [31, 0, 0, 0])
        })
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try TransformerModel(path: path)
            Issue.record("a model with 31 blocks but 30 blocks of tensors loaded")
        } catch {
            #expect("\(error)".contains("blk.30"), "\(error)")
        }
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
    func infinityInAnActivationIsReportedWithItsLayer() throws {
        let path = try Self.patchedCopy("nan", { file, data in
            let info = try #require(file.tensorInfos.first { $0.name == "blk.5.attn_norm.weight" })
            #expect(info.type == .f32)
            let offset = info.offset  // absolute
            withUnsafeBytes(of: Float.infinity.bitPattern.littleEndian) { data.replaceSubrange(offset..<(offset + 4), with: $0) }
        })
        defer { try? FileManager.default.removeItem(atPath: path) }
        let model = try TransformerModel(path: path)
        let session = InferenceSession(model: model, options: .off)
        do {
            try session.append(model.promptTokens("The capital of France is"))
            Issue.record("the forward pass ran through an infinite norm weight")
        } catch ModelError.nonFinite(let layer, _, _) {
            #expect(layer == 5)
            #expect(session.count == 0, "the failed append must leave the session as it was")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeTestSupport
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Views that follow the architecture

/// The forward view's pipeline and the attention view's header and mask follow the model's
/// recipe: on the tiny Llama, on the generated GPT-2 / Qwen 2 / Qwen 3 models (random weights,
/// the files GeneratedModelTests checks against transformers) and on the real Gemma 3.
@Suite("Views follow the architecture")
struct ArchitectureViewTests {
    /// A generated model of the transformer tests' fixtures.
    static func generated(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TokenscopeTransformerTests/Fixtures/generated/\(name).gguf").path
    }

    /// The explorer on `path`'s model, on the forward view of `layer`, the pipeline as text.
    static func forwardPipeline(_ engine: any ExplorerEngine, layer: Int = 0, prompt: String = "The capital of France is") -> (ExplorerRuntime, [String]) {
        let runtime = ExplorerRuntime(engine: engine, prompt: prompt, width: 140, height: 50, synchronous: true)
        runtime.send(.key(.character("5")))
        for _ in 0..<layer { runtime.send(.key(.down)) }
        guard let details = runtime.state.forwardView.details, let analysis = runtime.state.analysis else { return (runtime, []) }
        return (runtime, ForwardView.pipelineLines(runtime.state, details, analysis))
    }

    /// Words on the screen now that neither the glossary nor the plain words explain (the rule of
    /// ``LessonsGlossaryScreenTermsTests``, applied to screens of other architectures).
    /// The header row names the model (its file's name and tensor types) and is left out; so are
    /// escaped control characters of the generated models' random vocabularies (`\u0019`).
    static func unexplained(_ runtime: ExplorerRuntime) throws -> Set<String> {
        let text = Renderer.render(runtime.state, theme: .monochrome).plainText.split(separator: "\n", omittingEmptySubsequences: false)
            .dropFirst().joined(separator: "\n")
        return LessonsGlossaryScreenTermsTests.unexplainedWords(
            text, state: runtime.state, glossary: try Glossary.shipped(), plain: try LessonsGlossaryScreenTermsTests.plainWords()
        ).filter { $0.range(of: "^u[0-9a-f]{4}$", options: .regularExpression) == nil }
    }

    static func expectExplained(_ runtime: ExplorerRuntime) throws {
        let words = try unexplained(runtime)
        #expect(words.isEmpty, "drawn without a glossary entry or plain word: \(words.sorted())")
    }

    @Test func llamaPipelineIsRMSNormRoPEAndSwiGLUWithSharedKeys() throws {
        let (runtime, lines) = Self.forwardPipeline(try TinyModel.engine())
        let text = lines.joined(separator: "\n")
        #expect(lines.count > 10, "the forward view drew its pipeline")
        #expect(text.contains("llama: RMSNorm · RoPE · SwiGLU"))
        #expect(text.contains("  RMSNorm (32)") && text.contains("SiLU(gate) × up") && text.contains("RoPE at position"))
        #expect(text.contains("attention: 4 heads / 2 KV heads (2 share each)"))
        #expect(!text.contains("LayerNorm") && !text.contains("GELU") && !text.contains("local") && !text.contains("global")
            && !text.contains("QK-norm") && !text.contains("bias") && !text.contains("√"))
        let screen = Renderer.render(runtime.state, theme: .monochrome).plainText
        #expect(screen.contains("llama: RMSNorm"))
        runtime.send(.key(.character("3")))
        let attention = Renderer.render(runtime.state, theme: .monochrome).plainText
        #expect(attention.contains("shares KV head") && !attention.contains("window"))
    }

    @Test func gpt2PipelineIsLayerNormLearnedPositionsAndGELUWithoutSharedKeys() throws {
        let model = try TransformerModel(path: Self.generated("gpt2"))
        let (runtime, lines) = Self.forwardPipeline(LiveExplorerEngine(model: model), prompt: "hello world")
        let text = lines.joined(separator: "\n")
        let c = model.configuration
        #expect(text.contains("gpt2: LayerNorm · learned positions · GELU"))
        #expect(text.contains("  LayerNorm (\(c.width))") && text.contains("final LayerNorm"))
        #expect(text.contains("+ learned position \(runtime.state.selected) (row \(runtime.state.selected) of \(c.contextLength)×\(c.width))"))
        #expect(text.contains("up \(c.width)→\(c.mlpWidth) + bias") && text.contains("GELU(up)"))
        #expect(text.contains("(+ bias)") && text.contains("output projection \(c.width)→\(c.width) + bias") && text.contains("down \(c.mlpWidth)→\(c.width) + bias"))
        #expect(!text.contains("RMSNorm") && !text.contains("RoPE") && !text.contains("gate") && !text.contains("KV heads"))
        // One KV head per query head: no note about shared keys anywhere in the attention view.
        runtime.send(.key(.character("3")))
        let head = Renderer.render(runtime.state, theme: .monochrome).plainText
        runtime.send(.key(.character("h")))
        let layer = Renderer.render(runtime.state, theme: .monochrome).plainText
        #expect(head.contains("head 0 (0–\(c.headCount - 1))"))
        runtime.send(.key(.character("5")))
        try Self.expectExplained(runtime)
        #expect(!head.contains("shares") && !head.contains("KV head"))
        #expect(!layer.contains("KV heads") && !layer.contains(" kv") && !layer.contains("· KV 0"))
        runtime.send(.key(.escape))
        try Self.expectExplained(runtime)
    }

    @Test func qwenPipelinesNameTheirBiasAndQKNorm() throws {
        let (_, qwen2) = Self.forwardPipeline(LiveExplorerEngine(model: try TransformerModel(path: Self.generated("qwen2"))), prompt: "hello world")
        let (_, qwen3) = Self.forwardPipeline(LiveExplorerEngine(model: try TransformerModel(path: Self.generated("qwen3"))), prompt: "hello world")
        let two = qwen2.joined(separator: "\n"), three = qwen3.joined(separator: "\n")
        #expect(two.contains("qwen2: RMSNorm · RoPE · SwiGLU") && two.contains("(+ bias)") && !two.contains("QK-norm"))
        #expect(three.contains("qwen3: RMSNorm · RoPE · QK-norm · SwiGLU") && three.contains("QK-norm: RMSNorm of each head's q and k"))
        #expect(!three.contains("bias"))
    }

    @Test func aSlidingWindowLayerMasksKeysOutsideItsWindow() throws {
        let explorer = try HeadlessExplorer(keys: "3")
        var state = explorer.state
        #expect(state.tokens.count == 8 && state.selected == 7)
        let plain = Renderer.render(state, theme: .monochrome)
        state.attentionWindows = [2, nil]
        let windowed = Renderer.render(state, theme: .monochrome)
        let text = windowed.plainText
        #expect(text.contains("window 2 (local layer)") && text.contains("blank = future or outside the window"))
        // The query row of token 7: keys 0…5 are outside a 2-token window and are drawn as masked
        // (· in monochrome, as the future is); keys 6 and 7 are drawn as before.
        let mapX = AttentionView.labelWidth + 1
        let row = try #require(windowed.lines.firstIndex { $0.hasPrefix("  7 ") })
        let cellWidth = 4
        for key in 0..<8 {
            let cells = (0..<(cellWidth - 1)).map { windowed[mapX + key * cellWidth + $0, row]?.character ?? "?" }
            let before = (0..<(cellWidth - 1)).map { plain[mapX + key * cellWidth + $0, row]?.character ?? "?" }
            if key < 6 {
                #expect(cells.allSatisfy { $0 == "·" }, "key \(key) is outside the window: drawn as masked, not \(cells)")
            } else {
                #expect(cells == before && !cells.contains("·"), "key \(key) is inside the window")
            }
        }
        #expect(plain.lines[row] != windowed.lines[row], "the unmasked row drew the keys the window hides")
        state.layer = 1
        #expect(Renderer.render(state, theme: .monochrome).plainText.contains("global layer"))
    }

    @Test(.enabled(if: ModelFixture.shouldRunGemma, "needs gemma-3-270m-q4_k_m.gguf: run `tokenscope fetch gemma3`"))
    func gemmaPipelineAndWindowsFollowItsRecipe() throws {
        let engine = LiveExplorerEngine(model: try TransformerModel(path: ModelFixture.gemmaPath))
        let facts = EngineFacts(engine)
        #expect(facts.attentionWindows == (0..<18).map { [5, 11, 17].contains($0) ? nil : 512 })
        let (runtime, local) = Self.forwardPipeline(engine)
        let text = local.joined(separator: "\n")
        #expect(text.contains("gemma3: RMSNorm ×4 per block · RoPE · QK-norm · GeGLU"))
        #expect(text.contains("  × √640 = 25.3 (embedding scale)") && text.contains("QK-norm: RMSNorm of each head's q and k"))
        #expect(text.contains("RoPE at position \(runtime.state.selected) (base 10000)") && text.contains("local layer: keys of the last 512 positions only")
            && text.contains("attention: 4 heads / 1 KV heads (4 share each)"))
        #expect(text.contains("output projection 1024→640, RMSNorm") && text.contains("GELU(gate) × up") && text.contains("down 2048→640, RMSNorm"))
        #expect(runtime.state.tokens.first?.id == 2, "Gemma's prompt starts with BOS")
        for _ in 0..<5 { runtime.send(.key(.down)) }
        let details = try #require(runtime.state.forwardView.details)
        let analysis = try #require(runtime.state.analysis)
        let global = ForwardView.pipelineLines(runtime.state, details, analysis).joined(separator: "\n")
        #expect(details.block.layer == 5 && global.contains("(base 1000000)") && global.contains("global layer (every 6th): keys of every position so far"))
        runtime.send(.key(.character("3")))
        #expect(Renderer.render(runtime.state, theme: .monochrome).plainText.contains("layer 5 (0–17) · head 0 (0–3) · shares KV head 0 (0–0) with heads 0–3 · global layer"))
        runtime.send(.key(.up))
        #expect(Renderer.render(runtime.state, theme: .monochrome).plainText.contains("· window 512 (local layer)"))
        try Self.expectExplained(runtime)
        runtime.send(.key(.character("5")))
        try Self.expectExplained(runtime)
    }

    @Test(.enabled(if: ModelFixture.shouldRunGemma, "needs gemma-3-270m-q4_k_m.gguf: run `tokenscope fetch gemma3`"))
    func gemmaLocalLayerGivesNoWeightOutsideItsWindow() throws {
        let engine = LiveExplorerEngine(model: try TransformerModel(path: ModelFixture.gemmaPath))
        let prompt = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 60)
        let runtime = ExplorerRuntime(engine: engine, prompt: prompt, width: 120, height: 40, synchronous: true)
        let n = runtime.state.tokens.count
        #expect(n > 560, "the prompt passes the 512-token window (\(n) tokens)")
        runtime.send(.key(.character("3")))
        let local = try #require(runtime.state.attentionView.layerData)
        let q = n - 1
        #expect(local.layer == 0)
        for matrix in local.heads {
            #expect((0...(q - 512)).allSatisfy { matrix.value(query: q, key: $0) == 0 }, "a local layer's keys outside the window have no weight")
            #expect(matrix.value(query: q, key: q - 511) >= 0)
        }
        let screen = Renderer.render(runtime.state, theme: .monochrome).plainText
        #expect(screen.contains("window 512 (local layer)") && screen.contains("outside the window"))
        for _ in 0..<5 { runtime.send(.key(.down)) }
        let global = try #require(runtime.state.attentionView.layerData)
        #expect(global.layer == 5)
        #expect(global.heads.contains { matrix in (0...(q - 512)).contains { matrix.value(query: q, key: $0) > 0 } }, "a global layer reaches past the window")
    }
}

// MARK: - The model picker

@Suite("Model picker")
struct ModelPickerTests {
    /// The tiny model's file, a generated GPT-2 and an architecture Tokenscope does not run.
    static func files() throws -> (tiny: String, gpt2: String, unknown: String) {
        var tiny = GGUFWriter()
        tiny.bytes = TinyModel.fileBytes()
        var unknown = GGUFWriter()
        unknown.bytes = TinyModel.fileBytes(architecture: "mamba")
        return (try tiny.write(), ArchitectureViewTests.generated("gpt2"), try unknown.write())
    }

    static func runtime(_ files: (tiny: String, gpt2: String, unknown: String)) throws -> ExplorerRuntime {
        let engine = LiveExplorerEngine(model: try TransformerModel(path: files.tiny))
        let runtime = ExplorerRuntime(engine: engine, prompt: "hello world", width: 120, height: 40, synchronous: true)
        let paths = [files.tiny, files.gpt2, files.unknown]
        runtime.modelCatalog = { paths.map(ModelCatalog.entry) }
        runtime.engineLoader = { path in LiveExplorerEngine(model: try TransformerModel(path: path)) }
        return runtime
    }

    @Test func listsTheModelsAndSwitchesKeepingThePrompt() throws {
        let files = try Self.files()
        defer { for path in [files.tiny, files.unknown] { try? FileManager.default.removeItem(atPath: path) } }
        let runtime = try Self.runtime(files)
        let before = runtime.state.modelSummary
        runtime.send(.key(.character("m")))
        let picker = try #require(runtime.state.modelPicker)
        #expect(!picker.loading && picker.entries.count == 3 && picker.selected == 0 && picker.current == files.tiny)
        #expect(picker.entries.map(\.architecture) == ["llama", "gpt2", "mamba"])
        #expect(picker.entries.map(\.use) == [.run, .run, .inspect])
        let screen = Renderer.render(runtime.state, theme: .monochrome).plainText
        #expect(screen.contains("Models (↑/↓ choose, Enter switches") && screen.contains("inspect only") && screen.contains("● tiny-llama-test"))
        // The unknown architecture cannot run: the picker says why and stays open.
        runtime.send(.key(.down))
        runtime.send(.key(.down))
        runtime.send(.key(.enter))
        #expect(runtime.state.modelPicker?.message?.contains("architecture 'mamba' is not supported (supported: llama, gpt2") == true)
        #expect(runtime.state.modelSummary == before)
        // GPT-2 runs: the engine changes, the prompt is kept and runs again on it.
        runtime.send(.key(.up))
        runtime.send(.key(.enter))
        #expect(runtime.state.modelPicker == nil && runtime.state.busy == nil)
        #expect(runtime.state.modelSummary != before && runtime.state.modelSummary.contains("gpt2"))
        #expect(runtime.state.prompt == "hello world" && !runtime.state.tokens.isEmpty)
        let gpt2 = try TransformerModel(path: files.gpt2)
        #expect(runtime.state.tokens.map(\.id) == gpt2.promptTokens("hello world"))
        #expect(runtime.state.layerCount == gpt2.configuration.blockCount && runtime.state.kvHeadCount == gpt2.configuration.kvHeadCount)
        #expect(runtime.state.analysis?.logits.count == gpt2.configuration.vocabularySize)
        runtime.send(.key(.character("m")))
        #expect(runtime.state.modelPicker?.current == files.gpt2)
        runtime.send(.key(.escape))
        #expect(runtime.state.modelPicker == nil)
    }

    @Test func aModelThatFailsToLoadLeavesTheOldOne() throws {
        let files = try Self.files()
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-broken-\(UUID().uuidString).gguf").path
        try Data([0x47, 0x47, 0x55, 0x46, 3, 0]).write(to: URL(fileURLWithPath: broken))
        defer { for path in [files.tiny, files.unknown, broken] { try? FileManager.default.removeItem(atPath: path) } }
        let runtime = try Self.runtime(files)
        let tokens = runtime.state.tokens
        runtime.send(.key(.character("m")))
        // The list said it runs; the file is broken: the switch fails, says why, and nothing changes.
        runtime.send(.modelsListed([ModelCatalog.entry(files.tiny), Self.runnable(broken)], current: files.tiny))
        runtime.send(.key(.down))
        runtime.send(.key(.enter))
        #expect(runtime.state.status.contains(broken), "\(runtime.state.status)")
        #expect(runtime.state.busy == nil && runtime.state.tokens == tokens && runtime.state.modelSummary.contains("tiny-llama-test"))
        runtime.send(.key(.character(" ")))
        #expect(runtime.state.tokens.count == tokens.count + 1, "the old model still steps")
    }

    /// The catalogue entry of a runnable model at `path` (as the list had it before the file broke).
    static func runnable(_ path: String) -> CatalogEntry {
        CatalogEntry(name: "broken", path: path, format: "gguf", architecture: "gpt2", bytes: 6, use: .run, reason: nil)
    }
}

import Foundation
import Testing
import TokenscopeTestSupport
import TokenscopeTransformer
import TokenscopeUI
@testable import TokenscopeExplorer

// MARK: - An encoder's head beside a decoder's (the attention view's `d`)

/// The layer and head mapping, the measures, and the comparison on the real models: MiniLM open with
/// SmolLM2 beside it, and the reverse, each reading the text with its own tokenizer.
@Suite("Encoder beside decoder in the attention view", .serialized)
struct CrossModelAttentionTests {
    static let prompt = "The capital of France is"

    // MARK: Without a model

    @Test func layersMapByRelativeDepthAndHeadsByIndex() {
        // MiniLM's 6 layers onto SmolLM2's 30: the first and last meet, the rest at the same fraction.
        #expect((0..<6).map { CrossModelAttention.layer(matching: $0, of: 6, in: 30) } == [0, 6, 12, 17, 23, 29])
        // And back: SmolLM2's 30 onto MiniLM's 6.
        #expect([0, 6, 14, 15, 29].map { CrossModelAttention.layer(matching: $0, of: 30, in: 6) } == [0, 1, 2, 3, 5])
        #expect(CrossModelAttention.layer(matching: 3, of: 1, in: 30) == 0)
        // MiniLM's 12 heads onto SmolLM2's 9: the same index, else the last.
        #expect((0..<12).map { CrossModelAttention.head(matching: $0, in: 9) } == [0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8, 8])
    }

    @Test func laterShareIsZeroForACausalMatrixAndMeasuredForABidirectionalOne() {
        // Rows: [1], [.5 .5], [.2 .3 .5] — nothing above the diagonal.
        let causal = AttentionMatrix(layer: 0, head: 0, count: 3, lowerTriangle: [1, 0.5, 0.5, 0.2, 0.3, 0.5], isScores: false)
        #expect(CrossModelAttention.laterShare(causal) == 0)
        // Rows: [.5 | .25 .25], [.2 .4 | .4], [.1 .2 .7]: later shares .5, .4, 0 → mean .3.
        let full = AttentionMatrix(layer: 0, head: 0, count: 3, lowerTriangle: [0.5, 0.2, 0.4, 0.1, 0.2, 0.7], isScores: false,
                                   upperTriangle: [0.25, 0.25, 0.4])
        #expect(abs(CrossModelAttention.laterShare(full) - 0.3) < 1e-6)
        let split = CrossModelAttention.split(full, query: 1)
        #expect(abs(split.before - 0.2) < 1e-6 && abs(split.own - 0.4) < 1e-6 && abs(split.after - 0.4) < 1e-6)
    }

    @Test func theSelectionFollowsTheSameWordAcrossTokenizers() {
        func tokens(_ texts: [String]) -> [TokenInfo] {
            texts.enumerated().map { TokenInfo(id: $0.offset, text: $0.element, piece: $0.element, kind: .normal, mergeRank: nil, generated: false) }
        }
        let wordPieces = tokens(["[CLS]", "the", "capital", "of", "france", "is", "[SEP]"])
        let bpe = tokens(["The", " capital", " of", " France", " is"])
        #expect(CrossModelAttention.position(matching: 4, in: wordPieces, other: bpe) == 3)  // france → " France"
        #expect(CrossModelAttention.position(matching: 3, in: bpe, other: wordPieces) == 4)
        #expect(CrossModelAttention.position(matching: 0, in: wordPieces, other: bpe) == 0)  // [CLS]: the start
        #expect(CrossModelAttention.position(matching: 6, in: wordPieces, other: bpe) == 4)  // [SEP]: the end
    }

    @Test func withoutASecondModelTheComparisonSaysSo() throws {
        let explorer = try HeadlessExplorer(keys: "3d")
        #expect(explorer.state.attentionView.crossModel.isOpen)
        let message = try #require(explorer.state.attentionView.crossModel.message)
        #expect(message.contains("no model of the other kind"))
        #expect(explorer.render().plainText.contains("no model of the other kind"))
        // d again leaves; | (the second prompt) and d never show together.
        explorer.press("d")
        #expect(!explorer.state.attentionView.crossModel.isOpen)
        explorer.press("d|")
        #expect(!explorer.state.attentionView.crossModel.isOpen)
    }

    // MARK: On the real models

    static let encoder: Result<SentenceEncoder, any Error> = Result { try SentenceEncoder(folder: try ModelFixture.requireMiniLMFolder()) }

    /// MiniLM open, SmolLM2 beside it (synchronous, as `render` runs).
    static func encoderRuntime(width: Int = 120, height: Int = 40) throws -> ExplorerRuntime {
        let runtime = ExplorerRuntime(engine: EncoderExplorerEngine(encoder: try encoder.get()), prompt: prompt, width: width, height: height, synchronous: true)
        runtime.crossModelLoader = { wantsEncoder in
            #expect(!wantsEncoder)
            return LiveExplorerEngine(model: try ModelFixture.smolLM2())
        }
        return runtime
    }

    static func press(_ runtime: ExplorerRuntime, _ keys: String) {
        for key in Key.parse(keys) { runtime.send(.key(key)) }
    }

    @Test(.enabled(if: ModelFixture.shouldRun && ModelFixture.shouldRunMiniLM, "needs SmolLM2 and all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func theDecodersHeadStandsBesideTheEncodersOnTheSameText() throws {
        let smol = try ModelFixture.smolLM2()
        let runtime = try Self.encoderRuntime()
        Self.press(runtime, "3<Down><Down><Down>..d")
        let state = runtime.state
        #expect(state.isEncoder && state.layer == 3 && state.head == 2)
        let data = try #require(state.attentionView.crossModel.data)
        // The decoder read the text with its own tokenizer and ran its own forward pass.
        #expect(!data.isEncoder && data.layerCount == 30 && data.headCount == 9)
        #expect(data.tokens.map(\.id) == smol.promptTokens(Self.prompt))
        #expect(data.attention.layer == 17, "layer 3 of 6 sits at the depth of layer 17 of 30")
        // Its head, against a session of its own on the same model: causal, rows summing to 1.
        let session = InferenceSession(model: smol, options: TraceOptions(level: .full))
        try session.append(smol.promptTokens(Self.prompt))
        let reference = try session.layerAttention(layer: 17, scores: false).probabilities[2]
        let decoder = data.attention.heads[2]
        #expect(!decoder.isBidirectional && decoder.count == data.tokens.count)
        for q in 0..<decoder.count {
            #expect(abs(decoder.keys(of: q).map { Double(decoder.value(query: q, key: $0)) }.reduce(0, +) - 1) < 1e-3)
            for k in 0...q { #expect(abs(decoder.value(query: q, key: k) - reference.value(query: q, key: k)) < 1e-5) }
        }
        #expect(CrossModelAttention.laterShare(decoder) == 0)
        // The encoder's own head looks ahead: a measured share of each row lies after the token.
        let encoderHead = try #require(state.attentionView.layerData?.heads[2])
        #expect(encoderHead.isBidirectional)
        #expect(CrossModelAttention.laterShare(encoderHead) > 0.05)

        // Both sides on screen, at 120×40 side by side; the numbers the explanation quotes are drawn.
        let screen = Renderer.render(state, theme: .dark).plainText
        #expect(screen.contains("encoder beside decoder"))
        #expect(screen.contains("layer 3 of 6 ↔ 17 of 30: same relative depth"))
        #expect(screen.contains("encoder L3 H2 · all-MiniLM-L6-v2") && screen.contains("decoder L17 H2 · SmolLM2"))
        #expect(screen.contains(String(format: "later tokens: %.0f%% of the attention · bidirectional", CrossModelAttention.laterShare(encoderHead) * 100)))
        #expect(screen.contains("later tokens: 0% of the attention · causal mask (·)"))
        #expect(screen.contains("·"), "the decoder's masked cells are drawn")
        #expect(screen.contains("␣France") && screen.contains("france"), "each side has its own tokens")

        // The explain panel says what differs, with the same numbers.
        Self.press(runtime, "y")
        let sentences = Explainer.sentences(runtime.state).joined(separator: " ")
        #expect(sentences.contains(String(format: "%.0f%% of their attention to later tokens", CrossModelAttention.laterShare(encoderHead) * 100)))
        #expect(sentences.contains("gives them 0%"))
        #expect(sentences.contains("same relative depth as layer 17 of 30"))
        #expect(sentences.contains("\(state.tokens.count) word pieces") && sentences.contains("\(data.tokens.count) tokens for the decoder"))
        Self.press(runtime, "y")

        // Heads past the decoder's last map to its last; a layer change asks again.
        Self.press(runtime, ".........")
        #expect(runtime.state.head == 11)
        let narrow = Renderer.render(runtime.state, theme: .dark).plainText
        #expect(narrow.contains("head 11 ↔ 8: the nearest, it has 9"))
        Self.press(runtime, "<Up>")
        #expect(runtime.state.attentionView.crossModel.data?.attention.layer == 12)
    }

    @Test(.enabled(if: ModelFixture.shouldRun && ModelFixture.shouldRunMiniLM, "needs SmolLM2 and all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func itFitsAt80x24() throws {
        let runtime = try Self.encoderRuntime(width: 80, height: 24)
        Self.press(runtime, "3d")
        let canvas = Renderer.render(runtime.state, theme: .dark)
        let screen = canvas.plainText
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 24 && lines.allSatisfy { Canvas.columns(of: String($0)) <= 80 })
        // Both sides, each labelled with its model and kind, every token row of both shown.
        #expect(screen.contains("all-MiniLM-L6-v2") && screen.contains("SmolLM2"))
        #expect(screen.contains("encoder L0 H0") && screen.contains("decoder L0 H0"))
        #expect(screen.contains("later tokens: 0%") && screen.contains("causal mask (·)"))
        #expect(screen.contains("layer 0 of 6 ↔ 0 of 30: same relative depth"))
        #expect(screen.contains("[CLS]") && screen.contains("[SEP]") && screen.contains("␣France"))
        #expect(!screen.contains("rows "), "no rows are cut off at this length:\n\(screen)")
    }

    @Test(.enabled(if: ModelFixture.shouldRun && ModelFixture.shouldRunMiniLM, "needs SmolLM2 and all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func theEncoderStandsBesideTheDecoder() throws {
        let runtime = ExplorerRuntime(engine: LiveExplorerEngine(model: try ModelFixture.smolLM2()), prompt: Self.prompt,
                                      width: 120, height: 40, synchronous: true)
        runtime.crossModelLoader = { wantsEncoder in
            #expect(wantsEncoder)
            return EncoderExplorerEngine(encoder: try Self.encoder.get())
        }
        Self.press(runtime, "3<Up>d")
        #expect(runtime.state.layer == 29)
        let data = try #require(runtime.state.attentionView.crossModel.data)
        #expect(data.isEncoder && data.attention.layer == 5)
        #expect(data.tokens.map(\.id) == (try Self.encoder.get()).tokens(Self.prompt))
        #expect(CrossModelAttention.laterShare(data.attention.heads[0]) > 0.05)
        let screen = Renderer.render(runtime.state, theme: .dark).plainText
        #expect(screen.contains("decoder beside encoder") && screen.contains("layer 29 of 30 ↔ 5 of 6"))
    }
}

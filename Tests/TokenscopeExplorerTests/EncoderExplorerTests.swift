import Foundation
import Testing
import TokenscopeTestSupport
import TokenscopeTransformer
import TokenscopeUI
@testable import TokenscopeExplorer

// MARK: - all-MiniLM-L6-v2 in the explorer

/// The explorer opened on the real sentence encoder: tokens, bidirectional attention, the
/// similarity view in the sampling view's place, and the views that need a next token saying so.
@Suite("Encoder in the explorer", .serialized)
struct EncoderExplorerTests {
    static let prompt = "The cat sat on the mat."

    /// The encoder, loaded once per test process.
    static let loaded: Result<SentenceEncoder, any Error> = Result {
        try SentenceEncoder(folder: try ModelFixture.requireMiniLMFolder())
    }

    /// A runtime over the encoder, run synchronously; the index cache in `cache` (a fresh folder by default).
    static func runtime(width: Int = 120, height: Int = 40, cache: String? = nil) throws -> ExplorerRuntime {
        let folder = cache ?? FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-index-\(UUID().uuidString)").path
        let engine = EncoderExplorerEngine(encoder: try loaded.get(), cache: IndexCache(folder: folder))
        return ExplorerRuntime(engine: engine, prompt: prompt, width: width, height: height, synchronous: true)
    }

    /// The number key of the search view's tab.
    static let searchKey = String((ViewKind.allCases.firstIndex(of: .search) ?? 0) + 1)

    static func press(_ runtime: ExplorerRuntime, _ keys: String) {
        for key in Key.parse(keys) { runtime.send(.key(key)) }
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func tokensAreWordPiecesAndAttentionIsBidirectional() throws {
        let encoder = try Self.loaded.get()
        let runtime = try Self.runtime()
        #expect(runtime.state.isEncoder)
        #expect(runtime.state.tokens.map(\.id) == encoder.tokens(Self.prompt))
        #expect(runtime.state.tokens.first?.piece == "[CLS]" && runtime.state.tokens.last?.piece == "[SEP]")
        #expect(runtime.state.tabs.contains(.similarity) && !runtime.state.tabs.contains(.sampling) && runtime.state.tabs.contains(.search))
        #expect(runtime.state.tabs[1] == .similarity, "similarity takes the sampling view's place")
        Self.press(runtime, "3")
        let data = try #require(runtime.state.attentionView.layerData)
        #expect(data.heads.count == 12)
        let n = runtime.state.tokens.count
        var upper = 0.0
        for matrix in data.heads {
            #expect(matrix.isBidirectional)
            for q in 0..<n {
                let row = (0..<n).map { Double(matrix.value(query: q, key: $0)) }
                #expect(abs(row.reduce(0, +) - 1) < 1e-4, "row \(q) of head \(matrix.head) sums to \(row.reduce(0, +))")
                upper += row[(q + 1)...].reduce(0, +)
            }
        }
        // An encoder's queries look ahead: a large share of the weight lies above the diagonal.
        #expect(upper / Double(12 * n) > 0.2)
        // The traced pass is the embedding pass: its pooled vector is the sentence embedding.
        let trace = try encoder.trace(tokens: encoder.tokens(Self.prompt))
        let embedded = try encoder.embed([Self.prompt])[0]
        let cosine = zip(trace.embedding, embedded).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(cosine > 0.99999)
        let screen = Renderer.render(runtime.state, theme: .dark).plainText
        #expect(screen.contains("encoder: every token sees every token"))
        #expect(screen.contains("keys → (before and after)"))
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func whatNeedsANextTokenSaysSo() throws {
        let runtime = try Self.runtime()
        let tokens = runtime.state.tokens
        Self.press(runtime, " ")
        #expect(runtime.state.status.contains("predicts no next token"))
        #expect(runtime.state.tokens == tokens)
        Self.press(runtime, "c")
        #expect(runtime.state.status.contains("no chat template"))
        #expect(!runtime.state.chat)
        Self.press(runtime, "5")
        #expect(runtime.state.forwardView.message?.contains("no logit lens") == true)
        #expect(Renderer.render(runtime.state, theme: .dark).plainText.contains("no logit lens"))
        Self.press(runtime, "4")
        #expect(runtime.state.embeddingsView.message?.contains("similarity view") == true)
        // 2 is the similarity view on an encoder; the sampling view never shows.
        Self.press(runtime, "2")
        #expect(runtime.state.view == .similarity)
        Self.press(runtime, "<S-Tab><Tab>")
        #expect(runtime.state.view == .similarity)
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func similarityViewComparesTheSentencesTheUserEdits() throws {
        let encoder = try Self.loaded.get()
        let runtime = try Self.runtime()
        Self.press(runtime, "2")
        let report = try #require(runtime.state.similarityView.report)
        let sentences = [Self.prompt] + SimilarityViewState.examples
        #expect(report.sentences == sentences)
        let vectors = try encoder.embed(sentences)
        for i in sentences.indices {
            #expect(abs(report.cosine(i, i) - 1) < 1e-4)
            for j in sentences.indices {
                let expected = zip(vectors[i], vectors[j]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                #expect(abs(report.cosine(i, j) - expected) < 1e-4)
            }
        }
        // The cat and the kitten resting on a rug are closer than the cat and the stock market.
        let cat = 2, kitten = 3, stocks = 4
        #expect(report.cosine(cat, kitten) > report.cosine(cat, stocks) + 0.3)
        // Add a sentence, then edit the first one: the matrix follows.
        Self.press(runtime, "aA dog slept on the carpet.<Enter>")
        #expect(runtime.state.similarityView.report?.sentences.count == 6)
        Self.press(runtime, "<Home>")
        Self.press(runtime, "<Up><Up><Up><Up><Up><Up><Enter><C-w><C-w><C-w><C-w><C-w><C-w>Dogs bark.<Enter>")
        #expect(runtime.state.similarityView.sentences.first == "Dogs bark.")
        #expect(runtime.state.similarityView.report?.sentences.first == "Dogs bark.")
        Self.press(runtime, "x")
        #expect(runtime.state.similarityView.report?.sentences.count == 5)
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"),
          arguments: [(120, 40), (80, 24)])
    func encoderViewsRenderAtBothSizes(size: (Int, Int)) throws {
        let runtime = try Self.runtime(width: size.0, height: size.1)
        for (keys, expected) in [("1", "[CLS]"), ("2", "cosine"), ("3", "encoder: every token"), (Self.searchKey + "<Enter>Which bird nests on Pell Rock?<Enter>", "by keywords (BM25)")] {
            Self.press(runtime, keys)
            let canvas = Renderer.render(runtime.state, theme: .dark)
            let text = canvas.plainText
            #expect(text.contains(expected), "\(size) after \(keys): \(text)")
            #expect(!text.contains("error"), "\(size) after \(keys): \(text)")
            #expect(canvas.lines.count == size.1)
            #expect(canvas.lines.allSatisfy { Canvas.columns(of: $0) <= size.0 })
        }
    }
}

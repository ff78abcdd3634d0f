import Foundation
import Testing
import TokenscopeTestSupport
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI
@testable import TokenscopeExplorer

// MARK: - The tokens view of an encoder (all-MiniLM-L6-v2)

/// The encoder's tokens view says only true things: WordPiece cuts (not a BPE replay), counts of
/// the text it read in the right number, and a comparison with another tokenizer that is not the
/// one open.
@Suite("Encoder tokens view", .serialized)
struct EncoderTokensViewTests {
    static let prompt = "Tokenscope explains unbelievably long embeddings"

    /// The cuts of each word, from Tests/Reference/tokenizers/wordpiece_steps.py (BERT's greedy
    /// longest-match-first over vocab.txt, written independently): (rest, piece, longer misses).
    static let goldens: [String: [(String, String, Int)]] = [
        "tokenscope": [("tokenscope", "token", 5), ("##scope", "##scope", 0)],
        "explains": [("explains", "explains", 0)],
        "unbelievably": [("unbelievably", "un", 10), ("##believably", "##bel", 7), ("##ievably", "##ie", 5), ("##vably", "##va", 3), ("##bly", "##bly", 0)],
        "long": [("long", "long", 0)],
        "embeddings": [("embeddings", "em", 8), ("##beddings", "##bed", 5), ("##dings", "##ding", 1), ("##s", "##s", 0)],
    ]

    static func runtime(width: Int = 120, height: Int = 40, comparisons: [ComparisonTokenizer] = []) throws -> ExplorerRuntime {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-index-\(UUID().uuidString)").path
        let engine = EncoderExplorerEngine(encoder: try EncoderExplorerTests.loaded.get(), cache: IndexCache(folder: folder))
        engine.comparisonTokenizers = comparisons
        return ExplorerRuntime(engine: engine, prompt: prompt, width: width, height: height, synchronous: true)
    }

    /// Selects the token at `position` with ←/→.
    static func select(_ runtime: ExplorerRuntime, _ position: Int) {
        while runtime.state.selected > position { runtime.send(.key(.left)) }
        while runtime.state.selected < position { runtime.send(.key(.right)) }
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func wordPieceCutsMatchTheReferenceForEveryToken() throws {
        let tokenizer = try EncoderExplorerTests.loaded.get().tokenizer
        let ids = tokenizer.encode(Self.prompt, parseSpecial: true)
        var words: [String] = []
        for position in ids.indices {
            guard let replay = WordPieceReplay(tokenizer: tokenizer, ids: ids, position: position) else {
                #expect(tokenizer.kind(of: ids[position]) == .control, "no cuts for \(tokenizer.tokenString(ids[position]))")
                continue
            }
            #expect(replay.positions.contains(position))
            let golden = try #require(Self.goldens[replay.word], "unexpected word \(replay.word)")
            #expect(replay.steps.map(\.rest) == golden.map(\.0))
            #expect(replay.steps.map(\.piece) == golden.map(\.1))
            #expect(replay.steps.map(\.longerMisses) == golden.map(\.2))
            #expect(replay.steps.map(\.piece) == replay.positions.map { tokenizer.tokenString(ids[$0]) }, "the cuts are the tokens")
            if words.last != replay.word { words.append(replay.word) }
        }
        #expect(words == ["tokenscope", "explains", "unbelievably", "long", "embeddings"])
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func theViewShowsWordPieceCutsAndNoBPEReplay() throws {
        let runtime = try Self.runtime()
        let pieces = runtime.state.tokens.map(\.piece)
        Self.select(runtime, try #require(pieces.firstIndex(of: "##bed")))
        let screen = Renderer.render(runtime.state, theme: .dark).plainText
        #expect(screen.contains("WordPiece cuts of \"embeddings\" (tokens 10–13)"))
        #expect(screen.contains("2  ##beddings → ##bed  5 longer prefixes not in the vocabulary"))
        #expect(screen.contains("3  ##dings → ##ding    1 longer prefix not in the vocabulary"))
        #expect(!screen.contains("BPE") && !screen.contains("merge"), "WordPiece has no merges:\n\(screen)")
        #expect(!screen.contains("first token: nothing predicted it"))
        // The counts are of the text the encoder read, not of its pieces glued together.
        #expect(screen.contains(" 48 characters · 48 bytes · 5 words · 15 tokens · 3.20 characters per token"))
        #expect(!screen.contains("[/] replay"), "the footer offers no BPE replay")
        #expect(screen.contains("token 11 · 15 / 256 tokens") && !screen.contains("KV cache"), "an encoder has no KV cache")
        // A special token: nothing was cut.
        Self.select(runtime, 0)
        let first = Renderer.render(runtime.state, theme: .dark).plainText
        #expect(first.contains("WordPiece: [CLS] is a special token, put around the text or matched whole, never cut from a word"))
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func aOneWordTextIsOneWord() throws {
        let runtime = try Self.runtime()
        runtime.send(.key(.character("e")))
        for _ in 0..<5 { runtime.send(.key(.control("w"))) }
        runtime.send(.paste("Paris", dropped: 0))
        runtime.send(.key(.enter))
        let screen = Renderer.render(runtime.state, theme: .dark).plainText
        #expect(screen.contains(" 5 characters · 5 bytes · 1 word · 3 tokens · 1.67 characters per token"), "\(screen)")
        #expect(!screen.contains("1 words"))
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func withoutAComparisonTheViewDoesNotBlameMiniLM() throws {
        let runtime = try Self.runtime()
        let screen = Renderer.render(runtime.state, theme: .dark).plainText
        #expect(screen.contains("Compare tokenizers: none loaded (the default model's tokenizer is not in the model cache; add one with --compare PATH)"))
        #expect(!screen.contains("MiniLM is not in the model cache"))
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM && ModelFixture.shouldRun, "needs all-MiniLM-L6-v2 and SmolLM2: run `tokenscope fetch`"))
    func theEncoderIsComparedWithTheDecodersTokenizer() throws {
        let smol = try ModelFixture.smolLM2Tokenizer()
        let runtime = try Self.runtime(comparisons: [ComparisonTokenizer(name: "SmolLM2 BPE", tokenizer: smol)])
        let expected = smol.encode(Self.prompt, parseSpecial: true).count
        let comparison = try #require(runtime.state.analysis?.comparisons.first)
        #expect(comparison.ids.count == expected)
        let screen = Renderer.render(runtime.state, theme: .dark).plainText
        #expect(screen.contains(" Compare tokenizers (x hides)"))
        #expect(screen.contains(" SmolLM2 BPE" + String(format: " %4d ", expected) + "tokens To"))
        #expect(screen.contains(" this model " + String(format: " %4d ", runtime.state.tokens.count) + "tokens [CLS] token ##scope"))
        // The explain panel: only true things for an encoder.
        let sentences = Explainer.sentences(runtime.state).joined(separator: " ")
        #expect(sentences.contains("SmolLM2 BPE cuts the same text into \(expected) tokens, this model into 15."))
        #expect(sentences.contains("An encoder predicts no tokens"))
        #expect(sentences.contains("The text is 48 characters in 15 tokens ([CLS] and [SEP] included), 3.20 characters per token"))
        #expect(!sentences.contains("first token") && !sentences.contains("BPE builds") && !sentences.contains("merge"))
        #expect(Explainer.terms(.tokens, encoder: true).contains("WordPiece") && !Explainer.terms(.tokens, encoder: true).contains("merge rank"))
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func theExplanationNamesTheCuts() throws {
        let runtime = try Self.runtime()
        Self.select(runtime, try #require(runtime.state.tokens.map(\.piece).firstIndex(of: "##bel")))
        let sentences = Explainer.sentences(runtime.state)
        #expect(sentences.contains("WordPiece cuts \"unbelievably\" into un + ##bel + ##ie + ##va + ##bly, each time taking the longest vocabulary entry that begins what is left (## marks a piece inside a word); it merges nothing."))
        #expect(sentences.contains("Token 5 is \"##bel\", vocabulary id \(runtime.state.tokens[5].id)."))
        Self.select(runtime, try #require(runtime.state.tokens.map(\.piece).firstIndex(of: "long")))
        #expect(Explainer.sentences(runtime.state).contains("\"long\" is a vocabulary entry, so WordPiece keeps the word whole; WordPiece merges nothing, it cuts."))
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func countsArePluralOnlyWhenNotOne(size: (Int, Int)) {
        #expect(Plural.count(1, "word") == "1 word")
        #expect(Plural.count(0, "word") == "0 words")
        #expect(Plural.count(2, "longer prefix", "longer prefixes") == "2 longer prefixes")
        var state = AppState(prompt: "Paris", width: size.0, height: size.1)
        state.tokens = [TokenInfo(id: 1, text: "Paris", piece: "Paris", kind: .normal, mergeRank: nil, generated: false, probability: nil)]
        var canvas = Canvas(width: size.0, height: size.1)
        _ = TokensView.counts(state, .dark, x: 0, y: 0, &canvas)
        #expect(canvas.lines[0].hasPrefix(" 5 characters · 5 bytes · 1 word · 1 token · 5.00 characters per token"))
    }
}

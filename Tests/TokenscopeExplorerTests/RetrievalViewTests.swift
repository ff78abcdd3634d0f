import Foundation
import Testing
import TokenscopeTestSupport
import TokenscopeTransformer
import TokenscopeUI
@testable import TokenscopeExplorer

// MARK: - The search view and answers with retrieval

/// The search view over the Velmora corpus on the real encoder (index built, then read from the
/// cache), its bad inputs, and the decoder answering with the retrieved chunks.
@Suite("Search view and retrieval", .serialized)
struct RetrievalViewTests {
    static let question = "Which bird nests on Pell Rock?"

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func searchRanksByMeaningAndByKeywordsAndReopensFromTheCache() throws {
        let cache = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: cache) }
        let runtime = try EncoderExplorerTests.runtime(cache: cache.path)
        EncoderExplorerTests.press(runtime, EncoderExplorerTests.searchKey)
        let index = try #require(runtime.state.searchView.index, "\(runtime.state.searchView.message ?? "")")
        #expect(!index.fromCache)
        #expect(index.documents == 10)
        #expect(index.chunks > 50)
        EncoderExplorerTests.press(runtime, "<Enter>\(Self.question)<Enter>")
        let report = try #require(runtime.state.searchView.report)
        #expect(report.semantic.count == 3 && report.keyword.count == 3)
        #expect(report.semantic.contains { $0.text.contains("skerrow") }, "the nesting bird is found by meaning")
        #expect(report.keyword.contains { $0.text.contains("nests only on Pell Rock") })
        #expect(zip(report.semantic, report.semantic.dropFirst()).allSatisfy { $0.score >= $1.score })
        for hit in report.semantic + report.keyword {
            // The question's word pieces split into those the chunk holds and those it lacks.
            #expect(Set(hit.matched).isDisjoint(with: hit.unmatched))
            #expect(hit.matched.contains("rock") == hit.text.lowercased().contains("rock"))
        }
        EncoderExplorerTests.press(runtime, "K")
        #expect(runtime.state.searchView.report?.semantic.count == 4)
        // Opening the same documents again reads the cache.
        let again = try EncoderExplorerTests.runtime(cache: cache.path)
        EncoderExplorerTests.press(again, EncoderExplorerTests.searchKey)
        let reopened = try #require(again.state.searchView.index)
        #expect(reopened.fromCache)
        #expect(reopened.chunks == index.chunks)
        #expect(reopened.seconds < 1, "reopening took \(reopened.seconds) s")
    }

    @Test(.enabled(if: ModelFixture.shouldRunMiniLM, "needs all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func badDocumentsAreNamedAndACorruptCacheIsRebuilt() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let cache = root.appendingPathComponent("cache"), empty = root.appendingPathComponent("empty"), mixed = root.appendingPathComponent("mixed")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: mixed, withIntermediateDirectories: true)
        try "The ferry to Great Pell leaves at dawn.\n\nGoats graze on the islet.".write(to: mixed.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
        try Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 1]).write(to: mixed.appendingPathComponent("picture.png"))
        let runtime = try EncoderExplorerTests.runtime(cache: cache.path)
        EncoderExplorerTests.press(runtime, EncoderExplorerTests.searchKey + "d<C-w><C-w><C-w><C-w><C-w><C-w><C-w><C-w>\(empty.path)<Enter>")
        #expect(runtime.state.searchView.index == nil)
        #expect(runtime.state.searchView.message?.contains("no files") == true, "\(runtime.state.searchView.message ?? "nil")")
        #expect(Renderer.render(runtime.state, theme: .dark).plainText.contains("the folder holds no files"))
        EncoderExplorerTests.press(runtime, "d<C-w><C-w><C-w><C-w><C-w><C-w><C-w><C-w>\(mixed.path)<Enter>")
        let index = try #require(runtime.state.searchView.index)
        #expect(index.chunks == 2)
        #expect(index.notes.contains { $0.contains("picture.png") && $0.contains("binary") })
        #expect(Renderer.render(runtime.state, theme: .dark).plainText.contains("picture.png"))
        // Damage the cached embeddings: the next open rebuilds them and says so.
        // The cache holds the Velmora corpus (opened first) and the two-chunk folder: the smaller file.
        // (The keyword indexes beside them, `.bm25.safetensors`, are left alone here.)
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".safetensors") && !$0.hasSuffix(".bm25.safetensors") }
            .map { cache.appendingPathComponent($0).path }
        let size = { (path: String) in (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0 }
        let file = try #require(files.min { size($0) < size($1) })
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count - 3] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: file))
        let again = try EncoderExplorerTests.runtime(cache: cache.path)
        EncoderExplorerTests.press(again, EncoderExplorerTests.searchKey + "d<C-w><C-w><C-w><C-w><C-w><C-w><C-w><C-w>\(mixed.path)<Enter>")
        let rebuilt = try #require(again.state.searchView.index)
        #expect(!rebuilt.fromCache)
        #expect(rebuilt.notes.contains { $0.contains("corrupt") && $0.contains("rebuilt") })
    }

    @Test(.enabled(if: ModelFixture.shouldRun && ModelFixture.shouldRunMiniLM, "needs SmolLM2 and all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func answerWithRetrievalRaisesTheAnswersProbability() throws {
        let cache = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: cache) }
        let engine = LiveExplorerEngine(model: try ModelFixture.smolLM2())
        engine.retrieval = RetrievalWorkspace(encoder: try EncoderExplorerTests.loaded.get(), cache: IndexCache(folder: cache.path))
        let runtime = ExplorerRuntime(engine: engine, prompt: "The capital of France is", width: 120, height: 40, synchronous: true)
        EncoderExplorerTests.press(runtime, EncoderExplorerTests.searchKey + "<Enter>\(Self.question)<Enter>")
        let chunks = try #require(runtime.state.searchView.report?.semantic.map(\.text))
        EncoderExplorerTests.press(runtime, "r")
        let state = runtime.state
        #expect(state.view == .sampling)
        #expect(state.chat)
        let question = try #require(state.searchView.question)
        #expect(question.contexts == chunks)
        #expect(state.prompt == question.prompt)
        let report = try #require(state.searchView.answer, "\(state.status)")
        #expect(!report.answer.isEmpty)
        // The sequence on screen is still the prompt: the answer was generated and taken back.
        #expect(state.tokens.count == report.promptTokens)
        #expect(state.analysis.map { Softmax.top($0.logits, count: 1)[0].id } == report.answer[0].id)
        #expect(report.answer[0].withRetrieval == state.analysis.flatMap { Softmax.probability(of: report.answer[0].id, in: $0.logits) })
        // The retrieved text is what makes the answer likely.
        #expect(report.logProbabilityWith > report.logProbabilityWithout + 5,
                "with \(report.logProbabilityWith), without \(report.logProbabilityWithout)")
        #expect(report.answer.map(\.text).joined().lowercased().contains("skerrow"))
        #expect(report.contextShare > 0 && report.contextShare < 1)
        #expect(abs(report.chunkShares.reduce(0, +) - report.contextShare) < 1e-3)
        #expect(!report.attended.isEmpty)
        for token in report.attended {
            #expect((1...chunks.count).contains(token.chunk))
            let text = token.text.trimmingCharacters(in: .whitespaces)
            #expect(chunks[token.chunk - 1].contains(text), "\(text) is not in chunk \(token.chunk)")
        }
        for size in [(120, 40), (80, 24)] {
            runtime.send(.resize(width: size.0, height: size.1))
            let text = Renderer.render(runtime.state, theme: .dark).plainText
            #expect(text.contains("with retrieval:") && text.contains("without (alone):"), "\(size): \(text)")
        }
    }
}

import Foundation
import Testing
import TokenscopeTestSupport

// MARK: - Search and an answer with retrieval, in a real terminal

/// Opens the explorer on SmolLM2 in tmux, goes to the search view (the Velmora corpus, indexed into
/// a fresh cache with progress shown), types a question, and presses `r`: the sampling view opens
/// on the answer with and without retrieval.
@Suite("Search end to end")
struct SearchEndToEndTests {
    @Test(.enabled(if: ModelFixture.shouldRun && ModelFixture.shouldRunMiniLM, "needs SmolLM2 and all-MiniLM-L6-v2: run `tokenscope fetch`"))
    func searchThenAnswerWithRetrieval() throws {
        let smol = try ModelFixture.requireDefaultModelPath()
        let miniLM = try ModelFixture.requireMiniLMFolder()
        let binary = try TokenscopeBinary.require()
        // A cache of its own (the index is built, not read), holding links to the real models.
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscope-search-e2e-\(UUID().uuidString)")
        let models = home.appendingPathComponent("tokenscope/models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createSymbolicLink(atPath: models.appendingPathComponent("all-MiniLM-L6-v2").path, withDestinationPath: miniLM)

        let session = try TmuxSession(width: 120, height: 40, command: "'\(binary)' --model '\(smol)' 'Hello'",
                                      environment: ["TERM": "xterm-256color", "XDG_CACHE_HOME": home.path])
        defer { session.kill() }
        try session.waitFor(text: "ran 1 prompt tokens", timeout: 60)
        // The search view is the last tab: Shift-Tab from the first.
        try session.send("BTab")
        try session.waitFor(text: "search · velmora", timeout: 20)
        let indexed = try session.waitFor(text: "embedded and cached", timeout: 240)
        #expect(indexed.contains("10 documents"))
        #expect(FileManager.default.fileExists(atPath: models.appendingPathComponent("index").path), "the index is cached in the model cache")
        try session.send("Enter")
        try session.send("Which bird nests on Pell Rock?", literal: true)
        try session.send("Enter")
        let results = try session.waitFor(text: "by keywords (BM25)", timeout: 60)
        #expect(results.contains("by meaning"))
        #expect(results.contains("skerrow"))
        try session.send("r")
        try session.waitFor(text: "retrieval: 3 chunks sent", timeout: 30)
        let answer = try session.waitFor(text: "without (alone):", timeout: 240)
        #expect(answer.contains("with retrieval:"))
        #expect(answer.contains("[chat template]"))
        try session.send("q")
        try session.send("y")
    }
}

import ArgumentParser
import Foundation
import TokenscopeTransformer

/// `tokenscope search`: semantic search over a document set, beside keyword search (BM25).
///
/// The documents are chunked (paragraphs; long ones in overlapping windows), embedded once and
/// cached in the model cache under a hash of their content; later searches of the same documents
/// read the cache.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search documents by meaning (sentence embeddings) and by keywords (BM25).",
        discussion: """
            --docs takes a text or Markdown file or a folder of them. Unreadable files are named and skipped, \
            binary files skipped with a note. --json prints [{"source", "offset", "text", "score"}] best first \
            (offset: the chunk's byte offset in its file); --keywords ranks by BM25 instead of by meaning.
            """)

    @OptionGroup var encoderOptions: EncoderOptions
    @Argument(help: "What to look for.") var query: String
    @Option(name: .long, help: "A text/Markdown file or a folder of them.") var docs: String
    @Option(name: .long, help: "Results to show.") var k: Int = 5
    @Option(name: .long, help: "Most word pieces per chunk.") var chunkSize: Int = 128
    @Option(name: .long, help: "Word pieces shared by consecutive windows of a long paragraph.") var overlap: Int = 32
    @Flag(name: .long, help: "Rank by keywords (BM25) instead of by meaning (with --json).") var keywords = false
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Hit: Encodable {
        let source: String
        let offset: Int
        let text: String
        let score: Double
    }

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard chunkSize >= 8 else { throw ValidationError("--chunk-size must be at least 8 word pieces") }
        guard overlap >= 0, overlap <= chunkSize / 2 else { throw ValidationError("--overlap must be in 0...\(chunkSize / 2) (half the chunk size)") }
    }

    func run() throws {
        let encoder = try encoderOptions.loadEncoder()
        let set: DocumentSet
        let chunker: Chunker
        do {
            set = try DocumentSet(path: docs)
            chunker = try Chunker(size: chunkSize, overlap: overlap, maxTokens: encoder.maxTokens)
        } catch { throw CommandFailure(error.description) }
        for note in set.notes { printError("note: \(note)") }
        let (index, key) = try Self.index(set.documents, chunker: chunker, encoder: encoder)
        let documents = set.documents
        func hits(_ ranked: [(index: Int, score: Float)]) -> [Hit] {
            ranked.map {
                let chunk = index.chunks[$0.index]
                return Hit(source: documents[chunk.document].source, offset: chunk.offset, text: chunk.text(in: documents), score: Double($0.score))
            }
        }
        // The keyword index is cached beside the embeddings (same key), so a reopen reads it back.
        let cache = IndexCache()
        let opened = cache.openKeywords(key: key, chunkCount: index.chunks.count) { index.chunks.map { $0.text(in: documents) } }
        if case .built(let corrupt?) = opened.source { printError("note: the cached keyword index \(cache.keywordsPath(for: key)) is corrupt (\(corrupt)); rebuilt it") }
        if let problem = opened.storeProblem { printError("note: \(problem)") }
        let bm25 = opened.keywords
        let start = ContinuousClock.now
        let query: [Float]
        do { query = try encoder.embed([self.query])[0] } catch { throw CommandFailure(error.description) }
        let semantic = hits(index.search(query, k: k))
        let elapsed = ContinuousClock.now - start
        let keyword = hits(bm25.search(self.query, k: k))
        if json {
            try printJSON(keywords ? keyword : semantic)
            return
        }
        print("\(documents.count) documents, \(index.chunks.count) chunks (≤ \(chunkSize) word pieces, overlap \(overlap)); query embedded and ranked in " + String(format: "%.1f ms", BenchEncoderCommand.seconds(elapsed) * 1000))
        let queryTerms = Set(BM25.terms(self.query))
        Self.printColumn("By meaning (cosine of MiniLM embeddings)", semantic, queryTerms: queryTerms)
        Self.printColumn("By keywords (BM25)", keyword, queryTerms: queryTerms)
    }

    /// The index of `documents`: from the cache when a valid one exists, else built (with progress on
    /// standard error) and stored.
    static func index(_ documents: [Document], chunker: Chunker, encoder: SentenceEncoder) throws -> (index: EmbeddingIndex, key: String) {
        let cache = IndexCache()
        let key = IndexCache.key(documents: documents, chunker: chunker, encoder: encoder)
        switch cache.load(key: key, documents: documents, dimension: encoder.dimension) {
        case .hit(let index): return (index, key)
        case .miss: break
        case .corrupt(let reason): printError("note: the cached index \(cache.path(for: key)) is corrupt (\(reason)); rebuilding it")
        }
        let interactive = isatty(STDERR_FILENO) == 1
        var last = ContinuousClock.now
        let index: EmbeddingIndex
        do {
            index = try EmbeddingIndex.build(documents: documents, chunker: chunker, encoder: encoder) { done, total in
                let now = ContinuousClock.now
                guard done == total || now - last > .milliseconds(interactive ? 200 : 2000) else { return }
                last = now
                let line = "embedding chunks: \(done)/\(total)"
                if interactive {
                    // One line rewritten in place, ended when the last batch is done.
                    FileHandle.standardError.write(Data(("\u{1B}[2K\r" + line + (done == total ? "\n" : "")).utf8))
                } else {
                    printError(line)
                }
            }
            try cache.store(index, key: key)
        } catch { throw CommandFailure("\(error)") }
        return (index, key)
    }

    /// One ranked list, with which query words each chunk contains.
    static func printColumn(_ title: String, _ hits: [Hit], queryTerms: Set<String>) {
        print("\n\(title)")
        if hits.isEmpty { print("  (no chunk shares a word with the query)") }
        for (n, hit) in hits.enumerated() {
            let terms = Set(BM25.terms(hit.text))
            let shared = queryTerms.intersection(terms).sorted()
            // Cosines are drawn on 0...1, BM25 scores relative to the best one.
            let top = max(1, hits.first?.score ?? 1)
            let bar = String(repeating: "█", count: max(0, min(20, Int((hit.score / top * 20).rounded()))))
            let text = hit.text.replacingOccurrences(of: "\n", with: " ")
            print(String(format: "%2d. %7.3f ", n + 1, hit.score) + bar + "  \(hit.source):\(hit.offset)")
            print("    " + (text.count > 160 ? String(text.prefix(160)) + "…" : text))
            print("    shared words: " + (shared.isEmpty ? "none (matched by meaning only)" : shared.joined(separator: ", ")))
        }
    }
}

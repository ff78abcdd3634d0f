import Foundation
import TokenscopeFormats
import TokenscopeTransformer

// MARK: - The encoder, documents and index behind the search view

/// The sentence encoder (loaded on first use, so a decoder explorer that never searches never
/// loads it), the open document set with its embedding index and BM25 index. Used from the
/// runtime's worker thread only.
public final class RetrievalWorkspace: @unchecked Sendable {
    /// Where the encoder is loaded from (default: all-MiniLM-L6-v2 in the model cache).
    public let encoderFolder: String
    /// The index cache (default: `<model cache>/index`).
    public let cache: IndexCache
    private var loadedEncoder: SentenceEncoder?
    /// The open documents, their index and keyword index.
    private(set) var documents: [Document] = []
    private(set) var index: EmbeddingIndex?
    private(set) var keywords: BM25?
    private(set) var path: String?

    /// Chunk settings, in word pieces (as `tokenscope search` defaults them).
    public static let chunkSize = 128
    public static let overlap = 32

    /// A workspace over an encoder already loaded, or one loaded from `encoderFolder` when first needed.
    public init(encoder: SentenceEncoder? = nil, encoderFolder: String = ModelLocator.miniLMFolder(), cache: IndexCache = IndexCache()) {
        self.loadedEncoder = encoder
        self.encoderFolder = encoder?.path ?? encoderFolder
        self.cache = cache
    }

    /// The encoder, loaded now if needed.
    func encoder(progress: (String) -> Void) throws -> SentenceEncoder {
        if let loadedEncoder { return loadedEncoder }
        guard FileManager.default.fileExists(atPath: encoderFolder) else {
            throw ModelError.invalidRequest("\(encoderFolder): no such folder — the search view needs the sentence encoder (run tokenscope fetch)")
        }
        progress("loading the encoder \(URL(fileURLWithPath: encoderFolder).lastPathComponent)")
        let encoder = try SentenceEncoder(folder: encoderFolder)
        loadedEncoder = encoder
        return encoder
    }

    // MARK: Requests

    /// Answers the encoder's requests (similarity, index, search); `.answer` needs a decoder.
    func retrieve(_ request: RetrievalRequest, progress: (String) -> Void) -> RetrievalResult {
        do {
            switch request {
            case .similarity(let sentences): return .similarity(try similarity(sentences, progress: progress))
            case .index(let path): return .index(try open(path, progress: progress))
            case .search(let query, let k): return .search(try search(query, k: k, progress: progress))
            case .answer: return .failed(request, "an encoder cannot answer a question: retrieval-augmented answers need the decoder (open the explorer on SmolLM2)")
            }
        } catch {
            return .failed(request, "error: \(error)")
        }
    }

    func similarity(_ sentences: [String], progress: (String) -> Void) throws -> SimilarityReport {
        let encoder = try encoder(progress: progress)
        let tokens = sentences.map { encoder.tokens($0) }
        let embeddings = try encoder.embed(tokenSequences: tokens)
        let n = sentences.count
        var matrix = [Float](repeating: 0, count: n * n)  // (sentences, sentences)
        for i in 0..<n {
            for j in 0..<n {
                matrix[i * n + j] = zip(embeddings[i], embeddings[j]).reduce(0) { $0 + $1.0 * $1.1 }
            }
        }
        return SimilarityReport(sentences: sentences, tokenCounts: tokens.map(\.count), matrix: matrix, embeddings: embeddings)
    }

    /// Reads, chunks and indexes the documents under `path` (the cache holds the embeddings).
    func open(_ path: String, progress: (String) -> Void) throws -> IndexReport {
        let encoder = try encoder(progress: progress)
        let start = ContinuousClock.now
        progress("reading \(path)")
        let set = try DocumentSet(path: path)
        let chunker = try Chunker(size: Self.chunkSize, overlap: Self.overlap, maxTokens: encoder.maxTokens)
        progress("chunking \(set.documents.count) documents")
        let opened = try withoutActuallyEscaping(progress) { report in
            try cache.open(documents: set.documents, chunker: chunker, encoder: encoder) { done, total in
                report("embedding chunks \(done)/\(total)")
            }
        }
        progress("indexing keywords")
        documents = set.documents
        index = opened.index
        // The keyword index is cached beside the embeddings (same key), so a reopen reads it back.
        let keywordIndex = cache.openKeywords(key: opened.key, chunkCount: opened.index.chunks.count) {
            opened.index.chunks.map { $0.text(in: set.documents) }
        }
        keywords = keywordIndex.keywords
        self.path = path
        var notes = set.notes
        if case .built(let corrupt?) = opened.source { notes.append("the cached index was corrupt (\(corrupt)); rebuilt") }
        if let problem = opened.storeProblem { notes.append(problem) }
        if case .built(let corrupt?) = keywordIndex.source { notes.append("the cached keyword index was corrupt (\(corrupt)); rebuilt") }
        if let problem = keywordIndex.storeProblem, problem != opened.storeProblem { notes.append(problem) }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return IndexReport(path: path, documents: set.documents.count, chunks: opened.index.chunks.count,
                           chunkSize: chunker.size, overlap: chunker.overlap, notes: notes,
                           fromCache: opened.source == .cache, seconds: seconds)
    }

    func search(_ query: String, k: Int, progress: (String) -> Void) throws -> SearchReport {
        guard let index, let keywords, let path else { throw ModelError.invalidRequest("no documents are open: the search view opens them first") }
        let encoder = try encoder(progress: progress)
        let start = ContinuousClock.now
        let vector = try encoder.embed([query])[0]
        let semantic = index.search(vector, k: k)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
        let pieces = queryPieces(query, encoder: encoder)
        func hits(_ ranked: [(index: Int, score: Float)]) -> [SearchHit] {
            ranked.map { ranked in
                let chunk = index.chunks[ranked.index]
                let text = chunk.text(in: documents)
                let found = Set(encoder.tokenizer.encode(bytes: Array(text.utf8), parseSpecial: false, addSpecialTokens: false))
                return SearchHit(source: documents[chunk.document].source, offset: chunk.offset, text: text, score: ranked.score,
                                 matched: pieces.filter { found.contains($0.id) }.map(\.text),
                                 unmatched: pieces.filter { !found.contains($0.id) }.map(\.text))
            }
        }
        return SearchReport(query: query, path: path, semantic: hits(semantic), keyword: hits(keywords.search(query, k: k)),
                            milliseconds: milliseconds)
    }

    /// The query's distinct word pieces that carry content (letters or digits), in order.
    func queryPieces(_ query: String, encoder: SentenceEncoder) -> [(id: Int, text: String)] {
        var seen = Set<Int>()
        return encoder.tokenizer.encode(bytes: Array(query.utf8), parseSpecial: false, addSpecialTokens: false).compactMap { id in
            let text = encoder.tokenizer.tokenString(id)
            guard text.contains(where: { $0.isLetter || $0.isNumber }), seen.insert(id).inserted else { return nil }
            return (id, text)
        }
    }
}

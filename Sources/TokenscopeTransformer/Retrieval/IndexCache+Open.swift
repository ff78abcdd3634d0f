import Foundation

// MARK: - Opening an index: from the cache, else built and stored

extension IndexCache {
    /// How an index was opened.
    public enum Source: Sendable, Equatable {
        /// Read from the cache file.
        case cache
        /// Embedded now (no cache file, or one that failed a check: the reason), then stored.
        case built(corrupt: String?)
    }

    /// The index of `documents` chunked by `chunker`, and its cache key (the keyword index's too):
    /// the cached one when it checks out, else built (`progress(done, total)` follows the embedding)
    /// and stored. A cache that cannot be written
    /// is not an error: the index is returned with `storeProblem` set.
    public func open(
        documents: [Document], chunker: Chunker, encoder: SentenceEncoder, progress: ((Int, Int) -> Void)? = nil
    ) throws(RetrievalError) -> (index: EmbeddingIndex, source: Source, storeProblem: String?, key: String) {
        let key = Self.key(documents: documents, chunker: chunker, encoder: encoder)
        var corrupt: String?
        switch load(key: key, documents: documents, dimension: encoder.dimension) {
        case .hit(let index): return (index, .cache, nil, key)
        case .miss: break
        case .corrupt(let reason): corrupt = reason
        }
        let index = try EmbeddingIndex.build(documents: documents, chunker: chunker, encoder: encoder, progress: progress)
        do {
            try store(index, key: key)
            return (index, .built(corrupt: corrupt), nil, key)
        } catch {
            return (index, .built(corrupt: corrupt), error.description, key)
        }
    }
}

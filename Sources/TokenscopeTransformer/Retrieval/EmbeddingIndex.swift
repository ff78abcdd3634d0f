import Foundation
import TokenscopeKernels

// MARK: - The embedding index

/// Chunks and their unit embeddings, ranked by cosine similarity (a dot product of unit vectors).
public struct EmbeddingIndex: Sendable {
    /// The chunks, in document order.
    public let chunks: [DocumentChunk]
    /// Length of each embedding.
    public let dimension: Int
    /// The embeddings, row-major: (chunks, dimension).
    public let vectors: [Float]

    /// An index of `chunks` with `vectors` (chunks × dimension floats).
    public init(chunks: [DocumentChunk], dimension: Int, vectors: [Float]) {
        precondition(vectors.count == chunks.count * dimension, "an index needs one vector per chunk")
        self.chunks = chunks
        self.dimension = dimension
        self.vectors = vectors
    }

    /// Chunks `documents` with `chunker` and embeds every chunk; `progress(done, total)` follows the embedding.
    public static func build(
        documents: [Document], chunker: Chunker, encoder: SentenceEncoder, progress: ((Int, Int) -> Void)? = nil
    ) throws(RetrievalError) -> EmbeddingIndex {
        var chunks: [DocumentChunk] = []
        for (index, document) in documents.enumerated() {
            chunks += chunker.chunks(of: document, index: index, tokenizer: encoder.tokenizer)
        }
        let texts = chunks.map { $0.text(in: documents) }
        let embeddings: [[Float]]
        do { embeddings = try encoder.embed(texts) { progress?($0, texts.count) } } catch { throw .model(error) }
        return EmbeddingIndex(chunks: chunks, dimension: encoder.dimension, vectors: embeddings.flatMap { $0 })
    }

    /// The `k` chunks most similar to the unit vector `query`, best first: (chunk index, cosine).
    /// Scores are dot products over the whole index, spread over the worker pool, then a partial
    /// selection of the best `k`.
    public func search(_ query: [Float], k: Int) -> [(index: Int, score: Float)] {
        let count = chunks.count
        guard count > 0, k > 0, query.count == dimension else { return [] }
        var scores = [Float](repeating: 0, count: count)  // (chunks)
        let block = 2048
        vectors.withUnsafeBufferPointer { vp in
            query.withUnsafeBufferPointer { qp in
                scores.withUnsafeMutableBufferPointer { sp in
                    guard let v = vp.baseAddress, let q = qp.baseAddress, let s = sp.baseAddress else { return }
                    Parallel.forEach((count + block - 1) / block) { item in
                        for row in (item * block)..<min(count, (item + 1) * block) {
                            s[row] = Self.dot(q, v + row * dimension, count: dimension)
                        }
                    }
                }
            }
        }
        return Self.best(scores, k: k)
    }

    /// The indices of the `k` largest scores, best first (ties: lower index first).
    public static func best(_ scores: [Float], k: Int) -> [(index: Int, score: Float)] {
        var top: [(index: Int, score: Float)] = []  // sorted best first, at most k
        top.reserveCapacity(k + 1)
        for (index, score) in scores.enumerated() {
            if top.count == k, let worst = top.last, !(score > worst.score) { continue }
            var position = top.count
            while position > 0, score > top[position - 1].score { position -= 1 }
            top.insert((index, score), at: position)
            if top.count > k { top.removeLast() }
        }
        return top
    }

    /// Dot product of two float vectors, eight lanes at a time.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var sum0 = SIMD8<Float>(), sum1 = SIMD8<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 16 <= count {
            sum0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            sum1 += ra.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        var total = (sum0 + sum1).sum()
        while i < count {
            total += a[i] * b[i]
            i += 1
        }
        return total
    }
}

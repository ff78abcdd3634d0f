import Foundation
import TokenscopeFormats
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
    /// The embeddings in f16 as a (chunks out, dimension in) matrix for the scan: half the bytes to
    /// stream per query, multiplied by the decoders' fused f16 kernel.
    let scan: TensorView

    /// An index of `chunks` with `vectors` (chunks × dimension floats).
    public init(chunks: [DocumentChunk], dimension: Int, vectors: [Float]) {
        precondition(vectors.count == chunks.count * dimension, "an index needs one vector per chunk")
        self.chunks = chunks
        self.dimension = dimension
        self.vectors = vectors
        let storage = OwnedBytes(count: vectors.count * 2)
        let halves = storage.bytes.bindMemory(to: UInt16.self)  // (chunks, dimension)
        for i in vectors.indices { halves[i] = Float16(vectors[i]).bitPattern }
        scan = TensorView(name: "index", type: .f16, shape: [dimension, chunks.count], bytes: UnsafeRawBufferPointer(storage.bytes), owner: storage)
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
    /// One matrix-vector product over the f16 copy (spread over the worker pool) picks candidates,
    /// whose scores are then recomputed from the f32 vectors, so the order and the scores returned
    /// are exact (f16 rounding moves a score by ~1e-3 at most, far less than the candidate margin).
    public func search(_ query: [Float], k: Int) -> [(index: Int, score: Float)] {
        let count = chunks.count
        guard count > 0, k > 0, query.count == dimension else { return [] }
        var scores = [Float](repeating: 0, count: count)  // (chunks)
        query.withUnsafeBufferPointer { qp in
            scores.withUnsafeMutableBufferPointer { sp in
                guard let q = qp.baseAddress, let s = sp.baseAddress else { return }
                MatrixMultiply.apply(scan, q, rows: 1, into: s)
            }
        }
        let candidates = Self.best(scores, k: min(count, 4 * k + 32))
        let exact: [(index: Int, score: Float)] = vectors.withUnsafeBufferPointer { vp in
            query.withUnsafeBufferPointer { qp in
                guard let v = vp.baseAddress, let q = qp.baseAddress else { return [] }
                return candidates.map { ($0.index, Self.dot(q, v + $0.index * dimension, count: dimension)) }
            }
        }
        return Array(exact.sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }.prefix(k))
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

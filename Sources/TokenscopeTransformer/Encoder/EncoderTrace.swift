import Foundation

// MARK: - One text through the encoder, kept for the explorer

/// What the explorer shows of one text run through a ``SentenceEncoder``: its tokens, every
/// block's attention (each token attends to every token: the full square, not a triangle) and the
/// pooled sentence embedding.
public struct EncoderTrace: Sendable {
    /// The tokens, `[CLS]` … `[SEP]`.
    public let tokens: [Int]
    /// Per block, every head's probabilities: (heads, n, n) row-major, query rows, key columns.
    public let attention: [[Float]]  // (blocks) of (heads, n, n)
    /// The heads per block.
    public let headCount: Int
    /// The sentence embedding (mean-pooled, unit length).
    public let embedding: [Float]

    /// Head `head` of block `layer` as a bidirectional ``AttentionMatrix``.
    public func matrix(layer: Int, head: Int) -> AttentionMatrix {
        let n = tokens.count
        let base = head * n * n
        let values = attention[layer]
        var lower = [Float](repeating: 0, count: n * (n + 1) / 2)  // (query, key ≤ query)
        var upper = [Float](repeating: 0, count: n * (n - 1) / 2)  // (query, key > query)
        var l = 0, u = 0
        for q in 0..<n {
            for k in 0..<n {
                let value = values[base + q * n + k]
                if k <= q {
                    lower[l] = value
                    l += 1
                } else {
                    upper[u] = value
                    u += 1
                }
            }
        }
        return AttentionMatrix(layer: layer, head: head, count: n, lowerTriangle: lower, isScores: false, upperTriangle: upper)
    }
}

extension SentenceEncoder {
    /// Runs `tokens` (with their `[CLS]` and `[SEP]`, at most ``maxTokens``) and keeps every
    /// block's attention: 6 blocks × 12 heads × n² floats (19 MB at 256 tokens).
    public func trace(tokens: [Int]) throws(ModelError) -> EncoderTrace {
        guard !tokens.isEmpty, tokens.count <= maxTokens else {
            throw .invalidRequest("\(tokens.count) tokens; the encoder takes 1...\(maxTokens)")
        }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= configuration.vocabularySize }) {
            throw .invalidRequest("token id \(bad) is outside the vocabulary (\(configuration.vocabularySize))")
        }
        var attention: [[Float]] = []
        let pooled = try forward(batch: [tokens]) { _, probabilities in attention.append(probabilities) }
        return EncoderTrace(tokens: tokens, attention: attention, headCount: configuration.headCount, embedding: pooled[0])
    }
}

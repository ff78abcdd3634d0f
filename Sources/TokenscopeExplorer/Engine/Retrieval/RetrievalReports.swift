import Foundation
import TokenscopeTransformer

// MARK: - What retrieval work answers

/// Sentences side by side: their cosine similarities and pooled embeddings.
public struct SimilarityReport: Sendable, Equatable {
    /// The sentences, in order.
    public let sentences: [String]
    /// Tokens each was embedded from (with `[CLS]` and `[SEP]`).
    public let tokenCounts: [Int]
    /// Cosine of every pair, row-major.
    public let matrix: [Float]  // (sentences, sentences)
    /// Each sentence's pooled, unit-length embedding.
    public let embeddings: [[Float]]  // (sentences, dimension)

    /// Creates a report.
    public init(sentences: [String], tokenCounts: [Int], matrix: [Float], embeddings: [[Float]]) {
        self.sentences = sentences
        self.tokenCounts = tokenCounts
        self.matrix = matrix
        self.embeddings = embeddings
    }

    /// The cosine of sentences `i` and `j`.
    public func cosine(_ i: Int, _ j: Int) -> Float { matrix[i * sentences.count + j] }
}

/// An opened document index.
public struct IndexReport: Sendable, Equatable {
    /// The file or folder indexed.
    public let path: String
    /// Documents read and chunks embedded.
    public let documents: Int
    public let chunks: Int
    /// The chunk settings, in word pieces.
    public let chunkSize: Int
    public let overlap: Int
    /// Files skipped (which and why), and a rebuilt corrupt cache.
    public let notes: [String]
    /// Whether the embeddings came from the index cache.
    public let fromCache: Bool
    /// Seconds to open (read, chunk, and load or embed).
    public let seconds: Double
}

/// One ranked chunk.
public struct SearchHit: Sendable, Equatable {
    /// The file and the chunk's byte offset in it.
    public let source: String
    public let offset: Int
    /// The chunk's text.
    public let text: String
    /// Cosine (by meaning) or BM25 score (by keywords).
    public let score: Float
    /// The query's word pieces found in the chunk, and those not found.
    public let matched: [String]
    public let unmatched: [String]
}

/// A query ranked by meaning and by keywords over the same chunks.
public struct SearchReport: Sendable, Equatable {
    /// The query and the index it ran on.
    public let query: String
    public let path: String
    /// Best first, by cosine of embeddings.
    public let semantic: [SearchHit]
    /// Best first, by BM25.
    public let keyword: [SearchHit]
    /// Milliseconds to embed the query and rank every chunk.
    public let milliseconds: Double
}

/// One token of the decoder's answer.
public struct RAGToken: Sendable, Equatable {
    public let id: Int
    public let text: String
    /// Its probability with the retrieved chunks in the prompt, and with the question alone.
    public let withRetrieval: Float
    public let withoutRetrieval: Float
}

/// A retrieved token the answer attends to.
public struct AttendedToken: Sendable, Equatable {
    /// The token's text, and which chunk (from 1) it belongs to.
    public let text: String
    public let chunk: Int
    /// Its position in the prompt.
    public let position: Int
    /// Mean attention weight on it from the answer's positions, over every layer and head.
    public let weight: Float
}

/// The decoder's answer with retrieval against the same answer without it.
public struct RAGReport: Sendable, Equatable {
    /// The question and the user turn sent with the chunks.
    public let question: String
    public let prompt: String
    /// The answer (greedy, with retrieval), token by token.
    public let answer: [RAGToken]
    /// What the model says to the question alone (greedy): the answer without retrieval.
    public let bareAnswer: String
    /// The retrieved tokens the answer attends to most, strongest first.
    public let attended: [AttendedToken]
    /// Mean share of the answer's attention that lands on the retrieved text, and on each chunk.
    public let contextShare: Float
    public let chunkShares: [Float]
    /// Tokens in the prompt with retrieval, and in the prompt without.
    public let promptTokens: Int
    public let barePromptTokens: Int

    /// The probability of the whole answer (product of its tokens') with and without retrieval, as
    /// natural logarithms (products of many probabilities underflow).
    public var logProbabilityWith: Double { answer.reduce(0) { $0 + log(Double(max($1.withRetrieval, 1e-30))) } }
    public var logProbabilityWithout: Double { answer.reduce(0) { $0 + log(Double(max($1.withoutRetrieval, 1e-30))) } }
}

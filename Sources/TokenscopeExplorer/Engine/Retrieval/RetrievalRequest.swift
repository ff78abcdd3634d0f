import TokenscopeTransformer

// MARK: - Retrieval work the views ask for

/// Work for the similarity and search views and the retrieval demo: sentence embeddings, a
/// document index, a query, an answer with and without the retrieved text.
public enum RetrievalRequest: Sendable, Equatable {
    /// The cosine matrix and pooled embeddings of `sentences`.
    case similarity([String])
    /// Chunk, embed and index the documents under `path` (from the index cache when it holds them).
    case index(path: String)
    /// The best `k` chunks of the open index for `query`, by meaning and by keywords.
    case search(query: String, k: Int)
    /// The decoder's answer to a question whose prompt carries retrieved chunks: greedy tokens with
    /// retrieval, their probabilities without it, and the retrieved tokens the answer attends to.
    case answer(RAGQuestion)
}

/// A question sent to the decoder with retrieved chunks.
public struct RAGQuestion: Sendable, Equatable {
    /// The question as typed in the search view.
    public let question: String
    /// The retrieved chunks, best first.
    public let contexts: [String]

    /// Creates a question with its chunks.
    public init(question: String, contexts: [String]) {
        self.question = question
        self.contexts = contexts
    }

    /// The user turn sent with retrieval: an instruction, the numbered chunks, the question.
    public var prompt: String {
        var text = "Answer the question using the context.\n\nContext:\n"
        for (n, context) in contexts.enumerated() {
            text += "[\(n + 1)] " + context.replacingOccurrences(of: "\n", with: " ") + "\n"
        }
        return text + "\nQuestion: \(question)"
    }

    /// The user turn sent without retrieval: the question alone.
    public var barePrompt: String { "Question: \(question)" }
}

/// What the engine answers to a `RetrievalRequest`.
public enum RetrievalResult: Sendable, Equatable {
    case similarity(SimilarityReport)
    case index(IndexReport)
    case search(SearchReport)
    case answer(RAGReport)
    /// The request failed; the message is for the user.
    case failed(RetrievalRequest, String)
}

/// An engine that can embed, search and answer with retrieval. The runtime asks any engine that
/// conforms; others answer every request with a failure the views show.
public protocol RetrievalEngine: AnyObject {
    /// Whether the model on screen is an encoder (no next-token prediction, no generation).
    var isEncoder: Bool { get }
    /// Does `request`, reporting progress as a line for the footer.
    func retrieve(_ request: RetrievalRequest, progress: (String) -> Void) -> RetrievalResult
}

extension Effect {
    /// Work that does not depend on the sequence (sentence embeddings, documents, a query): a new
    /// prompt does not make it stale, so it is neither skipped nor dropped.
    var outlivesPrompt: Bool {
        switch self {
        case .retrieve(.similarity), .retrieve(.index), .retrieve(.search): true
        // The other model runs a text of its own, whatever happens to the sequence on screen.
        case .crossModel: true
        default: false
        }
    }
}

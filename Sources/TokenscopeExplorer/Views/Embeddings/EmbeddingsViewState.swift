import TokenscopeUI

// MARK: - Embeddings view state

/// What the embeddings view shows: the word or analogy typed, the input box, and the report.
public struct EmbeddingsViewState: Sendable, Equatable {
    /// The last query typed (empty = the selected token).
    public var query = ""
    /// The input box, when open.
    public var input: PromptEditor?
    /// The report for the current query, position and layer.
    public var report: EmbeddingsReport?
    public var pending: [AskedRequest] = []
    public var message: String?

    /// Creates the default state.
    public init() {}
}

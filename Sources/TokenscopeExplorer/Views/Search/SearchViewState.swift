import Foundation
import TokenscopeUI

// MARK: - Search view state

/// What the search view shows: the documents opened, the query, both rankings, and the
/// retrieval-augmented answer sent to the decoder.
public struct SearchViewState: Sendable, Equatable {
    /// The file or folder searched (empty: the Velmora corpus in Assets, filled on first open).
    public var documentsPath = ""
    /// The opened index (documents, chunks, cache), nil until opened.
    public var index: IndexReport?
    /// The query as last run.
    public var query = ""
    /// Results shown in each ranking, and the chunks the answer key sends to the decoder.
    public var k = 3
    /// Both rankings for `query`, and the `k` they were asked with.
    public var report: SearchReport?
    public var searchedK = 0
    /// The text box, when open: the query, or the documents path (`editingPath`).
    public var input: PromptEditor?
    public var editingPath = false
    /// Requests sent and not yet answered.
    public var pending: [RetrievalRequest] = []
    /// The work in progress (`embedding chunks 120/800`), and the last failure.
    public var progress: String?
    public var message: String?
    /// The question sent with retrieved chunks, until its answer is asked for / has come.
    public var question: RAGQuestion?
    public var answerAsked = false
    /// The answer with and without retrieval.
    public var answer: RAGReport?

    /// Most results a ranking shows.
    public static let maximumK = 8

    /// Creates the default state.
    public init() {}

    /// The Velmora corpus shipped in Assets (the search view's default documents).
    public static var defaultDocuments: String {
        (try? AssetLocator.root())?.appendingPathComponent("Corpora/velmora").path ?? "Assets/Corpora/velmora"
    }
}

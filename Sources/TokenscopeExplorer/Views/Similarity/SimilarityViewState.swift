import TokenscopeUI

// MARK: - Similarity view state

/// The sentences the similarity view compares, which one is selected, the text box, and the
/// encoder's answer (cosines and pooled embeddings).
public struct SimilarityViewState: Sendable, Equatable {
    /// The sentences (empty: filled with the prompt and `examples` on first open).
    public var sentences: [String] = []
    /// The selected sentence (its embedding's top dimensions are shown).
    public var selected = 0
    /// The text box, when open; `adding` when it makes a new sentence.
    public var input: PromptEditor?
    public var adding = false
    /// The encoder's answer for `sentences`.
    public var report: SimilarityReport?
    public var pending: [RetrievalRequest] = []
    public var message: String?

    /// Most sentences compared.
    public static let maximumCount = 8

    /// Sentences shown beside the prompt at first: two paraphrase pairs and an unrelated one.
    public static let examples = [
        "Paris is the largest city in France.",
        "The cat sat on the mat.",
        "A kitten was resting on the rug.",
        "Stock markets fell sharply this morning.",
    ]

    /// Creates the default state.
    public init() {}
}

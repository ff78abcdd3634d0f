// MARK: - Keys of the similarity and search views

/// What the similarity and search views' keys do (one `Command` case carries them).
public enum RetrievalCommand: Sendable, Equatable {
    /// Search view: type a query, choose the documents, fewer / more results, answer with retrieval.
    case typeQuery, chooseDocuments, results(Int), answer
    /// Similarity view: select, edit, add or remove a sentence.
    case selectSentence(Int), editSentence, addSentence, removeSentence
}

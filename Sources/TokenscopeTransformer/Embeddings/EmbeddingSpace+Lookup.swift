// MARK: - Looking a word up as it appears in running text

extension EmbeddingSpace {
    /// How `word` is looked up in running text: with a leading space when that spelling is one
    /// vocabulary token (" king", as the word reads inside a sentence), else as given. A word typed
    /// with its own leading space (or an empty word) is kept as it is. The explorer and the CLI both use this, so
    /// `neighbors king` and the embeddings view find the same token.
    public func runningTextSpelling(_ word: String) -> String {
        guard !word.isEmpty, !word.hasPrefix(" "), let spaced = try? self.word(" " + word), spaced.ids.count == 1 else { return word }
        return " " + word
    }
}

import TokenscopeTransformer

// MARK: - What lessons ask of the engine

extension LiveExplorerEngine {
    /// The vocabulary id of `text` when the tokenizer makes exactly one token of it (for the
    /// `token("…")` live values); nil otherwise. The tokenizer is immutable, so any thread may ask.
    public func singleTokenID(_ text: String) -> Int? {
        let ids = model.tokenizer.encode(text, parseSpecial: false)
        return ids.count == 1 ? ids[0] : nil
    }
}

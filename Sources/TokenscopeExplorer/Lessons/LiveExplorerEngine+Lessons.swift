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

extension LiveExplorerEngine {
    /// How the model reads a learner's guess for the token after `position`: each reading's tokens
    /// (with a leading space first, as the word would follow the text) and the model's own
    /// probability (temperature 1) and rank of its first token there.
    func guessReport(_ text: String, position: Int) throws -> GuessReport {
        guard position >= 0, position < session.count else {
            throw GuessError(description: "the guess is for position \(position), and the sequence has \(session.count) tokens")
        }
        let logits = position == session.count - 1 && !session.lastLogits.isEmpty ? session.lastLogits : try session.logits(at: position)  // (vocabulary)
        let tokenizer = model.tokenizer
        let before = tokenizer.decode([session.tokens[position]])
        let readings = GuessReport.variants(of: text, after: before).compactMap { variant -> GuessReport.Reading? in
            let ids = tokenizer.encode(variant, parseSpecial: false)
            guard let first = ids.first, logits.indices.contains(first) else { return nil }
            let logit = logits[first]
            return GuessReport.Reading(text: variant, ids: ids, texts: ids.map { tokenizer.decode([$0]) },
                                       probability: Double(Softmax.probability(of: first, in: logits) ?? 0),
                                       rank: logits.count { $0 > logit } + 1)
        }
        guard !readings.isEmpty else { throw GuessError(description: "\"\(text)\" makes no token") }
        return GuessReport(text: text, position: position, readings: readings)
    }
}

import Foundation
import TokenscopeTokenizers

// MARK: - Embedding space

/// A vocabulary entry and how similar it is to a query vector.
public struct Neighbor: Sendable, Equatable {
    /// Vocabulary id.
    public let id: Int
    /// Cosine similarity to the query, in [-1, 1].
    public let similarity: Float
}

/// A word looked up in the vocabulary: its token pieces and the vector standing for it.
public struct EmbeddedWord: Sendable, Equatable {
    /// The text as given.
    public let text: String
    /// The tokens it became (one for a vocabulary word).
    public let ids: [Int]
    /// The token's embedding row, or the mean of its pieces' rows.
    public let vector: [Float]  // (width)
}

/// Nearest neighbours and analogies over the model's input embedding matrix (every vocabulary row).
public struct EmbeddingSpace: Sendable {
    /// The model whose `token_embd` rows are the space.
    public let model: TransformerModel
    let norms: [Float]  // (vocabulary): L2 norm of each embedding row

    /// Measures every row once (tens of milliseconds for 49 152 rows).
    public init(model: TransformerModel) {
        self.model = model
        let c = model.configuration
        var norms = [Float](repeating: 0, count: c.vocabularySize)
        var row = [Float](repeating: 0, count: c.width)
        for id in 0..<c.vocabularySize {
            row.withUnsafeMutableBufferPointer { Linear.row(model.weights.tokenEmbedding, id, into: $0) }
            norms[id] = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
        }
        self.norms = norms
    }

    /// The embedding row of token `id`.
    public func vector(of id: Int) -> [Float] {
        var row = [Float](repeating: 0, count: model.configuration.width)  // (width)
        guard id >= 0, id < model.configuration.vocabularySize else { return row }
        row.withUnsafeMutableBufferPointer { Linear.row(model.weights.tokenEmbedding, id, into: $0) }
        return row
    }

    /// Looks `text` up: exactly one vocabulary token (`" king"` and `"king"` differ) is used as is;
    /// otherwise its pieces' mean vector stands for it. Empty text is an error.
    public func word(_ text: String) throws(ModelError) -> EmbeddedWord {
        let tokenizer = model.tokenizer
        let ids: [Int]
        let spelling = tokenizer is SentencePieceTokenizer ? text.replacingOccurrences(of: " ", with: "▁") : Self.vocabularySpelling(text)
        if let id = tokenizer.id(forToken: spelling) {
            ids = [id]
        } else {
            ids = tokenizer.encode(text, parseSpecial: false)
        }
        guard !ids.isEmpty else { throw .invalidRequest("nothing to look up: the word is empty") }
        var mean = [Float](repeating: 0, count: model.configuration.width)
        for id in ids {
            let row = vector(of: id)
            for i in mean.indices { mean[i] += row[i] / Float(ids.count) }
        }
        return EmbeddedWord(text: text, ids: ids, vector: mean)
    }

    /// The `k` rows most cosine-similar to `vector`, best first, leaving out `excluded` ids.
    public func nearest(to vector: [Float], k: Int, excluding excluded: Set<Int> = []) -> [Neighbor] {
        let c = model.configuration
        guard vector.count == c.width, k > 0 else { return [] }
        let queryNorm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard queryNorm > 0 else { return [] }
        var dots = [Float](repeating: 0, count: c.vocabularySize)  // (vocabulary)
        Linear.apply(model.weights.tokenEmbedding, vector, rows: 1, into: &dots)
        var best: [Neighbor] = []
        best.reserveCapacity(k + 1)
        for id in 0..<c.vocabularySize where !excluded.contains(id) && norms[id] > 0 {
            let similarity = dots[id] / (norms[id] * queryNorm)
            if best.count == k, let last = best.last, similarity <= last.similarity { continue }
            let index = best.firstIndex { similarity > $0.similarity } ?? best.count
            best.insert(Neighbor(id: id, similarity: similarity), at: index)
            if best.count > k { best.removeLast() }
        }
        return best
    }

    /// Vector arithmetic over words: the sum of `terms` with their signs (`king - man + woman`),
    /// and its nearest rows with the input tokens left out.
    public func analogy(_ terms: [(word: String, sign: Float)], k: Int) throws(ModelError) -> (words: [EmbeddedWord], results: [Neighbor]) {
        guard !terms.isEmpty else { throw .invalidRequest("an analogy needs at least one word") }
        var sum = [Float](repeating: 0, count: model.configuration.width)
        var words: [EmbeddedWord] = []
        var excluded = Set<Int>()
        for term in terms {
            let word = try word(term.word)
            words.append(word)
            if word.ids.count == 1 { excluded.insert(word.ids[0]) }
            for i in sum.indices { sum[i] += term.sign * word.vector[i] }
        }
        return (words, nearest(to: sum, k: k, excluding: excluded))
    }

    /// Parses `king - man + woman` into signed terms; a leading term is positive.
    public static func parseExpression(_ text: String) throws(ModelError) -> [(word: String, sign: Float)] {
        var terms: [(word: String, sign: Float)] = []
        var sign: Float = 1
        var current = ""
        func flush() {
            let word = current.trimmingCharacters(in: .whitespaces)
            if !word.isEmpty { terms.append((word, sign)) }
            current = ""
        }
        for character in text {
            if character == "+" || character == "-" || character == "−" {
                flush()
                sign = character == "+" ? 1 : -1
            } else {
                current.append(character)
            }
        }
        flush()
        guard !terms.isEmpty else { throw .invalidRequest("no words in '\(text)'; try: king - man + woman") }
        return terms
    }

    /// A word as the byte-level BPE vocabulary spells it (a space becomes `Ġ`).
    static func vocabularySpelling(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 { out.unicodeScalars.append(ByteLevel.scalar(for: byte)) }
        return out
    }
}

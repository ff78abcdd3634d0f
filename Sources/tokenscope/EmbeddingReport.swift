import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer

// MARK: - Embedding results on the terminal

/// A ranked vocabulary entry in JSON output.
struct RankedToken: Encodable {
    let id: Int
    let token: String
    let text: String
    let similarity: Float
}

/// Says on stderr which spelling of a word was looked up when it is not the one typed.
func noteSpelling(typed: String, used: String) {
    guard typed != used else { return }
    FileHandle.standardError.write(Data(
        "note: '\(typed)' looked up as '\(TokenSpelling.visible(used))' (the token for the word inside running text; --as-typed looks up '\(typed)')\n".utf8))
}

/// Prints ranked neighbours as a table (with a header) or a JSON array, and notes how each word was looked up.
func report(_ neighbors: [Neighbor], words: [EmbeddedWord], model: TransformerModel, json: Bool) throws {
    for word in words where word.ids.count > 1 {
        let pieces = word.ids.map { "'\(TokenSpelling.visible(model.tokenizer.decode([$0])))'" }.joined(separator: " + ")
        FileHandle.standardError.write(Data("note: '\(word.text)' is \(word.ids.count) tokens (\(pieces)); using their mean vector\n".utf8))
    }
    let ranked = neighbors.map {
        RankedToken(id: $0.id, token: model.tokenizer.tokenString($0.id), text: model.tokenizer.decode([$0.id]), similarity: $0.similarity)
    }
    if json { try printJSON(ranked); return }
    print("  #  cosine      id  token")  // the columns of the rows below
    for (rank, entry) in ranked.enumerated() {
        let bar = String(repeating: "█", count: max(0, Int((entry.similarity * 30).rounded())))
        print(String(format: "%3d  %.4f  %6d  ", rank + 1, entry.similarity, entry.id)
            + "\(TokenSpelling.visible(entry.text).padding(toLength: 16, withPad: " ", startingAt: 0)) \(bar)")
    }
}


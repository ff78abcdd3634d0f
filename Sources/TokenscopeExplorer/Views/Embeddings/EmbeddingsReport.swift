import TokenscopeTransformer
import TokenscopeUI

// MARK: - Embeddings data for the view

/// A vocabulary token with its cosine similarity to a query vector.
public struct RankedToken: Sendable, Equatable {
    public let id: Int
    public let text: String
    public let similarity: Float
    /// How the token is shown: visible text, or its bytes in hex when they are not whole characters.
    public var label: String = ""
}

/// A labelled point of the PCA scatter.
public struct ScatterPoint: Sendable, Equatable {
    /// What the point stands for.
    public enum Kind: Sendable, Equatable { case query, neighbour, term, result, contextual }
    public let label: String
    public let kind: Kind
    public let x: Double
    public let y: Double
}

/// Everything the embeddings view shows for one query, position and layer.
public struct EmbeddingsReport: Sendable, Equatable {
    /// The request this answers and the sequence it saw.
    public let request: InspectRequest
    public let tokenIDs: [Int]
    /// What was looked up (the word, the analogy, or the selected token's text).
    public let queryLabel: String
    /// The token ids the query became (a word of several pieces is their mean).
    public let queryIDs: [Int]
    /// Signed terms when the query is an analogy (empty for a single word).
    public let terms: [(word: String, sign: Float)]
    /// Nearest vocabulary rows to the query (or the analogy's sum, inputs excluded).
    public let neighbours: [RankedToken]
    /// Static: the selected token's own embedding row and its neighbours.
    public let selectedID: Int
    public let staticNeighbours: [RankedToken]
    /// Contextual: the residual stream of the selected position after `layer` blocks, its norm,
    /// its cosine with the static embedding, and its nearest vocabulary rows.
    public let layer: Int
    public let hiddenNorm: Float
    public let hiddenToStatic: Float
    public let contextualNeighbours: [RankedToken]
    /// The PCA scatter of query, neighbours, terms and the contextual vector.
    public let points: [ScatterPoint]
    /// A lookup problem to show (e.g. an empty word), if any.
    public let message: String?

    public static func == (a: Self, b: Self) -> Bool {
        a.request == b.request && a.tokenIDs == b.tokenIDs && a.queryLabel == b.queryLabel && a.queryIDs == b.queryIDs
            && a.terms.map(\.word) == b.terms.map(\.word) && a.terms.map(\.sign) == b.terms.map(\.sign)
            && a.neighbours == b.neighbours && a.selectedID == b.selectedID && a.staticNeighbours == b.staticNeighbours
            && a.layer == b.layer && a.hiddenNorm == b.hiddenNorm && a.hiddenToStatic == b.hiddenToStatic
            && a.contextualNeighbours == b.contextualNeighbours && a.points == b.points && a.message == b.message
    }
}

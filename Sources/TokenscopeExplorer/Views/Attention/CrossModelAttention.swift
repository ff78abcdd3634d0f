import Foundation
import TokenscopeTransformer
import TokenscopeUI

// MARK: - An encoder's head beside a decoder's

/// The attention view's comparison of two kinds of model (`d`): the head on screen beside the head
/// of the other kind — with the encoder (all-MiniLM-L6-v2) open, the decoder's (SmolLM2); with a
/// decoder open, the encoder's — on the same text, each read by its own tokenizer and run through
/// its own real forward pass. The learner sees a bidirectional map (every token sees every token)
/// next to a causal one (the lower triangle only). Stored as one property of `AttentionViewState`.
public struct CrossModelAttention: Sendable, Equatable {
    /// Whether the comparison is on screen.
    public var isOpen = false
    /// The other model's layer for the current text and layer.
    public var data: CrossModelData?
    /// Requests sent and not yet answered.
    public var pending: [CrossModelRequest] = []
    /// The last failure (no other model in the cache, a text the other model refuses), and the
    /// request it answered (asked again only when the request changes).
    public var message: String?
    public var failed: CrossModelRequest?

    /// Creates the closed state.
    public init() {}

    // MARK: Which layer and head

    /// The other model's layer at the same relative depth as `layer` of `layerCount`: the first
    /// layer maps to the first, the last to the last, and those between to the nearest layer at
    /// the same fraction of the depth (MiniLM's 6 layers onto SmolLM2's 30: 0→0, 1→6, 2→12,
    /// 3→17, 4→23, 5→29).
    public static func layer(matching layer: Int, of layerCount: Int, in otherCount: Int) -> Int {
        guard layerCount > 1, otherCount > 1 else { return 0 }
        let clamped = min(max(0, layer), layerCount - 1)
        let fraction = Double(clamped) / Double(layerCount - 1)
        return min(otherCount - 1, Int((fraction * Double(otherCount - 1)).rounded()))
    }

    /// The other model's head for `head`: the same index when it has one, else its last head (the
    /// nearest index). Heads are not ordered by meaning, so no index is more "the same" than another.
    public static func head(matching head: Int, in otherCount: Int) -> Int {
        min(max(0, head), max(0, otherCount - 1))
    }

    // MARK: Measures

    /// The share of attention that goes to later tokens: the mean over rows of the weight above the
    /// diagonal (0 for a decoder by construction; measured for an encoder).
    public static func laterShare(_ matrix: AttentionMatrix) -> Double {
        guard matrix.count > 0, !matrix.isScores else { return 0 }
        var total = 0.0
        for q in 0..<matrix.count {
            for k in (q + 1)..<max(q + 1, matrix.count) { total += Double(matrix.value(query: q, key: k)) }
        }
        return total / Double(matrix.count)
    }

    /// Row `query`'s weight on earlier tokens, on itself and on later tokens.
    public static func split(_ matrix: AttentionMatrix, query: Int) -> (before: Double, own: Double, after: Double) {
        guard query >= 0, query < matrix.count else { return (0, 0, 0) }
        var before = 0.0, after = 0.0
        for k in 0..<query { before += Double(matrix.value(query: query, key: k)) }
        for k in (query + 1)..<max(query + 1, matrix.count) { after += Double(matrix.value(query: query, key: k)) }
        return (before, Double(matrix.value(query: query, key: query)), after)
    }

    /// The position in `other` that lines up with `position` of `tokens`: a token of the same text
    /// (lower-cased, without spaces and WordPiece's `##`) nearest the same fraction of the sequence,
    /// else the position at that fraction. The two tokenizers cut the text differently, so this is
    /// where the same word sits, not the same index.
    public static func position(matching position: Int, in tokens: [TokenInfo], other: [TokenInfo]) -> Int {
        guard !other.isEmpty else { return 0 }
        guard tokens.count > 1, position >= 0, position < tokens.count else { return other.count - 1 }
        let fraction = Double(position) / Double(tokens.count - 1)
        let target = fraction * Double(other.count - 1)
        let word = normalised(tokens[position])
        let same = other.indices.filter { !word.isEmpty && normalised(other[$0]) == word }
        if let nearest = same.min(by: { abs(Double($0) - target) < abs(Double($1) - target) }) { return nearest }
        return min(other.count - 1, max(0, Int(target.rounded())))
    }

    static func normalised(_ token: TokenInfo) -> String {
        var text = token.text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("##") { text.removeFirst(2) }
        return text
    }
}

/// What the comparison asks of the other model: its layer at the same relative depth as `layer`
/// of the model on screen (which has `layerCount`), on `text`.
public struct CrossModelRequest: Sendable, Equatable {
    /// The text both models read (the prompt, and for a decoder the tokens it generated).
    public var text: String
    /// The layer on screen and how many the model on screen has.
    public var layer: Int
    public var layerCount: Int

    /// Creates a request.
    public init(text: String, layer: Int, layerCount: Int) {
        self.text = text
        self.layer = layer
        self.layerCount = layerCount
    }
}

/// The other model's answer: what it is, its tokens of the text, and every head of the layer
/// matched to the one on screen.
public struct CrossModelData: Sendable, Equatable {
    /// The request answered.
    public let request: CrossModelRequest
    /// The other model's name (`SmolLM2-135M-Instruct`), and whether it is an encoder.
    public let name: String
    public let isEncoder: Bool
    /// Its layers and heads.
    public let layerCount: Int
    public let headCount: Int
    /// The text through its tokenizer.
    public let tokens: [TokenInfo]
    /// Every head of its matching layer (probabilities).
    public let attention: LayerAttention

    /// Creates an answer.
    public init(request: CrossModelRequest, name: String, isEncoder: Bool, layerCount: Int, headCount: Int, tokens: [TokenInfo], attention: LayerAttention) {
        self.request = request
        self.name = name
        self.isEncoder = isEncoder
        self.layerCount = layerCount
        self.headCount = headCount
        self.tokens = tokens
        self.attention = attention
    }
}

/// The other model's answer to a `CrossModelRequest`, or why there is none.
public enum CrossModelResult: Sendable, Equatable {
    case data(CrossModelData)
    case failed(CrossModelRequest, String)
}

import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - What the explorer asks of a model

/// One token of the sequence as the views show it.
public struct TokenInfo: Sendable, Equatable {
    /// Vocabulary id.
    public let id: Int
    /// Decoded text.
    public let text: String
    /// Vocabulary string (`Ġdog`).
    public let piece: String
    /// Normal, control, byte…
    public let kind: TokenKind
    /// Rank of the merge that produced the token, if any.
    public let mergeRank: Int?
    /// Whether it was generated (rather than typed in the prompt).
    public var generated: Bool
    /// The probability the model gave this token at its position (nil for the first token).
    public var probability: Float?
    /// The token's rank in the model's distribution at its position (0 = most likely; nil for the first token).
    public var rank: Int? = nil
    /// The raw bytes the token stands for (may be part of a UTF-8 character).
    public var bytes: [UInt8] = []
    /// Whether the token ends generation (one of the model's end-of-sequence ids).
    public var isEnd = false
}

/// Everything the views show about one position: computed off the main thread, then stored in the state.
public struct PositionAnalysis: Sendable, Equatable {
    /// The position.
    public let position: Int
    /// Logits after the position (the distribution for the next token).
    public let logits: [Float]  // (vocabulary)
    /// The BPE merges that built the token at the position, from single bytes.
    public let merges: [MergeRow]
    /// Decoded text of the most likely next tokens.
    public let texts: [Int: String]
    /// The BPE merges of the whole word (pre-token) under the position, for the tokens view's replay.
    public var replay: BPEReplay? = nil
    /// Whether the tokenizer is WordPiece (the tokens view shows its cuts, not a BPE replay).
    public var isWordPiece = false
    /// The WordPiece cuts of the word under the position (nil for special and unknown tokens).
    public var wordPieces: WordPieceReplay? = nil
    /// The text through each comparison tokenizer.
    public var comparisons: [TokenizerComparison] = []
}

/// One BPE merge as the tokens view shows it: the rank, the pair, and the parts afterwards, as text.
public struct MergeRow: Sendable, Equatable {
    public let rank: Int
    public let left: String
    public let right: String
    public let parts: [String]
}

/// The model behind the explorer. Calls run on the runtime's worker thread, one at a time.
public protocol ExplorerEngine: AnyObject, Sendable {
    /// Display name and size (`SmolLM2 135M · Q4_1 · 98 MB`).
    var summary: String { get }
    /// The tokenizer's kind and pre-tokenizer, for the tokens view (`byte-level BPE, pre-tokenizer smollm`).
    var tokenizerSummary: String { get }
    /// Blocks, query heads and KV heads.
    var layerCount: Int { get }
    var headCount: Int { get }
    var kvHeadCount: Int { get }
    /// Bytes one position takes in the KV cache.
    var kvBytesPerToken: Int { get }
    /// The sliding window of block `layer` in tokens, or nil when it attends to the whole past.
    func attentionWindow(layer: Int) -> Int?
    /// The file or folder the model was read from (nil for engines without one).
    var modelPath: String? { get }
    /// Replaces the sequence with `prompt` (special tokens parsed) and runs the prefill, polling
    /// `shouldCancel` between blocks so a newer prompt need not wait for a long prefill to finish,
    /// and reporting the fraction of the prefill done (0…1) as it goes.
    func reset(prompt: String, chat: Bool, shouldCancel: () -> Bool, progress: (Double) -> Void) throws -> [TokenInfo]
    /// Appends one token and runs one decode step.
    func append(_ id: Int) throws -> TokenInfo
    /// Drops tokens from `count` on.
    func rewind(to count: Int) throws
    /// Appends `ids` (tokens that were there before, put back by undo) in one batch.
    func extend(_ ids: [Int]) throws
    /// The longest sequence the model takes (its context window).
    var contextLength: Int { get }
    /// The analysis of `position`: its next-token logits and token details (the attention view
    /// asks for its layers with `inspect`).
    func analyse(position: Int) throws -> PositionAnalysis
    /// A token's decoded text and vocabulary string.
    func text(of id: Int) -> String
    func piece(of id: Int) -> String
    /// Whether `id` ends generation.
    func isEnd(_ id: Int) -> Bool
    /// Milliseconds of the prefill and of the last decode step.
    var timings: [StepTiming] { get }
    /// Data for the attention, embeddings and forward views (see `InspectRequest`).
    func inspect(_ request: InspectRequest) -> InspectResult
    /// The same for long requests: `progress` (0…1) as it goes, stopping when `shouldCancel` says so.
    func inspect(_ request: InspectRequest, progress: (Double) -> Void, shouldCancel: () -> Bool) -> InspectResult
}

extension ExplorerEngine {
    /// Engines without long requests answer them at once.
    public func inspect(_ request: InspectRequest, progress: (Double) -> Void, shouldCancel: () -> Bool) -> InspectResult { inspect(request) }
}

extension ExplorerEngine {
    /// Engines that do not say which tokenizer they run show none.
    public var tokenizerSummary: String { "" }
}

extension ExplorerEngine {
    /// Appends `ids` one decode step at a time (engines that can batch do it in one step).
    public func extend(_ ids: [Int]) throws {
        for id in ids { _ = try append(id) }
    }

    /// Unknown (0) unless the engine says.
    public var contextLength: Int { 0 }

    /// No file unless the engine says.
    public var modelPath: String? { nil }

    /// Every layer sees the whole past unless the engine says otherwise.
    public func attentionWindow(layer: Int) -> Int? { nil }

    /// Replaces the sequence with `prompt` and runs the prefill to the end.
    public func reset(prompt: String, chat: Bool) throws -> [TokenInfo] {
        try reset(prompt: prompt, chat: chat, shouldCancel: { false }, progress: { _ in })
    }

    /// Replaces the sequence with `prompt`; the prefill stops when `shouldCancel` says so.
    public func reset(prompt: String, chat: Bool, shouldCancel: () -> Bool) throws -> [TokenInfo] {
        try reset(prompt: prompt, chat: chat, shouldCancel: shouldCancel, progress: { _ in })
    }
}


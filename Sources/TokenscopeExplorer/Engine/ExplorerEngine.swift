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

    /// Replaces the sequence with `prompt` and runs the prefill to the end.
    public func reset(prompt: String, chat: Bool) throws -> [TokenInfo] {
        try reset(prompt: prompt, chat: chat, shouldCancel: { false }, progress: { _ in })
    }

    /// Replaces the sequence with `prompt`; the prefill stops when `shouldCancel` says so.
    public func reset(prompt: String, chat: Bool, shouldCancel: () -> Bool) throws -> [TokenInfo] {
        try reset(prompt: prompt, chat: chat, shouldCancel: shouldCancel, progress: { _ in })
    }
}

// MARK: - The real model

/// The explorer engine over a real `LlamaModel` and one `InferenceSession` with full observation.
public final class LlamaExplorerEngine: ExplorerEngine, @unchecked Sendable {
    let model: LlamaModel
    var session: InferenceSession
    /// Other tokenizers the tokens view runs the same text through, side by side.
    public var comparisonTokenizers: [ComparisonTokenizer] = [] { didSet { comparisonCache = nil } }
    /// The embedding space, measured on first use by the embeddings view.
    var embeddingSpace: EmbeddingSpace?
    /// The last logit lens the forward view asked for, with the tokens it was computed over.
    var lensCache: (prefix: [Int], lens: [LensLayer])?
    /// The comparison tokenizers' results for the token sequence they were computed on.
    var comparisonCache: (tokens: [Int], results: [TokenizerComparison])?

    /// Wraps a loaded model.
    public init(model: LlamaModel) {
        self.model = model
        session = InferenceSession(model: model, options: TraceOptions(level: .full, recordsScores: true))
    }

    public var tokenizerSummary: String { model.tokenizer.kindDescription }

    public var summary: String {
        let name = model.name.lowercased().hasPrefix("smollm2") ? "SmolLM2-135M-Instruct" : model.name
        return "\(name) · \(model.weightTypeSummary) · \(model.fileSize / 1_000_000) MB"
    }
    public var layerCount: Int { model.configuration.blockCount }
    public var headCount: Int { model.configuration.headCount }
    public var kvHeadCount: Int { model.configuration.kvHeadCount }
    public var kvBytesPerToken: Int { model.configuration.blockCount * model.configuration.kvWidth * 2 * MemoryLayout<Float>.size }
    public var timings: [StepTiming] { session.timings }

    func info(_ id: Int, generated: Bool, probability: Float?, logits: [Float]? = nil) -> TokenInfo {
        let t = model.tokenizer
        var info = TokenInfo(id: id, text: t.decode([id]), piece: t.tokenString(id), kind: t.kind(of: id),
                             mergeRank: t.mergeRank(of: id), generated: generated, probability: probability)
        info.bytes = t.tokenBytes(id)
        info.rank = logits.flatMap { Softmax.rank(of: id, in: $0) }
        info.isEnd = t.eosIDs.contains(id)
        return info
    }

    public func reset(prompt: String, chat: Bool, shouldCancel: () -> Bool, progress: (Double) -> Void) throws -> [TokenInfo] {
        let text = chat ? ChatTemplate.chatML.render([ChatMessage(role: .user, content: prompt)], addGenerationPrompt: true) : prompt
        let ids = model.promptTokens(text)
        let limit = model.configuration.contextLength
        guard ids.count <= limit else {
            throw ModelError.invalidRequest("the prompt is \(ids.count) tokens, longer than the model's context of \(limit)")
        }
        // The new sequence runs in a session of its own and replaces the current one only once it
        // has loaded: a refused or cancelled prompt leaves the sequence on screen in step.
        let fresh = InferenceSession(model: model, options: TraceOptions(level: .full, recordsScores: true))
        // The session polls once per block per batch: count the polls to report progress.
        let batches = (ids.count + InferenceSession.batchLimit - 1) / InferenceSession.batchLimit
        let polls = max(1, batches * model.configuration.blockCount)
        var polled = 0
        try fresh.append(ids) {
            polled += 1
            progress(min(1, Double(polled) / Double(polls)))
            return shouldCancel()
        }
        session = fresh
        guard !ids.isEmpty else { return [] }
        // Each token's probability and rank under the logits of the position before it.
        var infos = [info(ids[0], generated: false, probability: nil)]
        try session.forEachLogits(in: 0..<(ids.count - 1)) { position, logits in
            let id = ids[position + 1]
            infos.append(info(id, generated: false, probability: Softmax.probability(of: id, in: logits), logits: logits))
        }
        return infos
    }

    public func append(_ id: Int) throws -> TokenInfo {
        let logits = session.lastLogits
        let probability = Softmax.probability(of: id, in: logits)
        try session.append([id])
        return info(id, generated: true, probability: probability, logits: logits)
    }

    public func rewind(to count: Int) throws { try session.rewind(to: count) }

    public func extend(_ ids: [Int]) throws {
        guard !ids.isEmpty else { return }
        try session.append(ids)
    }

    public var contextLength: Int { model.configuration.contextLength }

    public func analyse(position: Int) throws -> PositionAnalysis {
        // The last position's logits were computed by the step that appended it: reuse them.
        let logits = position == session.count - 1 && !session.lastLogits.isEmpty ? session.lastLogits : try session.logits(at: position)
        var texts: [Int: String] = [:]
        for candidate in Softmax.top(logits, count: 256) { texts[candidate.id] = candidateText(candidate.id) }
        var analysis = PositionAnalysis(
            position: position, logits: logits,
            merges: mergeRows(session.tokens[position]), texts: texts)
        addTokenDetails(to: &analysis)
        return analysis
    }

    func mergeRows(_ id: Int) -> [MergeRow] {
        let t = model.tokenizer
        guard t.kind(of: id) == .normal else { return [] }
        return t.mergeTrace(t.decode([id])).steps.map { step in
            MergeRow(rank: step.rank, left: step.pair.0, right: step.pair.1, parts: step.parts.map { t.decode([$0]) })
        }
    }

    public func text(of id: Int) -> String { model.tokenizer.decode([id]) }
    public func piece(of id: Int) -> String { model.tokenizer.tokenString(id) }
    public func isEnd(_ id: Int) -> Bool { model.tokenizer.eosIDs.contains(id) }

}

import Foundation
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - The real model

/// The explorer engine over a real `TransformerModel` and one `InferenceSession` with full observation.
public final class LiveExplorerEngine: ExplorerEngine, @unchecked Sendable {
    let model: TransformerModel
    var session: InferenceSession
    /// Other tokenizers the tokens view runs the same text through, side by side.
    public var comparisonTokenizers: [ComparisonTokenizer] = [] { didSet { comparisonCache = nil } }
    /// The embedding space, measured on first use by the embeddings view.
    var embeddingSpace: EmbeddingSpace?
    /// The last logit lens the forward view asked for, with the tokens it was computed over.
    var lensCache: (prefix: [Int], lens: [LensLayer])?
    /// The comparison tokenizers' results for the token sequence they were computed on.
    var comparisonCache: (tokens: [Int], results: [TokenizerComparison])?
    /// The side by side's second prompt, run in a session of its own (see `secondPrompt(_:)`).
    var secondRun: SecondPromptRun?
    /// The search view's sentence encoder (loaded on first use) and documents.
    public var retrieval = RetrievalWorkspace()

    /// Wraps a loaded model.
    public init(model: TransformerModel) {
        self.model = model
        session = InferenceSession(model: model, options: TraceOptions(level: .full, recordsScores: true, overviewThumbnailSize: Self.thumbnailSize))
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

    public var modelPath: String? { model.path }

    public func attentionWindow(layer: Int) -> Int? {
        model.configuration.isLocal(layer: layer) ? model.configuration.slidingWindow : nil
    }

    func info(_ id: Int, generated: Bool, probability: Float?, logits: [Float]? = nil) -> TokenInfo {
        let t = model.tokenizer
        var info = TokenInfo(id: id, text: t.decode([id]), piece: t.tokenString(id), kind: t.kind(of: id),
                             mergeRank: model.bpeTokenizer?.mergeRank(of: id), generated: generated, probability: probability)
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
        let fresh = InferenceSession(model: model, options: TraceOptions(level: .full, recordsScores: true, overviewThumbnailSize: Self.thumbnailSize))
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
        // Merge ranks are byte-level BPE's; SentencePiece merges by scores and shows none.
        guard let t = model.bpeTokenizer, t.kind(of: id) == .normal else { return [] }
        return t.mergeTrace(t.decode([id])).steps.map { step in
            MergeRow(rank: step.rank, left: step.pair.0, right: step.pair.1, parts: step.parts.map { t.decode([$0]) })
        }
    }

    public func text(of id: Int) -> String { model.tokenizer.decode([id]) }
    public func piece(of id: Int) -> String { model.tokenizer.tokenString(id) }
    public func isEnd(_ id: Int) -> Bool { model.tokenizer.eosIDs.contains(id) }

}

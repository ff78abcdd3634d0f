import Foundation
import TokenscopeFormats
import TokenscopeKernels

// MARK: - Session

/// One running sequence: the tokens so far, the KV cache, the last logits and the trace.
///
/// A session is not shared between threads: one owner (the explorer's model worker, a CLI command)
/// calls it, and the kernels inside spread each step over every core. Prefill takes many tokens in
/// one batch; decoding appends one token at a time; `rewind(to:)` undoes any suffix without
/// recomputing the prefix.
public final class InferenceSession {
    /// The model this session runs.
    public let model: TransformerModel
    /// What the next steps record; changing it affects only later positions.
    public var options: TraceOptions
    /// Every token appended so far.
    public internal(set) var tokens: [Int] = []
    /// What the forward pass recorded.
    public internal(set) var trace: ForwardTrace
    /// Logits after the last token (empty before the first append).
    public internal(set) var lastLogits: [Float] = []  // (vocabulary)
    /// Milliseconds spent in each `append` call, with how many tokens it took: the KV-cache ledger.
    public internal(set) var timings: [StepTiming] = []
    /// Interventions applied by every later forward run, block inspection and head recomputation
    /// (empty: the model as it is). Tokens already appended keep the run they had.
    public var hooks = ForwardHooks()
    /// How a decode step (`append` of one token) meets quantised weights — its matrix products and
    /// the output head of its `lastLogits`. f32 unless set: `ActivationPrecision.decodingDefault`
    /// (int8 activations and integer dot products where the build has them) is for sessions that
    /// generate text (`generate`, `bench`), not for analyses that compare a rerun with a fresh run.
    /// Prompts (batches) and every later read (`logits(at:)`, `forEachLogits`, the lens) use f32,
    /// so right after an int8 decode step `lastLogits` can differ from `logits(at: count - 1)` by
    /// the head's int8 rounding (Docs/PERFORMANCE.md). Changing it affects later steps.
    public var activations: ActivationPrecision = .float

    var keys: [[Float]]  // (layers) of (positions, kvWidth), rotated
    var values: [[Float]]  // (layers) of (positions, kvWidth)
    var finalHidden: [Float] = []  // (positions, width): the residual stream after the last block
    /// The overview being gathered by the prompt now running, if it gathers one.
    var overviewGatherer: OverviewGatherer?
    /// The model overview's sums: gathered by the last whole prompt, or made by the last
    /// `headSummaries`; grown by later rows, shortened by a rewind.
    var gatheredOverview: OverviewGatherer?
    /// Most positions a single forward batch takes; longer prompts are split (callers use it to turn
    /// the cancellation polls, one per block per batch, into progress).
    public static let batchLimit = 128
    /// Decode steps a prompt reserves room for (positions past the prompt), so the first steps after a
    /// long prompt append without copying the KV cache and the trace.
    static let decodeHeadroom = 64

    /// Starts an empty session.
    public init(model: TransformerModel, options: TraceOptions = TraceOptions()) {
        self.model = model
        self.options = options
        self.trace = ForwardTrace(configuration: model.configuration, recordsScores: options.recordsScores, residualBudgetBytes: options.residualBudgetBytes)
        self.keys = Array(repeating: [], count: model.configuration.blockCount)
        self.values = Array(repeating: [], count: model.configuration.blockCount)
    }

    /// Number of tokens in the sequence.
    public var count: Int { tokens.count }

    /// Bytes the KV cache holds per layer (keys and values, f32).
    public var kvCacheBytesPerLayer: Int { count * model.configuration.kvWidth * 2 * MemoryLayout<Float>.size }

    // MARK: Appending

    /// Runs the forward pass over `ids` after the current sequence and returns the logits after the
    /// last of them. `shouldCancel` is polled between blocks; on cancellation, or on any error, the
    /// session is left exactly as before the call.
    @discardableResult
    public func append(_ ids: [Int], shouldCancel: () -> Bool = { false }) throws(ModelError) -> [Float] {
        let c = model.configuration
        guard !ids.isEmpty else {
            throw .invalidRequest("nothing to run: the prompt is empty (type some text, or a special token like <|im_start|>)")
        }
        if let bad = ids.first(where: { $0 < 0 || $0 >= c.vocabularySize }) {
            throw .invalidRequest("token id \(bad) is outside the vocabulary 0..<\(c.vocabularySize)")
        }
        guard count + ids.count <= c.contextLength else {
            throw .invalidRequest(
                "the sequence would be \(count + ids.count) tokens, past the model's context of \(c.contextLength)")
        }
        let start = count
        let clock = ContinuousClock.now
        // Attention rows are stored only when every position of the sequence fits the budget: a view
        // recomputes a layer as soon as one position is missing, so rows stored for a prefix would
        // only hold memory (256 MB at 2 000 tokens) — they are dropped when the sequence outgrows it.
        let storesAttention = trace.attentionBytes(count: start + ids.count) <= options.attentionBudgetBytes
        if !storesAttention && trace.attentionCount > 0 { trace.dropAttention() }
        // A prompt reserves room for itself and the next `decodeHeadroom` decode steps: growing a
        // long session's arrays by appending doubles them, and the copy held the old and the new
        // residual stream at once (+136 MB at 2 000 tokens, three decode steps after the prompt).
        if ids.count > 1 {
            reserveCapacity(positions: min(max(model.configuration.contextLength, start + ids.count), start + ids.count + Self.decodeHeadroom))
        }
        // A whole prompt with full observation gathers the model overview from its rows as it runs.
        if start == 0 { gatheredOverview = nil }
        if let size = options.overviewThumbnailSize, start == 0, ids.count > 1, options.level == .full, hooks.isEmpty {
            overviewGatherer = OverviewGatherer(tokens: ids, thumbnailSize: size, configuration: c)
        }
        defer { overviewGatherer = nil }
        do {
            var offset = 0
            while offset < ids.count {
                let end = min(ids.count, offset + Self.batchLimit)
                try forward(Array(ids[offset..<end]), storesAttention: storesAttention, shouldCancel: shouldCancel)
                offset = end
            }
            // A decode step (one token) reads its logits as it ran: with the session's activations.
            lastLogits = try logits(at: count - 1, precision: ids.count == 1 ? activations : .float)
            if let gatherer = overviewGatherer, gatherer.isFinished { gatheredOverview = gatherer }
        } catch {
            rewindUnchecked(to: start)
            throw error
        }
        let elapsed = ContinuousClock.now - clock
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        timings.append(StepTiming(startPosition: start, tokenCount: ids.count, milliseconds: ms))
        return lastLogits
    }

    /// Makes room for `positions` in the KV cache, the final hidden states and the trace at once, so
    /// a long prompt does not grow them by copying (a copy holds the old and new buffer together).
    func reserveCapacity(positions: Int) {
        let c = model.configuration
        for layer in 0..<c.blockCount {
            keys[layer].reserveCapacity(positions * c.kvWidth)
            values[layer].reserveCapacity(positions * c.kvWidth)
        }
        finalHidden.reserveCapacity(positions * c.width)
        if options.level >= .summary { trace.reserveObserved(positions: positions) }
    }

    /// Drops every token from `newCount` on, keeping the cache and trace of the prefix.
    public func rewind(to newCount: Int) throws(ModelError) {
        guard newCount >= 0, newCount <= count else {
            throw .invalidRequest("cannot rewind to \(newCount): the sequence has \(count) tokens")
        }
        rewindUnchecked(to: newCount)
        lastLogits = newCount > 0 ? ((try? logits(at: newCount - 1)) ?? []) : []
    }

    func rewindUnchecked(to newCount: Int) {
        gatheredOverview?.truncate(to: newCount)
        let c = model.configuration
        let kept = min(newCount, tokens.count)
        tokens.removeSubrange(kept...)
        for layer in 0..<c.blockCount {
            if keys[layer].count > kept * c.kvWidth {
                keys[layer].removeSubrange((kept * c.kvWidth)...)
                values[layer].removeSubrange((kept * c.kvWidth)...)
            }
        }
        if finalHidden.count > kept * c.width { finalHidden.removeSubrange((kept * c.width)...) }
        trace.truncate(to: kept)
        timings.removeAll { $0.startPosition >= kept }
    }

    // MARK: Reading

    /// The logits the model gave after `position` (what it expected at `position + 1`).
    public func logits(at position: Int) throws(ModelError) -> [Float] {
        try logits(at: position, precision: .float)
    }

    /// The logits after `position`, the output head run with `precision` activations.
    func logits(at position: Int, precision: ActivationPrecision) throws(ModelError) -> [Float] {
        let c = model.configuration
        guard position >= 0, position < count else {
            throw .invalidRequest("position \(position) is outside the sequence 0..<\(count)")
        }
        return unembedRows(Array(finalHidden[(position * c.width)..<((position + 1) * c.width)]), rows: 1, precision: precision)
    }

    /// Calls `body` with the logits after each position in `positions`, in order. Blocks of 64
    /// positions go through the output projection as one matrix product, which reads the 49 152-row
    /// unembedding once per block instead of once per position (a long prompt's per-token
    /// probabilities).
    public func forEachLogits(in positions: Range<Int>, _ body: (Int, [Float]) -> Void) throws(ModelError) {
        let c = model.configuration
        guard positions.lowerBound >= 0, positions.upperBound <= count else {
            throw .invalidRequest("positions \(positions) are outside the sequence 0..<\(count)")
        }
        let block = 64
        for start in stride(from: positions.lowerBound, to: positions.upperBound, by: block) {
            let rows = min(block, positions.upperBound - start)
            let hidden = Array(finalHidden[(start * c.width)..<((start + rows) * c.width)])  // (rows, width)
            // f32 always, so a position's logits here do not depend on how the range splits into blocks.
            let logits = unembedRows(hidden, rows: rows, precision: .float)  // (rows, vocabulary)
            for row in 0..<rows {
                body(start + row, Array(logits[(row * c.vocabularySize)..<((row + 1) * c.vocabularySize)]))
            }
        }
    }

    /// Final norm and output projection of one residual-stream vector: the logit lens's core.
    public func unembed(_ residual: [Float]) -> [Float] { unembedRows(residual, rows: 1, precision: .float) }
}

/// How long one `append` took: prefill (many tokens) or one decode step.
public struct StepTiming: Sendable, Equatable {
    /// Position of the first token of the step.
    public let startPosition: Int
    /// Tokens the step ran.
    public let tokenCount: Int
    /// Wall-clock milliseconds.
    public let milliseconds: Double
}

import Foundation

// MARK: - Activation patching

/// What activation patching measures: the logit of `answer` minus the logit of `other` at the last
/// position. The clean prompt should make it high, the corrupted one low.
public struct PatchingMetric: Sendable, Equatable {
    /// The token the clean prompt supports.
    public let answer: Int
    /// The token the corrupted prompt supports.
    public let other: Int
    /// The metric on the clean run.
    public let clean: Double
    /// The metric on the corrupted run.
    public let corrupt: Double

    /// The fraction of the clean−corrupt gap a patched run recovers: 0 = corrupt, 1 = clean.
    public func recovered(_ value: Double) -> Double {
        let gap = clean - corrupt
        return gap == 0 ? 0 : (value - corrupt) / gap
    }

    /// Creates a metric from its tokens and its values on the two runs.
    public init(answer: Int, other: Int, clean: Double, corrupt: Double) {
        self.answer = answer
        self.other = other
        self.clean = clean
        self.corrupt = corrupt
    }

    /// logit(answer) − logit(other) in `logits`.
    public static func value(_ logits: [Float], answer: Int, other: Int) -> Double { Double(logits[answer]) - Double(logits[other]) }
}

/// The result of patching clean activations into the corrupted run, one cell per patch.
public struct PatchingResult: Sendable, Equatable {
    /// The metric and its clean and corrupted values.
    public let metric: PatchingMetric
    /// Layers patched (rows of `recovered`).
    public let layers: [Int]
    /// Positions (residual stream) or heads (per-head patching) patched (columns of `recovered`).
    public let columns: [Int]
    /// (layers, columns): the recovered fraction of each patched run.
    public let recovered: [[Double]]
}

extension TransformerModel {
    /// The default metric's tokens: the clean run's top-1 as the answer, and the corrupted run's
    /// top-1 as the other (its second choice when both agree).
    public static func defaultAnswers(clean: [Float], corrupt: [Float]) -> (answer: Int, other: Int) {
        let answer = Softmax.top(clean, count: 1).first?.id ?? 0
        let candidates = Softmax.top(corrupt, count: 2).map(\.id)
        return (answer, candidates.first(where: { $0 != answer }) ?? answer)
    }

    /// Patches the clean residual stream entering each of `layers` at each position into the
    /// corrupted run (TransformerLens's `hook_resid_pre`), one (layer, position) per run, and
    /// reports the recovered fraction of the metric at the last position. The two prompts must
    /// have the same number of tokens. Positions before the patched one are not recomputed (a
    /// patch changes nothing before it): each run rewinds the corrupted session to the position.
    /// `progress(done, total)` is called after every run; `shouldCancel` is polled between runs
    /// and blocks.
    public func patchResidualStream(
        clean: [Int], corrupt: [Int], answer: Int? = nil, other: Int? = nil, layers: [Int]? = nil,
        progress: (Int, Int) -> Void = { _, _ in }, shouldCancel: () -> Bool = { false }
    ) throws(ModelError) -> PatchingResult {
        let c = configuration
        guard clean.count == corrupt.count else {
            throw .invalidRequest(
                "per-position patching needs prompts of the same length: the clean prompt has \(clean.count) tokens and the corrupted one \(corrupt.count) (per-head patching at the last position works with any lengths)")
        }
        let layers = layers ?? Array(0..<c.blockCount)
        if let bad = layers.first(where: { $0 < 0 || $0 >= c.blockCount }) {
            throw .invalidRequest("layer \(bad) is out of range: the model has layers 0...\(c.blockCount - 1)")
        }
        let keys = layers.map { ActivationCache.Key(.input, layer: $0) }
        let (cleanSession, cleanCache) = try run(clean, interventions: [], recording: keys, shouldCancel: shouldCancel)
        let (session, corruptCache) = try run(corrupt, interventions: [], recording: keys, shouldCancel: shouldCancel)
        session.hooks.removeAll()
        let metric = try Self.metric(clean: cleanSession.lastLogits, corrupt: session.lastLogits, answer: answer, other: other, c)
        let n = corrupt.count, width = c.width
        // The corrupted run's cache and final states, restored before each layer's runs.
        let (savedKeys, savedValues, savedHidden) = (session.keys, session.values, session.finalHidden)
        var recovered = [[Double]](repeating: [Double](repeating: 0, count: n), count: layers.count)
        var done = 0
        for (row, layer) in layers.enumerated() {
            guard let (cleanStream, _) = cleanCache.values(.input, layer: layer), let (corruptStream, _) = corruptCache.values(.input, layer: layer) else {
                throw .invalidRequest("no residual stream recorded for layer \(layer)")
            }
            (session.keys, session.values, session.finalHidden) = (savedKeys, savedValues, savedHidden)
            // Positions last to first: each run re-computes positions p… of blocks layer… only, so
            // everything before p, and every block before the layer, is the unpatched corrupted run.
            for position in (0..<n).reversed() {
                if shouldCancel() { throw .cancelled }
                var residual = Array(corruptStream[(position * width)..<(n * width)])  // (n − position, width)
                residual.replaceSubrange(0..<width, with: cleanStream[(position * width)..<((position + 1) * width)])
                let logits = try session.rerun(fromLayer: layer, start: position, residual: residual)
                recovered[row][position] = metric.recovered(PatchingMetric.value(logits, answer: metric.answer, other: metric.other))
                done += 1
                progress(done, layers.count * n)
            }
        }
        return PatchingResult(metric: metric, layers: layers, columns: Array(0..<n), recovered: recovered)
    }

    /// Patches each head's clean output at the last position into the corrupted run's last
    /// position, one head per run. The prompts may differ in length.
    public func patchHeads(
        clean: [Int], corrupt: [Int], answer: Int? = nil, other: Int? = nil,
        progress: (Int, Int) -> Void = { _, _ in }, shouldCancel: () -> Bool = { false }
    ) throws(ModelError) -> PatchingResult {
        let c = configuration
        let (cleanSession, cache) = try run(clean, interventions: [], recording: (0..<c.blockCount).map { ActivationCache.Key(.headOutputs, layer: $0) },
                                            shouldCancel: shouldCancel)
        let session = InferenceSession(model: self, options: .off)
        let corruptLogits = try session.append(corrupt, shouldCancel: shouldCancel)
        let metric = try Self.metric(clean: cleanSession.lastLogits, corrupt: corruptLogits, answer: answer, other: other, c)
        let last = corrupt.count - 1, cleanLast = clean.count - 1
        var recovered = [[Double]](repeating: [Double](repeating: 0, count: c.headCount), count: c.blockCount)
        var done = 0
        for layer in 0..<c.blockCount {
            guard let (source, width) = cache.values(.headOutputs, layer: layer) else { throw .invalidRequest("no head outputs recorded for layer \(layer)") }
            for head in 0..<c.headCount {
                if shouldCancel() { throw .cancelled }
                let slice = Array(source[(cleanLast * width + head * c.headSize)..<(cleanLast * width + (head + 1) * c.headSize)])
                var hooks = ForwardHooks()
                hooks.add(.headOutputs, layer: layer) { values, context in
                    let row = last - context.startPosition
                    guard row >= 0, row < context.rows else { return }
                    for i in 0..<slice.count { values[row * context.width + head * c.headSize + i] = slice[i] }
                }
                session.hooks = hooks
                try session.rewind(to: last)
                let logits = try session.append([corrupt[last]], shouldCancel: shouldCancel)
                recovered[layer][head] = metric.recovered(PatchingMetric.value(logits, answer: metric.answer, other: metric.other))
                done += 1
                progress(done, c.blockCount * c.headCount)
            }
        }
        return PatchingResult(metric: metric, layers: Array(0..<c.blockCount), columns: Array(0..<c.headCount), recovered: recovered)
    }

    static func metric(clean: [Float], corrupt: [Float], answer: Int?, other: Int?, _ c: ModelConfiguration) throws(ModelError) -> PatchingMetric {
        let defaults = defaultAnswers(clean: clean, corrupt: corrupt)
        let answer = answer ?? defaults.answer, other = other ?? defaults.other
        for id in [answer, other] where id < 0 || id >= c.vocabularySize {
            throw .invalidRequest("token id \(id) is outside the vocabulary 0..<\(c.vocabularySize)")
        }
        return PatchingMetric(answer: answer, other: other, clean: PatchingMetric.value(clean, answer: answer, other: other),
                              corrupt: PatchingMetric.value(corrupt, answer: answer, other: other))
    }
}

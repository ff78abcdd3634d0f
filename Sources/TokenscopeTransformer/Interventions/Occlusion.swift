import Foundation

// MARK: - Input attribution by occlusion

/// How much each input token matters to one prediction: the change in the target's log-probability
/// after the last position when that token is dropped from the prompt (a real re-run each time).
public struct Occlusion: Sendable, Equatable {
    /// The target token.
    public let target: Int
    /// log p(target) with the whole prompt.
    public let baseline: Double
    /// Per position: log p(target) without that token − baseline (negative: the token helped).
    public let deltas: [Double]
}

extension TransformerModel {
    /// Occlusion of every token of `ids` for `target` (default: the top candidate after the last
    /// position). Positions go last to first on one session, each run rewinding to the dropped
    /// position, so the unchanged prefix is never recomputed. The last token's delta is that of
    /// predicting from the token before it. `progress(done, total)` is called after every re-run;
    /// `shouldCancel` is polled between re-runs and blocks.
    public func occlusion(
        _ ids: [Int], target: Int? = nil, progress: (Int, Int) -> Void = { _, _ in }, shouldCancel: () -> Bool = { false }
    ) throws(ModelError) -> Occlusion {
        guard ids.count >= 2 else { throw .invalidRequest("occlusion needs a prompt of at least 2 tokens, not \(ids.count)") }
        let session = InferenceSession(model: self, options: .off)
        let logits = try session.append(ids, shouldCancel: shouldCancel)
        let t = target ?? Softmax.top(logits, count: 1).first?.id ?? 0
        guard t >= 0, t < configuration.vocabularySize else {
            throw .invalidRequest("target token \(t) is outside the vocabulary 0..<\(configuration.vocabularySize)")
        }
        func logProbability(_ logits: [Float]) -> Double {
            let p = Softmax.probabilities(logits).probabilities[t]
            return log(max(p, 1e-300))
        }
        let baseline = logProbability(logits)
        var deltas = [Double](repeating: 0, count: ids.count)
        for position in (0..<ids.count).reversed() {
            if shouldCancel() { throw .cancelled }
            let rest = Array(ids[(position + 1)...])
            let after: [Float]
            if rest.isEmpty {
                try session.rewind(to: position)
                after = session.lastLogits
            } else {
                try session.rewind(to: position)
                after = try session.append(rest, shouldCancel: shouldCancel)
            }
            deltas[position] = after.isEmpty ? 0 : logProbability(after) - baseline
            progress(ids.count - position, ids.count)
        }
        return Occlusion(target: t, baseline: baseline, deltas: deltas)
    }
}

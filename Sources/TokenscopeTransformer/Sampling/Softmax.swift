import Foundation

// MARK: - Softmax and ranking over a vocabulary

/// The one place logits become probabilities and ranks: the sampler, the logit lens, the explorer's
/// per-token probabilities and the command line all go through it, so a token's probability is
/// the same number wherever it is shown. Exponentials are taken and summed in Double.
public enum Softmax {
    /// Probabilities of `logits` divided by `temperature` (1 = the model's own distribution), with
    /// the index of the largest logit. Non-finite logits get no mass; when nothing finite is left,
    /// all the mass goes to the largest logit.
    public static func probabilities(_ logits: [Float], temperature: Double = 1) -> (probabilities: [Double], argmax: Int) {
        guard !logits.isEmpty else { return ([], 0) }
        var argmax = 0
        var maxLogit = -Float.infinity
        for id in logits.indices where logits[id] > maxLogit {
            maxLogit = logits[id]
            argmax = id
        }
        let maxScaled = Double(logits[argmax]) / temperature
        var probabilities = [Double](repeating: 0, count: logits.count)  // (vocabulary)
        var total = 0.0
        for id in logits.indices {
            let value = Double(logits[id]) / temperature
            let e = value.isFinite ? exp(value - maxScaled) : 0
            probabilities[id] = e
            total += e
        }
        guard total > 0, total.isFinite else {
            for id in logits.indices { probabilities[id] = 0 }
            probabilities[argmax] = 1
            return (probabilities, argmax)
        }
        for id in logits.indices { probabilities[id] /= total }
        return (probabilities, argmax)
    }

    /// The model's probability (temperature 1) of one token, or nil for an id outside `logits`.
    public static func probability(of id: Int, in logits: [Float]) -> Float? {
        guard logits.indices.contains(id), let maximum = logits.max(), maximum.isFinite else { return nil }
        var sum = 0.0
        for value in logits where value.isFinite { sum += exp(Double(value - maximum)) }
        guard logits[id].isFinite, sum > 0 else { return 0 }
        return Float(exp(Double(logits[id] - maximum)) / sum)
    }

    /// The rank of `id` in `logits` (0 = the largest; ties by lower id, as the sampler ranks them).
    public static func rank(of id: Int, in logits: [Float]) -> Int? {
        guard logits.indices.contains(id) else { return nil }
        let value = logits[id]
        var rank = 0
        for (other, logit) in logits.enumerated() where logit > value || (logit == value && other < id) { rank += 1 }
        return rank
    }

    /// The `count` most likely tokens, best first (ties by lower id), with their probabilities.
    public static func top(_ logits: [Float], count: Int) -> [TokenProbability] {
        guard let maximum = logits.max(), maximum.isFinite, count > 0 else { return [] }
        var sum = 0.0
        for value in logits where value.isFinite { sum += exp(Double(value - maximum)) }
        var best: [(Int, Float)] = []
        best.reserveCapacity(count + 1)
        for (id, value) in logits.enumerated() where best.count < count || value > best[best.count - 1].1 {
            let index = best.firstIndex { value > $0.1 } ?? best.count
            best.insert((id, value), at: index)
            if best.count > count { best.removeLast() }
        }
        return best.map { TokenProbability(id: $0.0, probability: Float(exp(Double($0.1 - maximum)) / sum), logit: $0.1) }
    }
}

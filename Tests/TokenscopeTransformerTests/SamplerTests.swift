import Foundation
import Testing
import TokenscopeTransformer

@Suite struct SamplerTests {
    let logits: [Float] = [2.0, 1.0, 0.5, -1.0, 3.0, 0.0]

    @Test func greedyTakesTheLargestLogitAndMarksTheRest() {
        let result = Sampler.sample(logits: logits, settings: .greedy, position: 0)
        #expect(result.chosenID == 4)
        #expect(result.survivorCount == 1)
        #expect(result.candidates.map(\.id) == [4, 0, 1, 2, 5, 3])
        #expect(result.candidates.dropFirst().allSatisfy { $0.removedBy == .greedy && $0.keptProbability == 0 })
        // Greedy shows the temperature-1 softmax.
        let expected = exp(3.0) / logits.reduce(0.0) { $0 + exp(Double($1)) }
        #expect(abs(result.candidates[0].probability - expected) < 1e-12)
    }

    @Test func temperatureScalesTheSoftmax() {
        let settings = SamplerSettings(temperature: 0.5, topK: 0, topP: 1, minP: 0, seed: 1)
        let result = Sampler.sample(logits: logits, settings: settings, position: 0)
        let denominator = logits.reduce(0.0) { $0 + exp(Double($1) / 0.5) }
        for candidate in result.candidates {
            #expect(abs(candidate.probability - exp(Double(candidate.logit) / 0.5) / denominator) < 1e-12)
        }
        #expect(abs(result.candidates.reduce(0) { $0 + $1.probability } - 1) < 1e-12)
        #expect(abs((result.candidates.last?.cumulative ?? 0) - 1) < 1e-12)
    }

    @Test func filtersApplyInOrderAndNameTheirStage() {
        // top-k 4 keeps ids 4, 0, 1, 2; top-p 0.8 over those; min-p 0.2 of the best.
        let settings = SamplerSettings(temperature: 1, topK: 4, topP: 0.8, minP: 0.2, seed: 7)
        let result = Sampler.sample(logits: logits, settings: settings, position: 3)
        let byID = Dictionary(uniqueKeysWithValues: result.candidates.map { ($0.id, $0) })
        #expect(byID[5]?.removedBy == .topK)
        #expect(byID[3]?.removedBy == .topK)
        // Renormalised over ids 4, 0, 1, 2: p = e^3, e^2, e^1, e^0.5 over their sum.
        let kept = [3.0, 2.0, 1.0, 0.5].map { exp($0) }
        let sum = kept.reduce(0, +)
        // Cumulative 0.629, 0.860 ≥ 0.8: top-p keeps two; id 1 removed by top-p.
        #expect(byID[1]?.removedBy == .topP)
        #expect(byID[2]?.removedBy == .topP)
        // min-p: p(0)/p(4) = e^-1 ≈ 0.37 ≥ 0.2, so both survive.
        #expect(result.survivorCount == 2)
        let renormalised = kept[0] / (kept[0] + kept[1])
        #expect(abs((byID[4]?.keptProbability ?? 0) - renormalised) < 1e-12)
        _ = sum
        #expect(result.chosenID == (result.draw < renormalised ? 4 : 0))
    }

    @Test func minPRemovesUnlikelyTokens() {
        let settings = SamplerSettings(temperature: 1, topK: 0, topP: 1, minP: 0.3, seed: 7)
        let result = Sampler.sample(logits: logits, settings: settings, position: 0)
        // p(id)/p(best) = e^(logit - 3): ids 4 (1), 0 (0.37) survive; 1 (0.135) is removed.
        #expect(result.survivorCount == 2)
        #expect(result.candidates.first { $0.id == 1 }?.removedBy == .minP)
    }

    @Test func theDrawPicksTheFirstCandidateWhoseCumulativePassesIt() {
        let settings = SamplerSettings(temperature: 1.5, topK: 0, topP: 1, minP: 0, seed: 123)
        for position in 0..<50 {
            let result = Sampler.sample(logits: logits, settings: settings, position: position)
            let chosen = result.candidates[result.chosenRank]
            #expect(chosen.id == result.chosenID)
            #expect(result.draw < chosen.cumulative)
            if result.chosenRank > 0 { #expect(result.draw >= result.candidates[result.chosenRank - 1].cumulative) }
        }
    }

    @Test func aSeedReplaysTheSameDrawsAndDifferentSeedsDiffer() {
        let a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let drawsA = (0..<100).map { a.uniform(at: $0) }
        #expect(drawsA == (0..<100).map { b.uniform(at: $0) })
        #expect(drawsA != (0..<100).map { c.uniform(at: $0) })
        #expect(drawsA.allSatisfy { $0 >= 0 && $0 < 1 })
        // Fixed values pin the generator across platforms and releases.
        #expect(SeededGenerator(seed: 0).uniform(at: 0) == 0.8833108082136426)  // SplitMix64 reference value, computed in Python
        // Roughly uniform.
        let mean = (0..<10_000).map { a.uniform(at: $0) }.reduce(0, +) / 10_000
        #expect(abs(mean - 0.5) < 0.02)
    }

    @Test func degenerateLogitsDoNotTrap() {
        #expect(Sampler.sample(logits: [], settings: SamplerSettings(), position: 0).chosenID == -1)
        let infinite = Sampler.sample(logits: [0, .infinity, 1], settings: SamplerSettings(), position: 0)
        #expect(infinite.chosenID == 1)
        let nan = Sampler.sample(logits: [.nan, 2, 1], settings: .greedy, position: 0)
        #expect(nan.chosenID == 1)
    }

    @Test func entropyAndPerplexity() {
        let uniform = Sampler.sample(logits: [1, 1, 1, 1], settings: SamplerSettings(temperature: 1, topK: 0, topP: 1, minP: 0), position: 0)
        #expect(abs(uniform.entropyBits - 2) < 1e-12)
        #expect(abs(uniform.perplexity - 4) < 1e-9)
    }

    @Test(arguments: [0.3, 1.0, 1.7])
    func entropyEqualsTheDefinitionOnAPeakedVocabulary(temperature: Double) {
        let generator = SeededGenerator(seed: 7)
        let spread: [Float] = (0..<5000).map { Float(generator.uniform(at: $0) * 16 - 8) }
        let logits: [Float] = spread + [10, -.infinity, .nan]
        let settings = SamplerSettings(temperature: Float(temperature), topK: 0, topP: 1, minP: 0)
        let result = Sampler.sample(logits: logits, settings: settings, position: 0)
        // −Σ p log2 p straight from its definition, in Double, at the settings' (Float) temperature.
        let t = Double(settings.temperature)
        let scaled: [Double] = logits.map { $0.isFinite ? Double($0) / t : -Double.infinity }
        let maximum: Double = scaled.max() ?? 0
        let weights: [Double] = scaled.map { $0.isFinite ? Foundation.exp($0 - maximum) : 0 }
        let total: Double = weights.reduce(0, +)
        var expected = 0.0
        for w in weights where w > 0 { expected -= (w / total) * Foundation.log2(w / total) }
        let error = abs(result.entropyBits - expected)
        #expect(error < 1e-9 * max(1, expected), "entropy \(result.entropyBits) against \(expected)")
    }

    @Test func entropyOfAnInfiniteLogitIsZero() {
        let result = Sampler.sample(logits: [0, .infinity, 1], settings: SamplerSettings(), position: 0)
        #expect(result.entropyBits == 0)
    }
}

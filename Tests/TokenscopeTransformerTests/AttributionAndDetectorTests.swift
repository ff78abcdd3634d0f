import Foundation
import Testing
import TokenscopeTestSupport
import TokenscopeTransformer

/// Direct logit attribution adds up to the real logit, and the head detectors agree with the
/// float64 numpy reference (Tests/Reference/interventions/head_detectors.py).
@Suite struct AttributionAndDetectorTests {
    static let prompts = [
        "The Eiffel Tower is in the city of",
        "The capital of France is",
        "In 1969, 12345 people counted to 42.",
        "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n",
        "Once upon a time, a curious student opened a terminal and",
        "def add(a, b):\n    return",
    ]

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`")) func contributionsAddUpToTheRealLogit() throws {
        let model = try ModelFixture.smolLM2()
        let c = model.configuration
        for prompt in Self.prompts {
            let ids = model.promptTokens(prompt)
            let top = try model.attribute(ids)
            let plain = InferenceSession(model: model, options: .off)
            let logits = try plain.append(ids)
            #expect(top.logit == Double(logits[top.target]))
            #expect(top.components.count == c.blockCount * (c.headCount + 1))
            #expect(abs(top.total - top.logit) <= LogitAttribution.tolerance(for: top.logit), "\(prompt): \(top.total) vs \(top.logit)")
            // Another target, and another position, add up as well.
            let other = try model.attribute(ids, position: ids.count / 2, target: 1000)
            let logit = Double(try plain.logits(at: ids.count / 2)[1000])
            #expect(abs(other.total - logit) <= LogitAttribution.tolerance(for: logit), "\(prompt) at \(ids.count / 2)")
        }
    }

    // MARK: Head detectors

    struct Golden: Decodable {
        let length: Int
        let seed: UInt64
        let vocabulary: [Int]
        let ids: [Int]
        let scores: [String: [[Double]]]
    }

    @Test func theSequenceIsTheReferencesSequence() throws {
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: ForwardGolden.fixture("head-detectors-golden.json")))
        #expect(InductionSequence.make(length: golden.length, seed: golden.seed, vocabulary: golden.vocabulary[0]..<golden.vocabulary[1]) == golden.ids)
        #expect(InductionSequence.make() == golden.ids)
        #expect(Set(golden.ids).count == golden.length)
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`")) func scoresAgreeWithTheFloat64Reference() throws {
        let model = try ModelFixture.smolLM2()
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: ForwardGolden.fixture("head-detectors-golden.json")))
        let scores = try model.detectHeads(ids: golden.ids)
        #expect(scores.count == HeadDetector.allCases.count * model.configuration.blockCount * model.configuration.headCount)
        var worst = 0.0
        for score in scores {
            let expected = try #require(golden.scores[score.detector.rawValue]?[score.layer][score.head])
            worst = max(worst, abs(score.score - expected))
            #expect(abs(score.score - expected) <= 0.02, "\(score.detector) L\(score.layer) H\(score.head): \(score.score) vs \(expected)")
        }
        print("head detectors: largest difference from the float64 reference \(worst)")
        // The sequence has induction heads, and the strongest are the reference's strongest.
        let strong = scores.filter { $0.detector == .induction && $0.score >= 0.5 }.map { [$0.layer, $0.head] }
        let expected = golden.scores["induction"].map { rows in
            rows.enumerated().flatMap { l, row in row.enumerated().filter { $0.element >= 0.5 + 0.02 }.map { [l, $0.offset] } }
        } ?? []
        #expect(!expected.isEmpty && expected.allSatisfy { strong.contains($0) })
    }

    /// The overview's labels come from the same scores: on repeated random sequences every head
    /// scoring ≥ 0.9 on induction is labelled induction, and on those and a repeated digit prompt
    /// no head's label is contradicted by its own score.
    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`")) func labelsFollowTheScores() throws {
        let model = try ModelFixture.smolLM2()
        let digits = model.promptTokens(Array(repeating: "7 3 9 1 4", count: 4).joined(separator: " "))
        var inductionHeads = 0
        for ids in [InductionSequence.make(seed: 1), InductionSequence.make(seed: 3), digits] {
            let session = InferenceSession(model: model)
            try session.append(ids)
            for layer in 0..<model.configuration.blockCount {
                for matrix in try session.layerAttention(layer: layer).probabilities {
                    let stats = matrix.statistics(tokenIDs: ids)
                    let induction = try #require(stats.inductionScore)
                    if induction >= 0.9 {
                        inductionHeads += 1
                        #expect(stats.pattern == .induction, "L\(layer) H\(matrix.head) scores \(induction) on induction, labelled \(String(describing: stats.pattern))")
                    }
                    let own: Double? = switch stats.pattern {
                    case .previousToken: stats.previousTokenWeight
                    case .firstToken: stats.firstTokenWeight
                    case .selfToken: stats.selfWeight
                    case .induction: stats.inductionScore
                    case .diffuse, nil: nil
                    }
                    if let own {
                        #expect(own >= HeadDetector.threshold)
                        for other in [stats.previousTokenWeight, stats.firstTokenWeight, stats.selfWeight, induction] { #expect(own >= other) }
                    }
                }
            }
        }
        #expect(inductionHeads > 0)
    }
}

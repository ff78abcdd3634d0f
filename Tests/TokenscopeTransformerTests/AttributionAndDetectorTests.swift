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
        /// The repeated digit prompts: text, HF ids, scores.
        let repeated: [String: Repeated]?
    }

    struct Repeated: Decodable {
        let text: String
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

    /// The repeated digit prompts a learner types, tokenized by the model and scored on the real
    /// forward pass, against the float64 reference (HF `tokenizers` ids, the general induction
    /// definition: all earlier occurrences of the query's token).
    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`")) func repeatedDigitsAgreeWithTheFloat64Reference() throws {
        let model = try ModelFixture.smolLM2()
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: ForwardGolden.fixture("head-detectors-golden.json")))
        let repeated = try #require(golden.repeated)
        #expect(Set(repeated.keys) == ["digits", "spaced"])
        for (name, entry) in repeated.sorted(by: { $0.key < $1.key }) {
            #expect(model.promptTokens(entry.text) == entry.ids, "\(name): the tokenizer agrees with HF tokenizers")
            var worst = 0.0
            for score in try model.detectHeads(ids: entry.ids) {
                let expected = try #require(entry.scores[score.detector.rawValue]?[score.layer][score.head])
                worst = max(worst, abs(score.score - expected))
                #expect(abs(score.score - expected) <= 0.02, "\(name) \(score.detector) L\(score.layer) H\(score.head): \(score.score) vs \(expected)")
            }
            print("head detectors on \(name): largest difference from the float64 reference \(worst)")
        }
    }

    /// The overview's labels come from the same scores: on the repeated digits a learner types
    /// ("73914" ten times: the digits are single tokens) every head scoring ≥ 0.9 on induction is
    /// labelled induction — and there is one, L18 H6 (0.94 in the float64 reference) — and the same
    /// holds, with no head's label contradicted by its own score, on the spaced digits and on the
    /// detectors' own sequence at seeds 0–4 (where the best head may stay below 0.9: the count is
    /// printed, not required).
    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`")) func labelsFollowTheScores() throws {
        let model = try ModelFixture.smolLM2()
        let digits = model.promptTokens(String(repeating: "73914", count: 10))
        let spaced = model.promptTokens(Array(repeating: "7 3 9 1 4", count: 10).joined(separator: " "))
        let sequences: [(String, [Int])] = [("digits", digits), ("spaced", spaced)] + (0..<5).map { ("seed \($0)", InductionSequence.make(seed: UInt64($0))) }
        var strong: [String: [String]] = [:]
        for (name, ids) in sequences {
            let session = InferenceSession(model: model)
            try session.append(ids)
            var heads: [String] = []
            for layer in 0..<model.configuration.blockCount {
                for matrix in try session.layerAttention(layer: layer).probabilities {
                    let stats = matrix.statistics(tokenIDs: ids)
                    let induction = try #require(stats.inductionScore)
                    if induction >= 0.9 {
                        heads.append(String(format: "L%d H%d %.3f", layer, matrix.head, induction))
                        #expect(stats.pattern == .induction, "\(name): L\(layer) H\(matrix.head) scores \(induction) on induction, labelled \(String(describing: stats.pattern))")
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
            strong[name] = heads
            print("induction ≥ 0.9 on \(name): \(heads.isEmpty ? "none" : heads.joined(separator: ", "))")
        }
        #expect(strong["digits"]?.contains { $0.hasPrefix("L18 H6 ") } == true, "the repeated digits have an induction head ≥ 0.9: \(strong["digits"] ?? [])")
    }
}

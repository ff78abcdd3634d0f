import Foundation
import Testing
import TokenscopeTestSupport
import TokenscopeTransformer

/// The forward pass against an independent float64 numpy implementation over the same weights.
@Suite(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct ForwardPassTests {
    @Test func tokenizerGivesTheReferenceIds() throws {
        let model = try ModelFixture.smolLM2()
        for prompt in try ForwardGolden.load().prompts {
            #expect(model.promptTokens(prompt.text) == prompt.ids, "\(prompt.name)")
        }
    }

    @Test func logitsMatchTheFloat64ReferenceAtEveryPosition() throws {
        let model = try ModelFixture.smolLM2()
        let golden = try ForwardGolden.load()
        for prompt in golden.prompts {
            // f32 activations throughout: the int8 decode path has its own bound (IntegerDecodeTests).
            let session = InferenceSession(model: model, options: .off)
            session.activations = .float
            try session.append(prompt.ids)
            let reference = try ForwardGolden.floats(prompt.logits)
            #expect(reference.count == prompt.logits_positions.count * golden.vocab)
            var worst: Float = 0
            for (row, position) in prompt.logits_positions.enumerated() {
                let logits = try session.logits(at: position)
                for id in 0..<golden.vocab {
                    worst = max(worst, abs(logits[id] - reference[row * golden.vocab + id]))
                }
            }
            print("forward golden \(prompt.name): max abs logit difference \(worst)")
            #expect(worst <= 0.02, "\(prompt.name): max abs logit difference \(worst)")
        }
    }

    @Test func greedyContinuationsMatchUntilANearTie() throws {
        let model = try ModelFixture.smolLM2()
        for prompt in try ForwardGolden.load().prompts {
            let session = InferenceSession(model: model, options: .off)
            session.activations = .float
            var logits = try session.append(prompt.ids)
            var compared = 0
            for (step, expected) in prompt.greedy.enumerated() {
                // A reference gap this small could flip within our 0.02 tolerance: stop comparing.
                if prompt.greedy_gaps[step] < 0.05 { break }
                let chosen = Sampler.sample(logits: logits, settings: .greedy, position: session.count).chosenID
                #expect(chosen == expected, "\(prompt.name) step \(step)")
                guard chosen == expected else { break }
                compared += 1
                logits = try session.append([chosen])
            }
            #expect(compared >= 8, "\(prompt.name): only \(compared) steps before a near-tie")
        }
    }

    @Test func attentionAndResidualNormsMatchTheReference() throws {
        let model = try ModelFixture.smolLM2()
        let c = model.configuration
        for prompt in try ForwardGolden.load().prompts {
            guard let layers = prompt.attention_layers, let norms = prompt.residual_norms_last else { continue }
            let session = InferenceSession(model: model, options: TraceOptions(level: .full))
            try session.append(prompt.ids)
            let n = prompt.ids.count
            for layer in layers {
                let reference = try ForwardGolden.floats("attention-\(prompt.name)-layer\(layer).f32")  // (heads, query, key)
                for head in 0..<c.headCount {
                    let matrix = try session.attentionMatrix(layer: layer, head: head)
                    for q in 0..<n {
                        for k in 0..<n {
                            let expected = reference[(head * n + q) * n + k]
                            #expect(abs(matrix.value(query: q, key: k) - expected) < 2e-3, "layer \(layer) head \(head) (\(q), \(k))")
                        }
                    }
                }
            }
            let lens = try session.logitLens(position: n - 1, top: 1)
            for (block, expected) in norms.enumerated() {
                let measured = Double(lens[block + 1].residualNorm)
                #expect(abs(measured - expected) / expected < 1e-3, "residual norm after block \(block)")
            }
        }
    }
}

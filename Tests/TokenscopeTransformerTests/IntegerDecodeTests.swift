import Foundation
import Testing
import TokenscopeKernels
import TokenscopeTestSupport
import TokenscopeTransformer

/// Decoding with int8 activations (`ActivationPrecision.int8`, what `generate` uses where built in) against
/// the float64 numpy reference and llama.cpp, token by token as the explorer and `generate` decode.
///
/// Tolerance: rounding each activation block to int8 moves every matrix product by at most
/// Σ|w|·max|x|/254 (proved and tested per kernel in `IntegerRowDotTests`); through 30 blocks and
/// the output head the logits move by up to 1.06 on the reference prompts (measured 2026-12-02:
/// capital 0.94, digits 1.06, chat 0.83, story 0.75), against 6·10⁻⁵ for f32 decoding —
/// the size of llama.cpp's own distance from float64 (≈ 1.4, also int8 activations). So the
/// bound is `logitTolerance` = 1.25; top-1 must agree wherever the reference's top-1 leads by more
/// than `topOneGap` (no miss measured) and always at each prompt's last position, and the mean KL
/// divergence from llama.cpp keeps its 0.01 bound (measured 0.002–0.005, below f32's 0.002–0.009).
@Suite(
    .enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"),
    .enabled(if: IntegerRowDot.isAvailable, "the integer kernels are not in this build (TOKENSCOPE_GENERIC_CPU)"))
struct IntegerDecodeTests {
    /// Largest |logit − float64 reference| allowed with int8 activations (measured worst 1.06).
    static let logitTolerance: Float = 1.25
    /// A reference lead over the runner-up beyond which int8 decoding must pick the same top-1.
    static let topOneGap: Float = 0.5

    /// The session's logits after each position, appending one token at a time.
    static func decode(_ model: TransformerModel, _ ids: [Int], precision: ActivationPrecision) throws -> [[Float]] {
        let session = InferenceSession(model: model, options: .off)
        session.activations = precision
        return try ids.map { try session.append([$0]) }
    }

    @Test func int8DecodeStaysWithinItsBoundOfTheFloat64Reference() throws {
        let model = try ModelFixture.smolLM2()
        let golden = try ForwardGolden.load()
        var compared = 0
        for prompt in golden.prompts {
            let reference = try ForwardGolden.floats(prompt.logits)
            let decoded = try Self.decode(model, prompt.ids, precision: .int8)
            let float = try Self.decode(model, prompt.ids, precision: .float)
            var worst: Float = 0, worstFloat: Float = 0
            for (row, position) in prompt.logits_positions.enumerated() {
                let expected = reference[(row * golden.vocab)..<((row + 1) * golden.vocab)]
                let ours = decoded[position]
                for id in 0..<golden.vocab {
                    worst = max(worst, abs(ours[id] - expected[row * golden.vocab + id]))
                    worstFloat = max(worstFloat, abs(float[position][id] - expected[row * golden.vocab + id]))
                }
                let order = expected.indices.sorted { expected[$0] > expected[$1] }
                let gap = expected[order[0]] - expected[order[1]]
                let top = ours.indices.max { ours[$0] < ours[$1] } ?? -1
                if gap > Self.topOneGap || position == prompt.ids.count - 1 {
                    #expect(top == order[0] - row * golden.vocab, "\(prompt.name) position \(position): top-1 \(top)")
                    compared += 1
                }
            }
            print("int8 decode \(prompt.name): max |logit − float64| = \(worst) (f32 decode: \(worstFloat))")
            #expect(worst <= Self.logitTolerance, "\(prompt.name): max abs logit difference \(worst)")
            #expect(worstFloat <= 0.02, "\(prompt.name): f32 decode differs by \(worstFloat)")
            // The int8 path must really run: f32 decode matches the reference far more closely.
            #expect(worst > worstFloat, "\(prompt.name): int8 decode is no further from float64 than f32 decode")
        }
        #expect(compared >= golden.prompts.count)
    }

    @Test func int8GreedyContinuationsMatchUntilANearTie() throws {
        let model = try ModelFixture.smolLM2()
        var total = 0
        for prompt in try ForwardGolden.load().prompts {
            let session = InferenceSession(model: model, options: .off)
            session.activations = .int8
            var logits = try session.append(prompt.ids)
            var compared = 0
            for (step, expected) in prompt.greedy.enumerated() {
                if prompt.greedy_gaps[step] < Double(Self.topOneGap) { break }
                let chosen = Sampler.sample(logits: logits, settings: .greedy, position: session.count).chosenID
                #expect(chosen == expected, "\(prompt.name) step \(step)")
                guard chosen == expected else { break }
                compared += 1
                logits = try session.append([chosen])
            }
            print("int8 greedy \(prompt.name): \(compared) steps compared")
            total += compared
        }
        #expect(total >= 10, "only \(total) greedy steps before near-ties: the test would prove little")
    }

    @Test func int8DecodeMatchesLlamaCppByTopOneAndKLDivergence() throws {
        let model = try ModelFixture.smolLM2()
        let golden = try JSONDecoder().decode(
            LlamaCppReferenceTests.Golden.self, from: Data(contentsOf: ForwardGolden.fixture("llamacpp-golden.json")))
        for prompt in golden.prompts {
            let decoded = try Self.decode(model, prompt.ids, precision: .int8)
            let rows = try LlamaCppReferenceTests.topK(prompt.file, count: prompt.positions.count, k: golden.top_k)
            var totalKL = 0.0
            for (entry, row) in zip(prompt.positions, rows) {
                let logits = decoded[entry.position].map(Double.init)
                totalKL += LlamaCppReferenceTests.divergence(reference: row, entry, ours: logits)
                if entry.position == prompt.ids.count - 1 {
                    let ours = logits.indices.max { logits[$0] < logits[$1] } ?? -1
                    #expect(ours == entry.top1, "\(prompt.name): top-1 \(ours), llama.cpp \(entry.top1)")
                }
            }
            let meanKL = totalKL / Double(prompt.positions.count)
            print("llama.cpp \(prompt.name), int8 decode: mean KL(reference ‖ ours) = \(meanKL)")
            #expect(meanKL <= 0.01, "\(prompt.name): mean KL \(meanKL)")
        }
    }
}

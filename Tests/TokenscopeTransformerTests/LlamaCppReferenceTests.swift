import Foundation
import Testing
import TokenscopeTestSupport
import TokenscopeTransformer

/// The forward pass against llama.cpp (through llama-cpp-python), which rounds activations to 8 bits:
/// compared by top-1 and KL divergence, not by logit values.
/// Goldens: Tests/Reference/forward/llamacpp_reference.py.
@Suite(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct LlamaCppReferenceTests {
    struct Golden: Decodable {
        struct Position: Decodable {
            let position: Int
            let logsumexp: Double
            let rest_mass: Double
            let top1: Int
        }
        struct Prompt: Decodable {
            let name: String
            let text: String
            let ids: [Int]
            let file: String
            let positions: [Position]
        }
        let vocab: Int
        let top_k: Int
        let prompts: [Prompt]
    }

    /// Ids (uint16) and logits (float32) of the reference's top-K tokens at each stored position.
    static func topK(_ file: String, count: Int, k: Int) throws -> [(ids: [Int], logits: [Double])] {
        let data = try Data(contentsOf: ForwardGolden.fixture(file))
        #expect(data.count == count * k * 6, "\(file) has \(data.count) bytes")
        return data.withUnsafeBytes { raw in
            (0..<count).map { row in
                let base = row * k * 6
                let ids = (0..<k).map { Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: base + 2 * $0, as: UInt16.self))) }
                let logits = (0..<k).map {
                    Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 2 * k + 4 * $0, as: UInt32.self))))
                }
                return (ids, logits)
            }
        }
    }

    /// KL(reference ‖ ours) over the reference's top-K tokens plus one bucket for the rest
    /// (a coarsening, so never above the full KL; the rest holds ≤ 0.31 of the mass here).
    static func divergence(reference row: (ids: [Int], logits: [Double]), _ entry: Golden.Position, ours logits: [Double]) -> Double {
        divergence(reference: row, logsumexp: entry.logsumexp, restMass: entry.rest_mass, ours: logits)
    }

    /// The same from the reference's log-sum-exp and the mass outside its top tokens (any golden
    /// of llama.cpp's logits: SmolLM2's here, Gemma 3's in ``Gemma3LlamaCppTests``).
    static func divergence(reference row: (ids: [Int], logits: [Double]), logsumexp: Double, restMass: Double, ours logits: [Double]) -> Double {
        let maximum = logits.max() ?? 0
        let logSum = maximum + log(logits.reduce(0) { $0 + exp($1 - maximum) })
        var kl = 0.0, ourTopMass = 0.0
        for (id, referenceLogit) in zip(row.ids, row.logits) {
            let p = exp(referenceLogit - logsumexp)
            let logQ = logits[id] - logSum
            ourTopMass += exp(logQ)
            kl += p * (referenceLogit - logsumexp - logQ)
        }
        let ourRest = max(1e-12, 1 - ourTopMass)
        if restMass > 0 { kl += restMass * log(restMass / ourRest) }
        return kl
    }

    @Test func topOneAndKLDivergenceMatchLlamaCpp() throws {
        let model = try ModelFixture.smolLM2()
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: ForwardGolden.fixture("llamacpp-golden.json")))
        #expect(golden.vocab == model.configuration.vocabularySize)
        #expect(golden.prompts.count >= 3)
        for prompt in golden.prompts {
            // The same ids as llama.cpp's own tokenizer, or the comparison means nothing.
            #expect(model.promptTokens(prompt.text) == prompt.ids, "\(prompt.name): token ids differ from llama.cpp's")
            let session = InferenceSession(model: model, options: .off)
            try session.append(prompt.ids)
            let rows = try Self.topK(prompt.file, count: prompt.positions.count, k: golden.top_k)
            var totalKL = 0.0
            for (entry, row) in zip(prompt.positions, rows) {
                let logits = try session.logits(at: entry.position).map(Double.init)
                totalKL += Self.divergence(reference: row, entry, ours: logits)
                if entry.position == prompt.ids.count - 1 {
                    let ours = logits.indices.max { logits[$0] < logits[$1] } ?? -1
                    #expect(ours == entry.top1, "\(prompt.name): top-1 \(ours), llama.cpp \(entry.top1)")
                }
            }
            let meanKL = totalKL / Double(prompt.positions.count)
            print("llama.cpp \(prompt.name): mean KL(reference ‖ ours) = \(meanKL) over \(prompt.positions.count) positions")
            #expect(meanKL <= 0.01, "\(prompt.name): mean KL \(meanKL)")
        }
    }
}

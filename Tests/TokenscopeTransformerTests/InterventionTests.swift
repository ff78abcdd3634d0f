import Foundation
import Testing
import TokenscopeTestSupport
import TokenscopeTransformer

/// Ablation, scaling, mean ablation and activation patching through the named interventions, on
/// the real SmolLM2 (where the bars are measured) and the generated Qwen 3 model (always present).
@Suite struct InterventionTests {
    static let prompt = "The Eiffel Tower is in the city of"

    static func allLogits(_ session: InferenceSession) throws -> [[Float]] {
        try (0..<session.count).map { try session.logits(at: $0) }
    }

    @Test func noInterventionIsBitIdenticalToNoHooks() throws {
        for model in [try ForwardHooksTests.model()] + (ModelFixture.isDefaultModelPresent ? [try ModelFixture.smolLM2()] : []) {
            let ids = model.configuration.vocabularySize > 1000 ? model.promptTokens(Self.prompt) : try GeneratedModelTests.golden("qwen3").prompts[1].ids
            let plain = InferenceSession(model: model, options: .off)
            try plain.append(ids)
            let none = try model.run(ids, interventions: []).session
            #expect(try Self.allLogits(none) == Self.allLogits(plain))
            // Scaling every head by 1 runs a hook per layer and changes no bit.
            let c = model.configuration
            let ones = (0..<c.blockCount).flatMap { l in (0..<c.headCount).map { Intervention.scaleHead(layer: l, head: $0, factor: 1) } }
            #expect(try Self.allLogits(model.run(ids, interventions: ones).session) == Self.allLogits(plain))
        }
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`")) func zeroAblatingEveryHeadEqualsAllAttentionOutputsZero() throws {
        let model = try ModelFixture.smolLM2()
        let c = model.configuration
        let ids = model.promptTokens(Self.prompt)
        let heads = (0..<c.blockCount).flatMap { l in (0..<c.headCount).map { Intervention.ablateHead(layer: l, head: $0, .zero) } }
        let ablated = try Self.allLogits(model.run(ids, interventions: heads).session)
        // The reference run zeroes the attention output with a raw hook, not through the interventions.
        var zero = ForwardHooks()
        for layer in 0..<c.blockCount {
            zero.add(.attentionOutput, layer: layer) { values, _ in for i in values.indices { values[i] = 0 } }
        }
        let session = InferenceSession(model: model, options: .off)
        session.hooks = zero
        try session.append(ids)
        #expect(ablated == (try Self.allLogits(session)))
        let plain = InferenceSession(model: model, options: .off)
        try plain.append(ids)
        #expect(ablated != (try Self.allLogits(plain)))
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`")) func oneHeadAblationChangesOnlyThatHeadsOutput() throws {
        let model = try ModelFixture.smolLM2()
        let c = model.configuration
        let ids = model.promptTokens(Self.prompt)
        let keys = [ActivationCache.Key(.headOutputs, layer: 5), ActivationCache.Key(.headOutputs, layer: 4)]
        let plain = try model.run(ids, interventions: [], recording: keys).cache
        for mode in AblationMode.allCases {
            let edited = try model.run(ids, interventions: [.ablateHead(layer: 5, head: 2, mode)], recording: keys).cache
            let (before, width) = try #require(plain.values(.headOutputs, layer: 5))
            let (after, _) = try #require(edited.values(.headOutputs, layer: 5))
            let mean = try #require(plain.mean(.headOutputs, layer: 5))
            for p in ids.indices {
                for i in 0..<width {
                    let inHead = i / c.headSize == 2
                    let expected = inHead ? (mode == .zero ? 0 : mean[i]) : before[p * width + i]
                    #expect(after[p * width + i] == expected)
                }
            }
            // Earlier layers are untouched.
            #expect(plain.values(.headOutputs, layer: 4)?.values == edited.values(.headOutputs, layer: 4)?.values)
        }
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`")) func meanAblationUsesThePromptMean() throws {
        let model = try ModelFixture.smolLM2()
        let ids = model.promptTokens(Self.prompt)
        let key = ActivationCache.Key(.mlpOutput, layer: 3)
        let plain = try model.run(ids, interventions: [], recording: [key]).cache
        let edited = try model.run(ids, interventions: [.ablateMLP(layer: 3, .mean)], recording: [key]).cache
        let mean = try #require(plain.mean(.mlpOutput, layer: 3))
        let (after, width) = try #require(edited.values(.mlpOutput, layer: 3))
        for p in ids.indices { #expect(Array(after[(p * width)..<((p + 1) * width)]) == mean) }
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`")) func outOfRangeNamesTheValidRange() throws {
        let model = try ModelFixture.smolLM2()
        let ids = model.promptTokens(Self.prompt)
        for (bad, text) in [(Intervention.ablateHead(layer: 30, head: 0, .zero), "layers 0...29"),
                            (.ablateHead(layer: 3, head: 9, .zero), "heads 0...8"),
                            (.ablateMLP(layer: -1, .zero), "layers 0...29")] {
            do {
                _ = try model.run(ids, interventions: [bad])
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.description.contains(text))
            }
        }
    }

    // MARK: Patching

    static let clean = "The Eiffel Tower is in the city of"
    static let corrupt = "The Colosseum is in the city of"

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`")) func patchingTheWholeFirstLayerRecoversEverything() throws {
        let model = try ModelFixture.smolLM2()
        let clean = model.promptTokens("The capital of France is the city of")
        let corrupt = model.promptTokens("The capital of Italy is the city of")
        try #require(clean.count == corrupt.count)
        let (cleanRun, cache) = try model.run(clean, interventions: [], recording: [.init(.input, layer: 0)])
        let corruptRun = try model.run(corrupt, interventions: []).session
        let metric = try Self.metric(model, cleanRun.lastLogits, corruptRun.lastLogits)
        let patched = try model.run(corrupt, interventions: [.patch(.input, layer: 0, positions: nil, from: cache)]).session
        #expect(patched.lastLogits == cleanRun.lastLogits)
        #expect(metric.recovered(PatchingMetric.value(patched.lastLogits, answer: metric.answer, other: metric.other)) == 1)
        #expect(metric.recovered(metric.corrupt) == 0)

        // Per position at the first layer: a position where the prompts agree recovers exactly 0.
        let result = try model.patchResidualStream(clean: clean, corrupt: corrupt, layers: [0, 12])
        for p in clean.indices where clean[p] == corrupt[p] { #expect(abs(result.recovered[0][p]) < 1e-3) }
        // Every cell equals a full run with that one patch (the rewinding shortcut changes nothing).
        for (row, layer) in [0, 12].enumerated() {
            for p in [0, 3, clean.count - 1] {
                let full = try model.run(corrupt, interventions: [.patch(.input, layer: layer, positions: [p], from: model.run(clean, interventions: [], recording: [.init(.input, layer: layer)]).cache)]).session
                let expected = result.metric.recovered(PatchingMetric.value(full.lastLogits, answer: result.metric.answer, other: result.metric.other))
                #expect(abs(result.recovered[row][p] - expected) < 1e-3, "layer \(layer) position \(p)")
            }
        }
        // The differing token, patched at the first layer, carries the whole difference.
        let differing = try #require(clean.indices.first { clean[$0] != corrupt[$0] })
        #expect(clean.indices.filter { clean[$0] != corrupt[$0] }.count == 1)
        #expect(abs(result.recovered[0][differing] - 1) < 1e-3)
    }

    static func metric(_ model: TransformerModel, _ clean: [Float], _ corrupt: [Float]) throws -> PatchingMetric {
        let (answer, other) = TransformerModel.defaultAnswers(clean: clean, corrupt: corrupt)
        return PatchingMetric(answer: answer, other: other, clean: PatchingMetric.value(clean, answer: answer, other: other),
                              corrupt: PatchingMetric.value(corrupt, answer: answer, other: other))
    }

    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`")) func perPositionPatchingNeedsEqualLengths() throws {
        let model = try ModelFixture.smolLM2()
        let clean = model.promptTokens(Self.clean), corrupt = model.promptTokens("The Colosseum is in the old city of")
        try #require(clean.count != corrupt.count)
        do {
            _ = try model.patchResidualStream(clean: clean, corrupt: corrupt)
            Issue.record("prompts of different lengths were patched per position")
        } catch {
            #expect(error.description.contains("same length") && error.description.contains("per-head"))
        }
    }
}

/// The time one ablated re-run of a 20-token prompt takes (the explorer's diff panel).
@Suite struct InterventionSpeedTests {
    @Test(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`")) func anAblationRerunOfTwentyTokensIsQuick() throws {
        let model = try ModelFixture.smolLM2()
        let ids = Array(model.promptTokens("The Eiffel Tower is in Paris, and the Colosseum is in Rome; every summer the two cities welcome").prefix(20))
        try #require(ids.count == 20)
        func milliseconds(_ body: () throws -> Void) rethrows -> Double {
            let start = ContinuousClock.now
            try body()
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        }
        // Plain and ablated runs alternate, so a busy machine slows both alike.
        var plain: [Double] = [], ablated: [Double] = []
        for _ in 0..<5 {
            plain.append(try milliseconds { _ = try model.run(ids, interventions: []) })
            ablated.append(try milliseconds { _ = try model.run(ids, interventions: [.ablateHead(layer: 18, head: 6, .zero), .ablateMLP(layer: 3, .zero)]) })
        }
        let plainMedian = plain.sorted()[2], ablatedMedian = ablated.sorted()[2]
        print("20-token run: plain median \(plainMedian) ms, ablated median \(ablatedMedian) ms")
        // The edits cost next to nothing beside the run itself (the 150 ms bar is the run's own
        // speed, measured with `tokenscope bench` on a quiet machine).
        #expect(ablatedMedian <= plainMedian * 1.25 + 5)
    }
}

/// Occlusion re-runs the prompt without each token; the rewinding shortcut equals a fresh run.
@Suite(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct OcclusionTests {
    @Test func eachDeltaIsAFreshRunWithoutThatToken() throws {
        let model = try ModelFixture.smolLM2()
        let ids = model.promptTokens("The Eiffel Tower is in the city of")
        let result = try model.occlusion(ids)
        #expect(result.deltas.count == ids.count)
        for position in [0, 2, ids.count - 2] {
            var shorter = ids
            shorter.remove(at: position)
            let session = InferenceSession(model: model, options: .off)
            let p = Softmax.probabilities(try session.append(shorter)).probabilities[result.target]
            #expect(abs((log(p) - result.baseline) - result.deltas[position]) < 1e-3, "position \(position)")
        }
        // Some token carries the answer (the landmark's name): dropping it costs a lot.
        #expect((result.deltas.min() ?? 0) < -1)
    }
}

import Foundation
import Testing
import TokenscopeTransformer

/// Interventions through the block's hook points, on the generated Qwen 3 model (no attention
/// bias and no post-attention norm, so a head's output reaches the residual stream only through
/// the output projection).
@Suite struct ForwardHooksTests {
    static func model() throws -> TransformerModel {
        try TransformerModel(path: GeneratedModelTests.paths("qwen3")[1])
    }

    static func logits(_ model: TransformerModel, _ ids: [Int], hooks: ForwardHooks) throws -> [[Float]] {
        let session = InferenceSession(model: model)
        session.hooks = hooks
        try session.append(ids)
        return try ids.indices.map { try session.logits(at: $0) }
    }

    @Test func editsThatChangeNothingAreBitIdenticalToNoHooks() throws {
        let model = try Self.model()
        let ids = try GeneratedModelTests.golden("qwen3").prompts[1].ids
        var hooks = ForwardHooks()
        for layer in 0..<model.configuration.blockCount {
            for stage in BlockStage.allCases { hooks.add(stage, layer: layer) { _, _ in } }
        }
        #expect(try Self.logits(model, ids, hooks: hooks) == Self.logits(model, ids, hooks: ForwardHooks()))
    }

    @Test func ablatingEveryHeadEqualsZeroingTheAttentionOutput() throws {
        let model = try Self.model()
        let c = model.configuration
        let ids = try GeneratedModelTests.golden("qwen3").prompts[1].ids
        var heads = ForwardHooks(), sublayers = ForwardHooks()
        for layer in 0..<c.blockCount {
            for head in 0..<c.headCount {
                heads.add(.headOutputs, layer: layer) { values, context in
                    for row in 0..<context.rows {
                        for i in 0..<c.headSize { values[row * context.width + head * c.headSize + i] = 0 }
                    }
                }
            }
            sublayers.add(.attentionOutput, layer: layer) { values, _ in
                for i in values.indices { values[i] = 0 }
            }
        }
        let ablated = try Self.logits(model, ids, hooks: heads)
        #expect(ablated == (try Self.logits(model, ids, hooks: sublayers)))
        #expect(ablated != (try Self.logits(model, ids, hooks: ForwardHooks())))
    }

    @Test func anEditReachesTheRunAtItsLayer() throws {
        let model = try Self.model()
        let ids = try GeneratedModelTests.golden("qwen3").prompts[0].ids
        let session = InferenceSession(model: model, options: .off)
        var hooks = ForwardHooks()
        hooks.add(.mlpOutput, layer: 1) { values, context in
            // Only a call with the shape the stage promises poisons the run.
            guard context.layer == 1, context.stage == .mlpOutput, context.width == 32,
                values.count == context.rows * context.width, context.startPosition == 0
            else { return }
            for i in values.indices { values[i] = .nan }
        }
        session.hooks = hooks
        do {
            try session.append(ids)
            Issue.record("a NaN written by a hook went unnoticed")
        } catch ModelError.nonFinite(let layer, _, _) {
            #expect(layer == 1 && session.count == 0)
        }
        session.hooks.removeAll()
        try session.append(ids)
        #expect(session.count == ids.count)
    }
}

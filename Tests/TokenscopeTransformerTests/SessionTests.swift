import Foundation
import Testing
import TokenscopeTestSupport
import TokenscopeTransformer

/// The session's own invariants on the real model: cache, rewind, trace, limits.
@Suite(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct SessionTests {
    let prompt = "The quick brown fox jumps over the lazy dog because"

    @Test func decodingAfterPrefillEqualsAFullRecompute() throws {
        let model = try ModelFixture.smolLM2()
        let ids = model.promptTokens(prompt)
        // f32 activations: decode steps with int8 ones differ from a prefill by design (IntegerDecodeTests).
        let incremental = InferenceSession(model: model, options: .off)
        incremental.activations = .float
        try incremental.append(Array(ids.dropLast(3)))
        for id in ids.suffix(3) { try incremental.append([id]) }
        let full = InferenceSession(model: model, options: .off)
        full.activations = .float
        try full.append(ids)
        for position in 0..<ids.count {
            let a = try incremental.logits(at: position), b = try full.logits(at: position)
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-3, "position \(position): \(worst)")
        }
    }

    @Test func logitsInBlocksEqualLogitsOnePositionAtATime() throws {
        let model = try ModelFixture.smolLM2()
        // More than one block of 64 positions, so the block boundary is crossed.
        let ids = model.promptTokens(String(repeating: prompt + " ", count: 10))
        #expect(ids.count > 70)
        let session = InferenceSession(model: model, options: .off)
        try session.append(ids)
        var visited: [Int] = []
        try session.forEachLogits(in: 3..<ids.count) { position, logits in
            visited.append(position)
            guard let single = try? session.logits(at: position) else { Issue.record("no logits at \(position)"); return }
            let worst = zip(logits, single).map { abs($0 - $1) }.max() ?? .infinity
            #expect(logits.count == single.count && worst < 1e-3, "position \(position): \(worst)")
        }
        #expect(visited == Array(3..<ids.count))
        #expect(throws: ModelError.self) { try session.forEachLogits(in: 0..<(ids.count + 1)) { _, _ in } }
    }

    @Test func rewindThenDecodeReproducesTheTokens() throws {
        let model = try ModelFixture.smolLM2()
        let session = InferenceSession(model: model, options: TraceOptions(level: .full))
        var logits = try session.append(model.promptTokens(prompt))
        let start = session.count
        var first: [Int] = []
        for _ in 0..<6 {
            let id = Sampler.sample(logits: logits, settings: SamplerSettings(temperature: 0.9, seed: 5), position: session.count).chosenID
            first.append(id)
            logits = try session.append([id])
        }
        try session.rewind(to: start + 2)
        #expect(session.count == start + 2)
        #expect(session.trace.observedCount == start + 2 && session.trace.attentionCount == start + 2)
        logits = session.lastLogits
        var again = Array(first.prefix(2))
        for _ in 0..<4 {
            let id = Sampler.sample(logits: logits, settings: SamplerSettings(temperature: 0.9, seed: 5), position: session.count).chosenID
            again.append(id)
            logits = try session.append([id])
        }
        #expect(again == first)
    }

    @Test func attentionRowsAreDistributionsOverThePast() throws {
        let model = try ModelFixture.smolLM2()
        let session = InferenceSession(model: model, options: TraceOptions(level: .full))
        try session.append(model.promptTokens(prompt))
        try session.append([model.promptTokens(" it")[0]])
        let n = session.count
        for layer in [0, 7, 29] {
            for head in [0, 4, 8] {
                let matrix = try session.attentionMatrix(layer: layer, head: head)
                for q in 0..<n {
                    var sum: Float = 0
                    for k in 0..<n {
                        let v = matrix.value(query: q, key: k)
                        if k > q { #expect(v == 0) } else { #expect(v >= 0); sum += v }
                    }
                    #expect(abs(sum - 1) < 5e-3, "layer \(layer) head \(head) row \(q) sums to \(sum)")
                }
            }
        }
    }

    @Test func attentionPastTheBudgetIsRecomputedIdentically() throws {
        let model = try ModelFixture.smolLM2()
        let ids = model.promptTokens(prompt)
        let stored = InferenceSession(model: model, options: TraceOptions(level: .full))
        try stored.append(ids)
        let recomputed = InferenceSession(model: model, options: TraceOptions(level: .full, attentionBudgetBytes: 0))
        try recomputed.append(ids)
        #expect(recomputed.trace.attentionCount == 0)
        for layer in [0, 15] {
            let a = try stored.attentionMatrix(layer: layer, head: 3), b = try recomputed.attentionMatrix(layer: layer, head: 3)
            #expect(zip(a.lowerTriangle, b.lowerTriangle).allSatisfy { abs($0 - $1) < 2e-3 })
        }
    }

    @Test func badRequestsAreClearErrorsAndLeaveTheSessionUnchanged() throws {
        let model = try ModelFixture.smolLM2()
        let session = InferenceSession(model: model)
        #expect(throws: ModelError.self) { try session.append([]) }
        #expect(throws: ModelError.self) { try session.append([model.configuration.vocabularySize]) }
        #expect(throws: ModelError.self) { try session.append([-1]) }
        try session.append([1, 2, 3])
        let tooLong = [Int](repeating: 17, count: model.configuration.contextLength)
        #expect(throws: ModelError.self) { try session.append(tooLong) }
        #expect(session.count == 3)
        #expect(throws: ModelError.self) { try session.rewind(to: 4) }
        #expect(throws: ModelError.self) { try session.attentionMatrix(layer: 30, head: 0) }
        #expect(throws: ModelError.self) { try session.attentionMatrix(layer: 0, head: 9) }
        #expect(throws: ModelError.self) { try session.logits(at: 3) }
    }

    @Test func cancellationLeavesTheSessionAsItWas() throws {
        let model = try ModelFixture.smolLM2()
        let session = InferenceSession(model: model)
        try session.append([1, 2])
        #expect(throws: ModelError.self) { try session.append([3, 4, 5], shouldCancel: { true }) }
        #expect(session.count == 2 && session.trace.observedCount == 2)
    }

    @Test func traceOfATwoThousandTokenSessionStaysUnderOneGigabyte() throws {
        let model = try ModelFixture.smolLM2()
        let c = model.configuration
        let options = TraceOptions()
        // What a 2 000-token session holds: residuals, norms, attention within the budget, KV cache.
        let residuals = 2000 * (c.blockCount + 1) * c.width * 4
        let kv = 2000 * c.kvWidth * 2 * c.blockCount * 4
        #expect(residuals + kv + options.attentionBudgetBytes < 1 << 30)
    }

    @Test func storedAttentionIsDroppedPastTheBudgetAndRecomputed() throws {
        let model = try ModelFixture.smolLM2()
        let c = model.configuration
        // Room for the attention of exactly 20 positions (all layers and heads, lower triangle, f16).
        let budget = c.blockCount * c.headCount * (20 * 21 / 2) * 2
        let session = InferenceSession(model: model, options: TraceOptions(level: .full, attentionBudgetBytes: budget))
        let ids = model.promptTokens("Once upon a time, a curious student opened a terminal and watched a language model think. Every token it chose had a probability, and every head looked back at the words before it.")
        #expect(ids.count > 24)
        try session.append(Array(ids.prefix(16)))
        for id in ids.dropFirst(16).prefix(4) { try session.append([id]) }
        #expect(session.trace.attentionCount == 20)
        #expect(session.trace.storedBytes == budget + 20 * session.trace.bytesPerObservedPosition)
        let stored = try session.attentionMatrix(layer: 7, head: 4)
        for id in ids.dropFirst(20) { try session.append([id]) }
        // Once the sequence outgrows the budget the rows are dropped (a view recomputes a layer as
        // soon as one position is missing, so a stored prefix would only hold memory).
        let trace = session.trace
        #expect(trace.attentionCount == 0)
        #expect(trace.observedCount == ids.count)
        #expect(trace.storedBytes == ids.count * trace.bytesPerObservedPosition)
        // Past the budget the matrix is recomputed from the residual stream, still causal rows of 1,
        // and the first 20 rows are what was stored (both f16).
        let matrix = try session.attentionMatrix(layer: 7, head: 4)
        for q in 0..<20 {
            for k in 0...q { #expect(abs(matrix.value(query: q, key: k) - stored.value(query: q, key: k)) < 2e-3) }
        }
        for q in 0..<ids.count {
            var sum: Float = 0
            for k in 0..<ids.count { sum += matrix.value(query: q, key: k) }
            #expect(abs(sum - 1) < 1e-3)
            if q + 1 < ids.count { #expect(matrix.value(query: q, key: q + 1) == 0) }
        }
        // So a 2 000-token session (past the default budget) holds: every position's residuals and
        // norms, and the KV cache.
        let positions = 2000
        let total = positions * trace.bytesPerObservedPosition
            + positions * c.kvWidth * 2 * c.blockCount * 4
        print("a 2 000-token session's trace and KV cache: at most \(total >> 20) MiB")
        #expect(total < 1 << 30)
    }

    @Test func aResidualStreamPastItsBudgetIsHeldInHalfPrecision() throws {
        let model = try ModelFixture.smolLM2()
        let c = model.configuration
        let ids = model.promptTokens("Once upon a time, a curious student opened a terminal and watched a language model think.")
        // Neither stores attention (both run the same attention path and views recompute it from
        // the stream); the second has a residual budget of 10 positions, so this prompt (more)
        // keeps its stream in f16 from the start.
        let exact = InferenceSession(model: model, options: TraceOptions(level: .full, attentionBudgetBytes: 0))
        let compact = InferenceSession(
            model: model, options: TraceOptions(level: .full, attentionBudgetBytes: 0, residualBudgetBytes: 10 * (c.blockCount + 1) * c.width * 4))
        let exactLogits = try exact.append(ids)
        let compactLogits = try compact.append(ids)
        #expect(!exact.trace.residualsAreCompact)
        #expect(compact.trace.residualsAreCompact)
        #expect(compactLogits == exactLogits, "the forward pass never reads the recorded stream")
        var worst: Float = 0
        for position in 0..<ids.count {
            for block in 0...c.blockCount {
                let a = try #require(exact.trace.residual(position: position, afterBlocks: block))
                let b = try #require(compact.trace.residual(position: position, afterBlocks: block))
                for (x, y) in zip(a, b) where x != 0 { worst = max(worst, abs(x - y) / abs(x)) }
                #expect(zip(a, b).allSatisfy { abs($0 - $1) <= abs($0) * 0x1p-11 + 1e-7 })
            }
        }
        print("f16 residual stream: worst relative error \(worst)")
        #expect(compact.trace.bytesPerObservedPosition < exact.trace.bytesPerObservedPosition * 6 / 10)
        // A view recomputes attention from the f16 stream: what it gives from the f32 one (both
        // f16 matrices) to within 2e-3.
        let stored = try exact.attentionMatrix(layer: 7, head: 4)
        let recomputed = try compact.attentionMatrix(layer: 7, head: 4)
        for q in 0..<ids.count {
            for k in 0...q { #expect(abs(recomputed.value(query: q, key: k) - stored.value(query: q, key: k)) < 2e-3) }
        }
        // Decoding on keeps the stream compact and the logits equal.
        let next = Sampler.sample(logits: exactLogits, settings: .greedy, position: ids.count).chosenID
        #expect(try compact.append([next]) == (try exact.append([next])))
        #expect(compact.trace.residualsAreCompact && compact.trace.observedCount == ids.count + 1)
    }
}

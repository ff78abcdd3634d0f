import Foundation
import Testing
import TokenscopeTestSupport
@testable import TokenscopeTransformer

/// The model overview gathered while a prompt runs equals the one recomputed afterwards (same
/// tiles, same f32 queries and keys; only the order of the Double sums differs), grows by the new
/// rows after decode steps, and keeps through a rewind only the rows before it.
@Suite(.enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct OverviewGathererTests {
    static func expectSame(_ gathered: [AttentionHeadSummary], _ recomputed: [AttentionHeadSummary], tolerance: Double) {
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }
        #expect(gathered.count == recomputed.count)
        for (g, r) in zip(gathered, recomputed) {
            let a = g.statistics, b = r.statistics
            #expect(close(a.entropy, b.entropy) && close(a.normalizedEntropy, b.normalizedEntropy), "L\(g.layer) H\(g.head) entropy")
            #expect(close(a.previousTokenWeight, b.previousTokenWeight) && close(a.firstTokenWeight, b.firstTokenWeight) && close(a.selfWeight, b.selfWeight))
            #expect((a.inductionScore == nil) == (b.inductionScore == nil))
            if let x = a.inductionScore, let y = b.inductionScore { #expect(close(x, y)) }
            #expect(g.thumbnailSize == r.thumbnailSize)
            #expect(zip(g.thumbnail, r.thumbnail).allSatisfy { ($0.isNaN && $1.isNaN) || Double(abs($0 - $1)) <= max(1e-6, tolerance) })
        }
    }

    @Test func theOverviewGatheredByAPromptEqualsTheRecomputedOne() throws {
        let model = try ModelFixture.smolLM2()
        let c = model.configuration
        // Past one forward batch (128), with repeats for the induction scores; nothing stored, so
        // the plain session recomputes every layer.
        let text = String(repeating: "The quick brown fox jumps over the lazy dog while the teacher explains attention. ", count: 10)
        let ids = model.promptTokens(text)
        #expect(ids.count > InferenceSession.batchLimit + 8)
        let gathering = InferenceSession(model: model, options: TraceOptions(level: .full, attentionBudgetBytes: 0, overviewThumbnailSize: 16))
        let plain = InferenceSession(model: model, options: TraceOptions(level: .full, attentionBudgetBytes: 0))
        let logits = try gathering.append(ids)
        // Gathering takes the two-pass softmax (rows in full) where a plain long prompt takes the
        // online one: the logits agree to f32 rounding.
        let plainLogits = try plain.append(ids)
        #expect(zip(logits, plainLogits).allSatisfy { abs($0 - $1) <= 1e-3 })
        #expect(Sampler.sample(logits: logits, settings: .greedy, position: ids.count).chosenID
            == Sampler.sample(logits: plainLogits, settings: .greedy, position: ids.count).chosenID)
        let gathered = try #require(gathering.gatheredOverview)
        #expect(gathered.isFinished)
        #expect(plain.gatheredOverview == nil)
        for layer in [0, 7, c.blockCount - 1] {
            let fromPrompt = try gathering.headSummaries(layer: layer, thumbnailSize: 16, tokenIDs: ids)
            // The same session's recomputation from its recorded stream.
            gathering.gatheredOverview = nil
            let recomputed = try gathering.headSummaries(layer: layer, thumbnailSize: 16, tokenIDs: ids)
            gathering.gatheredOverview = gathered
            Self.expectSame(fromPrompt, recomputed, tolerance: 1e-9)
            // A plain session's, whose stream differs by the softmax's rounding.
            Self.expectSame(fromPrompt, try plain.headSummaries(layer: layer, thumbnailSize: 16, tokenIDs: ids), tolerance: 1e-4)
        }
        // Another thumbnail size starts over; a rewind past the prompt keeps the prompt's rows, a
        // rewind into the prompt forgets them.
        #expect(!gathered.grows(into: ids, thumbnailSize: 8, tokenIDs: ids))
        try gathering.append([ids[5]])
        #expect(gathered.grows(into: gathering.tokens, thumbnailSize: 16, tokenIDs: gathering.tokens))
        try plain.append([ids[5]])
        Self.expectSame(
            try gathering.headSummaries(layer: 3, thumbnailSize: 16, tokenIDs: gathering.tokens),
            try plain.headSummaries(layer: 3, thumbnailSize: 16, tokenIDs: plain.tokens), tolerance: 1e-4)
        try gathering.rewind(to: ids.count)
        #expect(gathering.gatheredOverview === gathered && gathered.rowCount(layer: 0) == ids.count)
        #expect(gathered.rowCount(layer: 3) == ids.count, "layer 3 had grown past the rewind: back to its checkpoint")
        try gathering.rewind(to: 10)
        #expect(gathered.tokens.count == 10 && gathered.rowCount(layer: 0) == 0, "a shorter sequence forgets the prompt's rows")
    }

    /// After decode steps and a continuation, the overview adds only the new rows — crossing a
    /// change of cell width on the way — and equals the same session's overview recomputed from
    /// nothing; a rewind keeps only the layers whose rows all precede it.
    @Test func theOverviewGrowsByTheNewRowsAndEqualsARecomputation() throws {
        let model = try ModelFixture.smolLM2()
        let text = String(repeating: "Students watch every attention head look back at earlier tokens. ", count: 10)
        let ids = model.promptTokens(text)
        try #require(ids.count > 64 && ids.count < 200, "a prompt of \(ids.count) tokens: 256 is crossed below")
        let session = InferenceSession(model: model, options: TraceOptions(level: .full, attentionBudgetBytes: 0, overviewThumbnailSize: 16))
        try session.append(ids)
        let gathered = try #require(session.gatheredOverview)

        func expectEqualToRecomputation(layer: Int, _ why: String) throws {
            let grown = try session.headSummaries(layer: layer, thumbnailSize: 16, tokenIDs: session.tokens)
            #expect(gathered.rowCount(layer: layer) == session.count, "\(why): the rows were added")
            session.gatheredOverview = nil
            let recomputed = try session.headSummaries(layer: layer, thumbnailSize: 16, tokenIDs: session.tokens)
            session.gatheredOverview = gathered
            #expect(grown.first?.thumbnailSize == AttentionMatrix.thumbnailCells(count: session.count, size: 16), "\(why)")
            // The new rows' queries were made in a batch of their own (another matrix kernel than
            // the whole sequence's): the same values to f32 rounding.
            Self.expectSame(grown, recomputed, tolerance: 1e-6)
        }
        // Three decode steps (greedy), then the layers asked for grow; the others keep the prompt's rows.
        for _ in 0..<3 {
            let next = Sampler.sample(logits: session.lastLogits, settings: .greedy, position: session.count).chosenID
            try session.append([next])
        }
        try expectEqualToRecomputation(layer: 0, "three decode steps")
        try expectEqualToRecomputation(layer: 20, "three decode steps")
        #expect(gathered.rowCount(layer: 1) == ids.count, "a layer grows only when asked for")
        // A continuation past 256 positions: cells 16 → 32 wide.
        try session.append(Array((ids + ids).prefix(300 - session.count)))
        #expect(session.count > 256)
        try expectEqualToRecomputation(layer: 20, "past 256 positions")
        try expectEqualToRecomputation(layer: 1, "prompt rows, then the rest at once")
        // A rewind to before the continuation: grown layers go back to their latest checkpoint
        // before it (the prompt's rows), the prompt-only ones stay.
        try session.rewind(to: ids.count + 1)
        #expect(gathered.rowCount(layer: 20) == ids.count && gathered.rowCount(layer: 5) == ids.count)
        try expectEqualToRecomputation(layer: 5, "after a rewind")
        try expectEqualToRecomputation(layer: 20, "after a rewind")
        // The explorer's undo after a step: the layer is back where it was, nothing is made again.
        let next = Sampler.sample(logits: session.lastLogits, settings: .greedy, position: session.count).chosenID
        try session.append([next])
        try expectEqualToRecomputation(layer: 20, "a step")
        try session.rewind(to: session.count - 1)
        #expect(gathered.rowCount(layer: 20) == session.count, "undo restores the checkpoint of the step before")
        try expectEqualToRecomputation(layer: 20, "an undo")
        // Rewinding into the prompt: no checkpoint that early, the layer starts over.
        try session.rewind(to: 10)
        #expect(gathered.rowCount(layer: 20) == 0)
        try expectEqualToRecomputation(layer: 20, "inside the prompt")
    }

    @Test func aSessionWithHooksOrAContinuationDoesNotGather() throws {
        let model = try ModelFixture.smolLM2()
        let ids = model.promptTokens("Attention heads look back at earlier tokens, one row at a time.")
        let session = InferenceSession(model: model, options: TraceOptions(level: .full, overviewThumbnailSize: 16))
        try session.append(Array(ids.prefix(4)))
        #expect(session.gatheredOverview != nil)
        try session.append(Array(ids.dropFirst(4)))
        #expect(session.gatheredOverview?.tokens.count == 4, "a continuation keeps the prefix's, gathers none of its own")
        let summaries = try session.headSummaries(layer: 2, thumbnailSize: 16, tokenIDs: session.tokens)
        #expect(summaries.count == model.configuration.headCount)
        // A prompt run under hooks (an ablation) gathers nothing: its rows are not the plain model's.
        let hooked = InferenceSession(model: model, options: TraceOptions(level: .full, overviewThumbnailSize: 16))
        hooked.hooks.add(.input, layer: 0) { _, _ in }
        try hooked.append(ids)
        #expect(hooked.gatheredOverview == nil)
        hooked.hooks.removeAll()
        try hooked.rewind(to: 0)
        try hooked.append(ids)
        #expect(hooked.gatheredOverview?.tokens == ids)
    }
}

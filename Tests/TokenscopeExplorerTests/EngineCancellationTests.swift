import Testing
import TokenscopeTransformer
@testable import TokenscopeExplorer
import TokenscopeTestSupport

/// A prompt run can be stopped between blocks, so a newer prompt does not wait for an old prefill.
@Suite("Engine: cancelling a prompt run")
struct EngineCancellationTests {
    @Test func aCancelledPrefillThrowsAndTheNextRunStillWorks() throws {
        let engine = try TinyModel.engine()
        var polls = 0
        let error = #expect(throws: ModelError.self) {
            _ = try engine.reset(prompt: "hello there", chat: false, shouldCancel: { polls += 1; return true })
        }
        guard case .cancelled = error else {
            Issue.record("expected a cancellation, got \(String(describing: error))")
            return
        }
        #expect(polls >= 1, "the prefill polled for cancellation")

        let tokens = try engine.reset(prompt: "hello there", chat: false)
        let uncancelled = try engine.reset(prompt: "hello there", chat: false, shouldCancel: { false })
        #expect(!tokens.isEmpty)
        #expect(tokens == uncancelled)
        #expect(try engine.analyse(position: tokens.count - 1).logits.count == TinyModel.vocabulary.count)
    }

    @Test func aPrefillReportsItsProgressUpToTheEnd() throws {
        let engine = try TinyModel.engine()
        var fractions: [Double] = []
        _ = try engine.reset(prompt: "hello there", chat: false, shouldCancel: { false }, progress: { fractions.append($0) })
        #expect(fractions.count == TinyModel.blockCount, "one report per block of the single batch")
        #expect(fractions == fractions.sorted())
        #expect(fractions.last == 1)
    }

    @Test func progressShowsInTheFooterOnlyWhileThePromptRuns() {
        var state = AppState(prompt: "x", width: 80, height: 24)
        state.busy = "running the prompt"
        _ = Reducer.reduce(&state, .progress(0.4))
        #expect(state.busy == "running the prompt 40%")
        state.busy = nil
        _ = Reducer.reduce(&state, .progress(0.8))
        #expect(state.busy == nil, "a late report does not make the explorer look busy")
    }
}

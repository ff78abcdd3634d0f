import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeTestSupport
import TokenscopeTransformer
import TokenscopeUI

/// The Why view: direct logit attribution, occlusion and activation patching as the explorer shows
/// them, each checked against the library's own computation on the same tokens (tiny model), and on
/// the real model for what a learner sees (the logit adds up, Esc stops a patching run).
@Suite("Why view: attribution, occlusion, patching")
struct AttributionViewTests {
    // MARK: Direct logit attribution

    @Test func theGridIsTheLibrarysAttributionOfTheTopCandidateAndAnyOtherCandidate() throws {
        let explorer = try HeadlessExplorer(keys: "6")
        let state = explorer.state
        #expect(state.view == .why && state.attributionView.mode == .logit)
        let engine = try #require(explorer.runtime.engine as? LiveExplorerEngine)
        let ids = Array(engine.session.tokens[0...state.selected])
        let logits = try engine.session.logits(at: state.selected)
        let expected = try TinyModel.model().attribute(ids, position: state.selected)
        #expect(expected.target == Softmax.top(logits, count: 1).first?.id)
        let report = try #require(state.attributionView.attribution)
        #expect(report.attribution == expected)
        let text = explorer.render().plainText
        #expect(text.contains(String(format: "logit %.2f · sum of parts %.2f", expected.logit, expected.total)))
        #expect(text.contains("top contributors") && text.contains("✓"))
        let selected = try #require(report.contribution(layer: 0, head: 0))
        #expect(text.contains("L0 H0: " + AttributionView.signed(selected, "%.3f")))

        // `]` picks the second candidate; its attribution is the library's for that target.
        explorer.press("]")
        let second = Softmax.top(logits, count: 2)[1].id
        #expect(explorer.state.attributionView.attribution?.attribution == (try TinyModel.model().attribute(ids, position: state.selected, target: second)))
        explorer.press("[[")
        #expect(explorer.state.attributionView.attribution?.attribution.target == expected.target)
    }

    @Test func layerAndHeadKeysMoveTheSelectedCell() throws {
        let explorer = try HeadlessExplorer(keys: "6<Down>..")
        #expect(explorer.state.layer == 1 && explorer.state.head == 2)
        let report = try #require(explorer.state.attributionView.attribution)
        let value = try #require(report.contribution(layer: 1, head: 2))
        #expect(explorer.render().plainText.contains("L1 H2: " + AttributionView.signed(value, "%.3f")))
    }

    // MARK: Occlusion

    @Test func occlusionIsTheLibrarysAndColoursThePrompt() throws {
        let explorer = try HeadlessExplorer(keys: "6o")
        let state = explorer.state
        let engine = try #require(explorer.runtime.engine as? LiveExplorerEngine)
        let ids = Array(engine.session.tokens[0...state.selected])
        let report = try #require(state.attributionView.occlusion)
        #expect(report.occlusion == (try TinyModel.model().occlusion(ids)))
        #expect(report.occlusion.deltas.count == ids.count)
        let canvas = explorer.render()
        #expect(canvas.plainText.contains("most effect"))
        // Every token of the prompt is drawn as a click target.
        for position in 0..<ids.count {
            let marked = (0..<canvas.height).contains { y in (0..<canvas.width).contains { canvas.target(atX: $0, y: y) == .token(position) } }
            #expect(marked, "token \(position)")
        }
    }

    // MARK: Patching

    @Test func patchingRunsOnTheTypedCorruptedPromptAndIsTheLibrarys() throws {
        let explorer = try HeadlessExplorer(prompt: "The capital of France is", keys: "6cThe capital of Francy is<Enter>")
        let state = explorer.state
        #expect(state.attributionView.corrupt == "The capital of Francy is" && state.attributionView.progress == nil)
        let report = try #require(state.attributionView.patching)
        let model = try TinyModel.model()
        let engine = try #require(explorer.runtime.engine as? LiveExplorerEngine)
        let clean = Array(engine.session.tokens[0...state.selected]), corrupt = model.promptTokens("The capital of Francy is")
        #expect(clean.count == corrupt.count)
        #expect(report.residual == (try model.patchResidualStream(clean: clean, corrupt: corrupt)))
        #expect(report.heads.recovered == (try model.patchHeads(clean: clean, corrupt: corrupt)).recovered)
        let text = explorer.render().plainText
        #expect(text.contains("residual stream: layer × position") && text.contains("heads at the last position"))
        #expect(text.contains("most recovered"))
    }

    @Test func promptsOfDifferentLengthsStillPatchEachHead() throws {
        let explorer = try HeadlessExplorer(prompt: "The capital of France is", keys: "6cthe<Enter>")
        let report = try #require(explorer.state.attributionView.patching)
        #expect(report.residual == nil)
        #expect(report.residualNote?.contains("as many tokens") == true)
        #expect(report.heads.recovered.count == TinyModel.blockCount && report.heads.recovered[0].count == TinyModel.headCount)
        #expect(explorer.render().plainText.contains("heads at the last position"))
    }

    @Test func escCancelsTheRunningWorkAndAStaleAnswerIsDropped() {
        var state = AppState(prompt: "x", width: 120, height: 40)
        state.view = .why
        state.attributionView.mode = .patching
        state.tokens = [TokenInfo(id: 1, text: "x", piece: "x", kind: .normal, mergeRank: nil, generated: false)]
        let request = InspectRequest.patching(position: 0, corrupt: "y")
        state.attributionView.pending = [AskedRequest(request: request, tokenIDs: [1])]
        state.attributionView.progress = .init(request: request, fraction: 0)
        _ = Reducer.reduce(&state, .working(request, 0.25))
        #expect(state.attributionView.progress?.fraction == 0.25)
        #expect(Renderer.render(state, theme: .dark).plainText.contains("25%"))
        let effects = Reducer.reduce(&state, .key(.escape))
        #expect(effects == [.cancelInspection])
        #expect(state.attributionView.progress == nil && state.attributionView.message == "patching cancelled")
        _ = Reducer.reduce(&state, .working(request, 0.5))
        #expect(state.attributionView.progress == nil, "a late report does not bring the bar back")
    }

    // MARK: Rendering

    @Test(arguments: [(120, 40), (80, 24)]) func rendersAtEverySize(_ size: (Int, Int)) throws {
        let (width, height) = size
        let logit = try HeadlessExplorer(width: width, height: height, keys: "6")
        assertSnapshot(viewBody(logit.render()), named: "why-logit-\(width)x\(height)")
        let occlusion = try HeadlessExplorer(width: width, height: height, keys: "6o")
        assertSnapshot(viewBody(occlusion.render()), named: "why-occlusion-\(width)x\(height)")
        let patching = try HeadlessExplorer(width: width, height: height, keys: "6cThe capital of Francy is<Enter>")
        assertSnapshot(viewBody(patching.render()), named: "why-patching-\(width)x\(height)")
        let hint = try HeadlessExplorer(width: width, height: height, keys: "6p")
        assertSnapshot(viewBody(hint.render()), named: "why-patching-hint-\(width)x\(height)")
        for explorer in [logit, occlusion, patching, hint] {
            let text = explorer.render().plainText
            #expect(text.contains("6 Why") && text.contains("why?"))
            #expect(!text.contains("terminal too small"))
        }
    }
}

// MARK: - On the real model

@Suite("Why view on the real model", .serialized, .enabled(if: ModelFixture.shouldRun, "needs the default model: run `tokenscope fetch`"))
struct AttributionRealModelTests {
    static let clean = "The Eiffel Tower is in the city of"
    static let corrupt = "The Colosseum is in the city of"

    @Test func theEiffelTowerAddsUpToParis() throws {
        let engine = LiveExplorerEngine(model: try ModelFixture.smolLM2())
        let runtime = ExplorerRuntime(engine: engine, prompt: Self.clean, width: 120, height: 40, synchronous: true)
        for key in Key.parse("6") { runtime.send(.key(key)) }
        let report = try #require(runtime.state.attributionView.attribution)
        #expect(report.targetText == " Paris")
        #expect(report.addsUp, "\(report.attribution.total) vs \(report.attribution.logit)")
        #expect(report.attribution.components.count == 30 * 10)
        let text = Renderer.render(runtime.state, theme: .dark).plainText
        #expect(text.contains("why \"␣Paris\" after #8"))
        #expect(text.contains("✓ within"))
    }

    /// Esc stops a patching run that is under way: the answer is a cancellation, it comes long
    /// before the run could have finished, and the explorer keeps working.
    @Test func escStopsPatchingWhileItRuns() async throws {
        let engine = LiveExplorerEngine(model: try ModelFixture.smolLM2())
        let runtime = ExplorerRuntime(engine: engine, prompt: Self.clean, width: 120, height: 40, synchronous: false)
        func waitUntil(_ seconds: Double, _ condition: () -> Bool) async throws -> Bool {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                runtime.drainInbox()
                if condition() { return true }
                try await Task.sleep(for: .milliseconds(20))
            }
            return false
        }
        #expect(try await waitUntil(120) { !runtime.state.tokens.isEmpty && runtime.state.busy == nil })
        for key in Key.parse("6cThe Colosseum is in the city of<Enter>") { runtime.send(.key(key)) }
        #expect(try await waitUntil(120) { (runtime.state.attributionView.progress?.fraction ?? 0) > 0.05 }, "progress is shown")
        let fraction = runtime.state.attributionView.progress?.fraction ?? 0
        #expect(fraction < 1)
        runtime.send(.key(.escape))
        let started = Date()
        #expect(runtime.state.attributionView.message == "patching cancelled")
        // The worker stops between runs: the next request (an analysis) is answered soon after.
        runtime.send(.key(.left))
        #expect(try await waitUntil(30) { runtime.state.busy == nil && runtime.state.analysis?.position == runtime.state.selected })
        #expect(Date().timeIntervalSince(started) < 10, "the worker stopped instead of finishing the patching")
        #expect(runtime.state.attributionView.patching == nil)
        #expect(runtime.state.attributionView.message == "patching cancelled")
    }
}

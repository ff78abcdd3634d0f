import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeTestSupport
import TokenscopeTokenizers
import TokenscopeTransformer
import TokenscopeUI

// MARK: - Side by side of two prompts: keys, editor and engine, on the tiny model

@Suite("Side by side of two prompts (tiny model)")
struct SideBySideTests {
    /// The engine behind a headless explorer.
    func engine(_ explorer: HeadlessExplorer) throws -> LiveExplorerEngine {
        try #require(explorer.runtime.engine as? LiveExplorerEngine)
    }

    @Test func barGoesFromSettingsToPromptsToOffAndTheEditorTypesB() throws {
        let explorer = try HeadlessExplorer(keys: "2|")
        #expect(explorer.state.comparison != nil && !explorer.state.secondPrompt.isOpen)
        explorer.press("|")
        #expect(explorer.state.comparison == nil && explorer.state.secondPrompt.isOpen)
        #expect(explorer.state.secondPrompt.editing && explorer.state.editor?.text == "The capital of France is", "B starts from A's text")
        #expect(explorer.render().plainText.contains("Second prompt, B"))
        explorer.press("<C-w>was<Enter>")
        let second = explorer.state.secondPrompt
        #expect(second.prompt == "The capital of France was" && !second.editing && explorer.state.editor == nil)
        #expect(explorer.state.prompt == "The capital of France is", "A is untouched")
        let next = try #require(second.next)
        #expect(next.tokens.map(\.text).joined() == "The capital of France was" && next.position == next.tokens.count - 1)
        let text = explorer.render().plainText
        #expect(text.contains("A  The capital of France is") && text.contains("B  The capital of France was"))
        #expect(text.contains("p after A") && text.contains("p after B") && text.contains("Δp"))
        explorer.press("|")
        #expect(!explorer.state.secondPrompt.isOpen && explorer.state.comparison == nil)
        #expect(!explorer.render().plainText.contains("p after B"))
        explorer.press("|")
        #expect(explorer.state.comparison != nil, "the cycle starts again with two settings")
    }

    @Test func escapeBeforeAnyBLeavesAndEscapeLaterKeepsB() throws {
        let explorer = try HeadlessExplorer(keys: "3|")
        #expect(explorer.state.secondPrompt.isOpen && explorer.state.editor != nil)
        explorer.press("<Esc>")
        #expect(!explorer.state.secondPrompt.isOpen && explorer.state.editor == nil && explorer.state.view == .attention)
        explorer.press("E<C-w>wasn't<Enter>")
        #expect(explorer.state.secondPrompt.isOpen && explorer.state.secondPrompt.prompt == "The capital of France wasn't")
        explorer.press("Ehello<Esc>")
        #expect(explorer.state.secondPrompt.prompt == "The capital of France wasn't" && explorer.state.secondPrompt.isOpen)
        explorer.press("e<C-w>was<Enter>")
        #expect(explorer.state.prompt == "The capital of France was", "e still edits A")
        #expect(explorer.state.secondPrompt.prompt == "The capital of France wasn't")
    }

    @Test func theSecondPromptRunsInItsOwnSessionAndLeavesTheSequenceAndUndoAlone() throws {
        let explorer = try HeadlessExplorer(keys: "<Space><Space>")
        let engine = try engine(explorer)
        let before = engine.session.tokens
        let steps = explorer.state.history.steps.count
        #expect(steps == 2)
        var setup = Setup()
        setup.view = .sampling
        setup.secondPrompt = "Once upon a time"
        explorer.send(.setup(setup))
        #expect(explorer.state.secondPrompt.next != nil)
        explorer.press("3")
        #expect(explorer.state.secondPrompt.layer?.attention?.tokenIDs == engine.secondRun?.session.tokens)
        #expect(engine.session.tokens == before && explorer.state.tokens.map(\.id) == before, "A's session is not touched")
        #expect(engine.secondRun?.session !== engine.session && engine.secondRun?.session.model === engine.session.model, "one model, two sessions")
        explorer.press("u")
        #expect(explorer.state.tokens.count == before.count - 1 && engine.session.count == before.count - 1, "undo still works on A")
    }

    @Test func swapRunsBAsTheSequenceAndKeepsAAsB() throws {
        let explorer = try HeadlessExplorer(keys: "2")
        var setup = Setup()
        setup.secondPrompt = "Once upon a time"
        explorer.send(.setup(setup))
        explorer.press("W")
        #expect(explorer.state.prompt == "Once upon a time" && explorer.state.secondPrompt.prompt == "The capital of France is")
        #expect(explorer.state.tokens.map(\.text).joined() == "Once upon a time")
        #expect(try engine(explorer).session.tokens == explorer.state.tokens.map(\.id))
        let next = try #require(explorer.state.secondPrompt.next)
        #expect(next.request.prompt == "The capital of France is" && next.tokens.map(\.piece).last == "Ġis")
        let text = explorer.render().plainText
        #expect(text.contains("A  Once upon a time") && text.contains("B  The capital of France is"))
    }

    @Test func theAttentionSideBySideFollowsLayerHeadAndTokenLinedUpFromTheEnd() throws {
        let explorer = try HeadlessExplorer(keys: "3")
        var setup = Setup()
        setup.secondPrompt = "Once upon a time there was"
        explorer.send(.setup(setup))
        let a = explorer.state.tokens.count
        let b = try #require(explorer.state.secondPrompt.layer?.attention?.tokenIDs.count)
        #expect(a != b, "prompts of different lengths")
        explorer.press(".<Left><Down>")
        #expect(explorer.state.head == 1 && explorer.state.layer == 1 && explorer.state.selected == a - 2)
        let layer = try #require(explorer.state.secondPrompt.layer)
        #expect(layer.request.part == .layer(1, scores: false) && layer.attention?.layer == 1)
        let text = explorer.render().plainText
        #expect(text.contains("layer 1 (0–1) · head 1 (0–3)"))
        #expect(text.contains("token \(a - 2) ") && text.contains("token \(b - 2) "), "both selections one before the end:\n\(text)")
        // B's heatmap is B's head: its selected row is the row of the second session's matrix.
        let engine = try engine(explorer)
        let matrix = try #require(try engine.secondRun?.session.layerAttention(layer: 1).probabilities[1])
        #expect(layer.attention?.heads[1] == matrix)
    }

    @Test func aPreparedStateOpensItAndADemoStepSetsIt() throws {
        let script = try DemoScript.parse("step one\nview attention\nsecond-prompt The nurse said that\nstep two\nsecond-prompt off\n", file: "demo.txt")
        #expect(script.steps[0].setup.secondPrompt == "The nurse said that" && script.steps[1].setup.secondPrompt == "")
        #expect(throws: DemoScriptError.self) { try DemoScript.parse("step one\nsecond-prompt\n", file: "demo.txt") }
        let explorer = try HeadlessExplorer()
        for action in script.actions(through: 0, defaultPrompt: "The capital of France is") { explorer.send(action) }
        #expect(explorer.state.secondPrompt.isOpen && explorer.state.view == .attention)
        #expect(explorer.render().plainText.contains("B  The nurse said that"))
        for action in script.actions(through: 1, defaultPrompt: "The capital of France is") { explorer.send(action) }
        #expect(!explorer.state.secondPrompt.isOpen)
    }

    @Test func aPromptTheModelRefusesIsSaidInBsHalfAndAnEmptyOneIsNotTaken() throws {
        let explorer = try HeadlessExplorer(keys: "2")
        var setup = Setup()
        setup.secondPrompt = String(repeating: "France ", count: 200)  // past the tiny model's 256-token context
        explorer.send(.setup(setup))
        let message = try #require(explorer.state.secondPrompt.message)
        #expect(message.contains("longer than the model's context of 256"))
        #expect(explorer.render().plainText.contains("B: error: "), "the reason is in B's half")
        #expect(explorer.state.tokens.count == 8 && explorer.state.analysis != nil, "A is untouched")
        explorer.press("E<C-a>")
        #expect(explorer.state.secondPrompt.pending.isEmpty, "a refused prompt is not asked again")
        explorer.press(String(repeating: "<Del>", count: 1400) + "<Enter>")
        #expect(explorer.state.status.contains("empty") && explorer.state.secondPrompt.prompt.hasPrefix("France "), "an empty B is not taken")
        setup.secondPrompt = "Once upon a time"
        explorer.send(.setup(setup))
        #expect(explorer.state.secondPrompt.message == nil && explorer.state.secondPrompt.next != nil, "a new prompt is asked for")
    }
}

// MARK: - Δp and both sides on the real model

@Suite("Side by side of two prompts (real model)", .serialized, .enabled(if: ModelFixture.shouldRun, "needs the cached SmolLM2 model: run `tokenscope fetch`"))
struct SideBySideRealModelTests {
    /// The explorer on the real model, synchronous, with `second` as B in `view`.
    func explorer(_ prompt: String, _ second: String, view: ViewKind, width: Int = 120, height: Int = 40) throws -> ExplorerRuntime {
        let runtime = ExplorerRuntime(engine: LiveExplorerEngine(model: try ModelFixture.smolLM2()), prompt: prompt, width: width, height: height, synchronous: true)
        var setup = Setup()
        setup.view = view
        setup.secondPrompt = second
        runtime.send(.setup(setup))
        return runtime
    }

    /// A run of `text` in a fresh session of its own, as the explorer never made it.
    func independentRun(_ text: String) throws -> InferenceSession {
        let model = try ModelFixture.smolLM2()
        let session = InferenceSession(model: model)
        try session.append(model.promptTokens(text))
        return session
    }

    /// Softmax in float64, written here from the definition.
    func softmax(_ logits: [Float]) -> [Double] {
        let top = Double(logits.max() ?? 0)
        let e = logits.map { exp(Double($0) - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    func topIDs(_ p: [Double], _ count: Int) -> [Int] {
        Array(p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }.prefix(count))
    }

    @Test(arguments: [("The doctor said that", "The nurse said that"), ("The capital of France is", "The capital of Italy is")])
    func deltaPIsTheDifferenceOfTwoIndependentRuns(prompts: (String, String)) throws {
        let runtime = try explorer(prompts.0, prompts.1, view: .sampling)
        let state = runtime.state
        let analysis = try #require(state.analysis)
        let next = try #require(state.secondPrompt.next)
        let a = try independentRun(prompts.0), b = try independentRun(prompts.1)
        #expect(state.tokens.map(\.id) == a.tokens && next.tokens.map(\.id) == b.tokens)
        let engineA = zip(analysis.logits, a.lastLogits).map { abs($0 - $1) }.max() ?? .infinity
        let engineB = zip(next.logits, b.lastLogits).map { abs($0 - $1) }.max() ?? .infinity
        #expect(engineA < 1e-4 && engineB < 1e-4, "the explorer's two sides are the model's runs: \(engineA), \(engineB)")
        let p = softmax(a.lastLogits), q = softmax(b.lastLogits)
        let shift = ProbabilityShift.between(analysis.logits, next.logits, top: 10)
        #expect(Set(shift.rows.map(\.id)) == Set(topIDs(p, 10) + topIDs(q, 10)), "the union of both top-10 lists")
        for row in shift.rows {
            #expect(abs(row.left - p[row.id]) < 1e-6 && abs(row.right - q[row.id]) < 1e-6)
            #expect(abs(row.delta - (q[row.id] - p[row.id])) < 1e-6)
            #expect(row.leftRank == topIDs(p, 200).firstIndex(of: row.id) ?? row.leftRank)
        }
        #expect(zip(shift.rows, shift.rows.dropFirst()).allSatisfy { abs($0.delta) >= abs($1.delta) }, "ordered by |Δp|")
        let moved = zip(p, q).reduce(0.0) { $0 + max(0, $1.1 - $1.0) }
        #expect(abs(shift.moved - moved) < 1e-6)
        // What the model says (llama.cpp on the same file: ␣she +0.043, ␣Paris −0.767, ␣Rome +0.388).
        let text = { (row: ProbabilityShift.Row) in state.vocabularyText[row.id] ?? "" }
        if prompts.1.contains("nurse") {
            let she = try #require(shift.rows.first { text($0) == " she" })
            #expect(she.delta > 0.02 && shift.rows.first?.id == she.id, "␣she gains most after \"nurse\"")
        } else {
            let paris = try #require(shift.rows.first { text($0) == " Paris" })
            let rome = try #require(shift.rows.first { text($0) == " Rome" })
            #expect(paris.delta < -0.6 && rome.delta > 0.3 && shift.rows.first?.id == paris.id)
        }
        // The screen shows those numbers, first row first.
        let first = try #require(shift.rows.first)
        let line = try #require(Renderer.render(state, theme: .monochrome).lines.first { $0.hasPrefix(" " + TokenSpelling.visible(text(first)) + " ") })
        #expect(line.contains(String(format: "%6.2f%%", first.left * 100)) && line.contains(String(format: "%6.2f%%", first.right * 100)))
        #expect(line.contains(String(format: "%+6.1f", first.delta * 100)))
    }

    @Test func bsPositionLinesUpWithAsSelectionFromTheEnd() throws {
        let runtime = try explorer("cheese =>", "sea otter => loutre de mer\npeppermint => menthe poivrée\ncheese =>", view: .sampling)
        runtime.send(.key(.left))
        let next = try #require(runtime.state.secondPrompt.next)
        let b = try independentRun("sea otter => loutre de mer\npeppermint => menthe poivrée\ncheese =>")
        #expect(runtime.state.selected == runtime.state.tokens.count - 2 && next.position == b.count - 2)
        let reference = try b.logits(at: b.count - 2)
        #expect((zip(next.logits, reference).map { abs($0 - $1) }.max() ?? .infinity) < 1e-4)
        let label = TokenSpelling.visible(next.tokens[b.count - 2].text)
        #expect(Renderer.render(runtime.state, theme: .monochrome).plainText.contains("after token \(b.count - 2) \"\(label)\""))
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func bothSidesAreWhole(size: (Int, Int)) throws {
        let runtime = try explorer("The doctor said that", "The nurse said that", view: .sampling, width: size.0, height: size.1)
        var lines = Renderer.render(runtime.state, theme: .monochrome).lines
        #expect(lines.contains { $0.hasPrefix(" A  The doctor said that · after token 3 \"␣that\"") })
        #expect(lines.contains { $0.hasPrefix(" B  The nurse said that · after token 3 \"␣that\"") })
        let header = try #require(lines.firstIndex { $0.contains("p after A") && $0.contains("p after B") && $0.contains("Δp") })
        #expect(lines[header + 1].contains("%") && lines[header + 10].contains("%"), "at least ten candidates:\n\(lines.joined(separator: "\n"))")
        #expect(lines[2].contains("| leaves"))

        runtime.send(.key(.character("3")))
        lines = Renderer.render(runtime.state, theme: .monochrome).lines
        let screen = lines.joined(separator: "\n")
        #expect(lines[2].hasPrefix(" layer 0 (0–29) · head 0 (0–8)"))
        #expect(lines.contains { $0.contains(" A  The doctor said that") && $0.contains(" B  The nurse said that") }, "side by side:\n\(screen)")
        for (token, other) in [("The", "The"), ("␣doctor", "␣nurse"), ("␣said", "␣said"), ("␣that", "␣that")] {
            #expect(lines.contains { $0.hasPrefix(" \(token) ") && $0.contains("│ \(other) ") }, "\(token) and \(other) label rows:\n\(screen)")
        }
        #expect(lines.filter { $0.components(separatedBy: "colour ∝").count == 3 }.count == 1, "both legends, under both whole maps")
        #expect(lines.filter { $0.components(separatedBy: "attends to:").count == 3 }.count == 1)
        // The values in the maps are the heads' weights.
        let a = try #require(runtime.state.attentionView.layerData?.heads[0]), b = try #require(runtime.state.secondPrompt.layer?.attention?.heads[0])
        let doctorRow = try #require(lines.first { $0.hasPrefix(" ␣doctor ") })
        for (matrix, half) in [(a, String(doctorRow.split(separator: "│")[0])), (b, String(doctorRow.split(separator: "│")[1]))] {
            let weight = String(format: "%.2f", matrix.value(query: 1, key: 0)).replacingOccurrences(of: "0.", with: ".")
            #expect(half.contains(weight), "\(half) shows \(weight)")
        }
    }

    @Test func tallNarrowScreensStackTheTwoMaps() throws {
        let prompt = "Alice gave Bob a book because Alice liked Bob and Bob thanked Alice for the book and"
        let runtime = try explorer(prompt, "Carol gave Dave a book because Carol liked Dave and Dave thanked Carol for the book and",
                                   view: .attention, width: 44, height: 60)
        let lines = Renderer.render(runtime.state, theme: .monochrome).lines
        let screen = lines.joined(separator: "\n")
        let a = try #require(lines.firstIndex { $0.hasPrefix(" A  …") }), b = try #require(lines.firstIndex { $0.hasPrefix(" B  …") })
        #expect(a < b && !lines[a].contains("│"), "B below A:\n\(screen)")
        #expect(lines.filter { $0.hasPrefix(" 0 ") && $0.contains("colour ∝") }.count == 2, "a whole map each:\n\(screen)")
        // Every row of both maps: the long prompts' tokens, each side's own.
        #expect(lines.filter { $0.hasPrefix(" ␣thanked ") }.count == 2 && lines.filter { $0.hasPrefix(" ␣and ") }.count == 4)
        #expect(lines.contains { $0.hasPrefix(" Alice ") } && lines[b...].contains { $0.hasPrefix(" ␣Carol ") })
    }
}

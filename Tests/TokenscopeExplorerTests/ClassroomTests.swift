import Foundation
import Testing
@testable import TokenscopeExplorer
@testable import TokenscopeUI
import TokenscopeTokenizers
import TokenscopeTransformer

// MARK: - Presenter mode, prepared states, demo scripts, quitting

@Suite("Classroom")
struct ClassroomTests {
    // MARK: Block letters

    @Test func blockLettersDrawTheGlyphsWithHalfBlocks() {
        var canvas = Canvas(width: 8, height: 3)
        let end = BlockFont(scale: 1).render("A1", x: 0, y: 0, style: .plain, on: &canvas)
        // A = .#. / #.# / ### / #.# / #.#, 1 = .#. / ##. / .#. / .#. / ###, two pixel rows per text row.
        #expect(canvas.lines == ["▄▀▄ ▄█", "█▀█  █", "▀ ▀ ▀▀▀"])
        #expect(end == 7)
        #expect(BlockFont(scale: 2).width(of: "A1") == 14 && BlockFont(scale: 2).rows == 5)
        #expect(BlockFont.fitting("Paris", width: 40, height: 5)?.scale == 2)
        #expect(BlockFont.glyph("€") == BlockFont.glyph("\u{7}"), "unknown characters share the box")
    }

    // MARK: Presenter mode

    @Test func presenterSamplingShowsTheCandidateAndItsProbabilityBig() throws {
        let explorer = try HeadlessExplorer(width: 80, height: 24, keys: "2b")
        #expect(explorer.state.presenting)
        let canvas = explorer.render(theme: Theme(.projector, depth: .indexed256))
        let lines = canvas.lines
        let result = try #require(explorer.state.sampling)
        let top = result.candidates[0]
        // The probability in block letters: rows of the figure drawn with block characters.
        let percent = String(format: top.probability >= 0.995 ? "%.0f%%" : "%.1f%%", top.probability * 100)
        let font = try #require([4, 3, 2, 1].lazy.map(BlockFont.init).first { $0.width(of: percent) <= 78 && 2 * $0.rows + 1 <= 12 })
        var expected = Canvas(width: 80, height: font.rows)
        font.render(percent, x: 1, y: 0, style: .plain, on: &expected)
        let joined = lines.joined(separator: "\n")
        #expect(joined.contains(expected.lines.joined(separator: "\n")), "the probability in block letters is on screen, uncut")
        #expect(lines.contains { $0.contains(String(format: "%6.2f%%", top.probability * 100)) }, "the runners-up list")
        #expect(lines[22].contains("b full view"), "the footer names the way back")
        explorer.press("b")
        #expect(!explorer.state.presenting)
    }

    @Test func presenterAttentionFillsTheBodyWithEveryTokenOnBothAxes() throws {
        let explorer = try HeadlessExplorer(prompt: "the cat sat", width: 80, height: 24, keys: "3b")
        let canvas = explorer.render()
        let lines = canvas.lines
        let labels = explorer.state.tokens.map { TokenSpelling.visible($0.text) }
        #expect(labels.count <= 17, "the tiny prompt fits at 80×24")
        for label in labels {
            #expect(lines.filter { $0.contains(label) }.count >= 2, "'\(label)' labels a row and a column")
        }
        #expect(lines.contains { $0.contains("colour ∝") }, "the legend is under the map")
        // The map reaches across the body: a filled cell near the right edge on the last row.
        let lastRow = try #require(lines.lastIndex { $0.hasPrefix(" " + labels.last!) || $0.contains(labels.last!) })
        #expect(lastRow > 10, "rows are tall enough to fill the body")
    }

    @Test func presenterForwardListsTheLensAnswerOfEveryBlock() throws {
        let explorer = try HeadlessExplorer(width: 80, height: 24, keys: "5b")
        let screen = explorer.render().plainText
        #expect(screen.contains("embed"))
        for block in 0..<explorer.state.layerCount { #expect(screen.contains("block \(block) "), "block \(block)") }
    }

    // MARK: Prepared states

    @Test func setupOpensAtThePreparedState() throws {
        let explorer = try HeadlessExplorer(width: 100, height: 30)
        var setup = Setup()
        setup.prompt = "the cat sat on"
        setup.view = .attention
        setup.token = .position(1)
        setup.layer = 1
        setup.head = 99
        setup.temperature = 1.5
        setup.topK = 7
        setup.seed = 9
        var input = ScriptedInput()
        input.append(setup.actions)
        input.pump(explorer.runtime, theme: .dark)
        let state = explorer.state
        #expect(state.prompt == "the cat sat on" && state.view == .attention && state.selected == 1)
        #expect(state.layer == 1 && state.head == state.headCount - 1, "numbers from 0; out of range clamps")
        #expect(state.settings.temperature == 1.5 && state.settings.topK == 7 && state.settings.seed == 9)
        #expect(state.analysis?.position == 1)
    }

    /// One setup action with a prompt and the rest (what a lesson step sends) applies the rest
    /// once the prompt has loaded; an exact setup also returns what it does not name to defaults.
    @Test func oneSetupActionRunsThePromptThenTheRest() throws {
        let explorer = try HeadlessExplorer(width: 100, height: 30)
        var warmer = Setup()
        warmer.temperature = 1.5
        explorer.runtime.send(.setup(warmer))
        var setup = Setup()
        setup.prompt = "the cat sat on"
        setup.view = .attention
        setup.token = .position(1)
        setup.layer = 1
        explorer.runtime.send(.setup(setup))
        var state = explorer.state
        #expect(state.prompt == "the cat sat on" && state.view == .attention && state.layer == 1)
        #expect(state.selected == 1 && state.analysis?.position == 1)
        #expect(state.settings.temperature != SamplerSettings().temperature, "a launch setup keeps what it does not name")
        var exact = Setup()
        exact.exact = true
        exact.prompt = "the cat sat on"
        explorer.runtime.send(.setup(exact))
        state = explorer.state
        #expect(state.view == .attention && state.layer == 0 && state.selected == state.tokens.count - 1)
        #expect(state.settings == SamplerSettings(), "an exact setup returns the sampler to its defaults")
    }

    @Test func generatedTokensComeBackOnResume() throws {
        let first = try HeadlessExplorer(width: 100, height: 30, keys: "<Space><Space>")
        let generated = first.state.tokens.filter(\.generated).map(\.id)
        #expect(generated.count == 2)
        let second = try HeadlessExplorer(width: 100, height: 30)
        var setup = Setup()
        setup.generated = generated
        setup.token = .position(-1)
        var input = ScriptedInput()
        input.append(setup.actions)
        input.pump(second.runtime, theme: .dark)
        #expect(second.state.tokens.map(\.id) == first.state.tokens.map(\.id))
        #expect(second.render().plainText == first.render().plainText)
    }

    // MARK: Demo scripts

    static let script = """
        # a comment
        title Tiny demo
        step Tokens
        prompt the cat
        view tokens
        note first note

        step Sampling
        view 2
        temperature 1.2
        keys <Space>
        step One more
        keys <Space><Down>
        note more
        """

    @Test func demoScriptsParse() throws {
        let demo = try DemoScript.parse(Self.script, file: "demo.txt")
        #expect(demo.title == "Tiny demo")
        #expect(demo.steps.map(\.title) == ["Tokens", "Sampling", "One more"])
        #expect(demo.steps[0].setup.prompt == "the cat" && demo.steps[0].notes == ["first note"])
        #expect(demo.steps[1].setup.view == .sampling && demo.steps[1].setup.temperature == 1.2 && demo.steps[1].keys == "<Space>")
        #expect(demo.steps[2].line == 12)
    }

    @Test func malformedScriptsNameTheFileAndLine() {
        func error(_ text: String) -> String {
            do {
                _ = try DemoScript.parse(text, file: "d.txt")
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(error("step A\nview nine\n") == "d.txt:2: unknown view 'nine'; views: \(ViewKind.viewNames) (or 1–\(ViewKind.allCases.count), the tab numbers)")
        #expect(error("view tokens\n") == "d.txt:1: 'view' before the first 'step': start a step with 'step TITLE'")
        #expect(error("step A\nfrobnicate 3\n").hasPrefix("d.txt:2: unknown command 'frobnicate'"))
        #expect(error("step A\ntop-k 500\n") == "d.txt:2: top-k must be a number from 0 to 200, not '500'")
        #expect(error("step A\ntoken third\n") == "d.txt:2: token must be a position from 0 (negative counts from the end), first, last or a quoted token text, not 'third'")
        #expect(error("step A\nchat maybe\n") == "d.txt:2: chat must be on or off, not 'maybe'")
        #expect(error("# nothing\n") == "d.txt: the script has no steps (start one with 'step TITLE')")
        #expect(error("step A\nkeys\n") == "d.txt:2: 'keys' needs keys, e.g. keys <Down><Enter>")
        do {
            _ = try DemoScript.load(path: "/nonexistent/demo.txt")
            Issue.record("an unreadable script loaded")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/demo.txt: cannot read the script"))
        }
    }

    @Test func stepsReplayToIdenticalScreensWhateverCameBefore() throws {
        let demo = try DemoScript.parse(Self.script, file: "demo.txt")
        let explorer = try HeadlessExplorer(width: 100, height: 30)
        var input = ScriptedInput()
        func show(_ step: Int) -> String {
            input.replace(with: demo.actions(through: step, defaultPrompt: "x"))
            input.pump(explorer.runtime, theme: .dark)
            return explorer.render().plainText
        }
        let forward = (0..<3).map(show)
        explorer.press("1<Left>e")  // wander off, with the editor open
        let backward = (0..<3).reversed().map(show).reversed()
        #expect(Array(backward) == forward)
        #expect(forward[2].contains("temperature 1.2"))
        #expect(show(2) == forward[2])
        #expect(explorer.state.tokens.filter(\.generated).count == 2)
    }

    // MARK: Quitting and saving

    @Test func qAsksFirstWhenGeneratedTextWouldBeLost() throws {
        let plain = try HeadlessExplorer()
        plain.press("q")
        #expect(plain.state.quitting, "nothing to lose: q quits")

        let explorer = try HeadlessExplorer(keys: "<Space>")
        explorer.press("q")
        #expect(!explorer.state.quitting && explorer.state.confirmingQuit)
        #expect(explorer.state.status.hasPrefix("quit?"))
        explorer.press("2")
        #expect(!explorer.state.quitting && !explorer.state.confirmingQuit && explorer.state.view == .tokens, "another key stays and is not a command")
        explorer.press("qy")
        #expect(explorer.state.quitting)

        let again = try HeadlessExplorer(keys: "<Space>")
        again.press("qq")
        #expect(again.state.quitting, "a second q quits")
        let interrupted = try HeadlessExplorer(keys: "<Space>")
        interrupted.press("<C-c>")
        #expect(interrupted.state.quitting, "Ctrl-C quits at once")
    }

    @Test func saveAsksTheFrontEndAndShowsItsAnswer() throws {
        let explorer = try HeadlessExplorer(keys: "S")
        #expect(explorer.state.saveRequested)
        explorer.send(.notice("saved ./tokenscope-tokens.svg and .txt"))
        #expect(!explorer.state.saveRequested && explorer.render().lines.last == " saved ./tokenscope-tokens.svg and .txt")
    }

    @Test func sideBySideComparesTwoSamplerSettingsOnTheSameLogits() throws {
        let explorer = try HeadlessExplorer(width: 100, height: 30, keys: "2|")
        let second = try #require(explorer.state.comparison)
        #expect(second.temperature == 1.5 && explorer.state.settings.temperature == 0.8)
        explorer.press("T")
        #expect(explorer.state.comparison?.temperature == 1.6 && explorer.state.settings.temperature == 0.8, "the keys change B")
        explorer.press("\\t")
        #expect(explorer.state.settings.temperature == 0.7, "\\ switches to A")
        let lines = explorer.render().lines
        #expect(lines[3].contains("A: T 0.7") && lines[3].contains("B: T 1.6"))
        let analysis = try #require(explorer.state.analysis)
        let b = Sampler.sample(logits: analysis.logits, settings: try #require(explorer.state.comparison), position: explorer.state.selected + 1, listing: 5)
        #expect(lines[4].contains(String(format: "entropy %.2f bits", b.entropyBits)), "B's figures come from the same logits")
        explorer.press("X")
        #expect(explorer.state.settings.temperature == 1.6 && explorer.state.comparison?.temperature == 0.7)
        explorer.press("|")
        #expect(explorer.state.comparison == nil && !explorer.render().lines[3].contains("A: T"))
    }

    @Test func inputScriptsRoundTrip() {
        let events: [InputEvent] = [
            .key(.character("a")), .key(.character("<")), .key(.character(" ")), .key(.up), .key(.control("w")), .key(.backTab),
            .click(x: 3, y: 4), .scroll(-1), .scroll(1), .resize(width: 80, height: 24), .paste("a <b>\nc", dropped: 0), .key(.enter),
        ]
        let script = events.map(InputScript.spell).joined()
        #expect(InputScript.parse(script) == events)
    }
}

import Foundation
import Testing
@testable import TokenscopeExplorer
import TokenscopeTestSupport
import TokenscopeTokenizers
import TokenscopeUI

// MARK: - Tokens view: strip widget, BPE replay, counts, comparison, snapshots

@Suite("Tokens view")
struct TokensViewTests {
    // MARK: Token strip

    @Test func stripWrapsAtChipBoundariesAndAfterNewlines() {
        let chips = ["ab", "cde", "f↵", "gh", "ijklm"].enumerated().map {
            TokenChip(label: $0.element, id: $0.offset, kind: .normal, breaksLine: $0.element.hasSuffix("↵"))
        }
        let strip = TokenStrip(chips: chips, theme: .monochrome, gap: 1, firstIndex: 10)
        let placements = strip.layout(width: 8)
        #expect(placements.map(\.line) == [0, 0, 1, 2, 2])
        #expect(placements.map(\.x) == [0, 3, 0, 0, 3])
        var canvas = Canvas(width: 10, height: 3)
        strip.render(in: Rect(x: 1, y: 0, width: 8, height: 3), on: &canvas)
        #expect(canvas.lines == [" ab cde", " f↵", " gh ijklm"])
        // Every chip's cells are marked with its sequence position; the gap with nothing.
        #expect(canvas.token(atX: 4, y: 0) == 11)
        #expect(canvas.token(atX: 3, y: 0) == nil)
        #expect(canvas.token(atX: 8, y: 2) == 14)
        // Drawing over a chip (an overlay) unmarks the cells drawn.
        canvas.text("xy", x: 7, y: 2)
        #expect(canvas.token(atX: 8, y: 2) == nil)
        #expect(canvas.token(atX: 6, y: 2) == 14)
    }

    @Test func stripScrollsToTheSelectedChipAndShowsIDs() {
        let chips = (0..<12).map { TokenChip(label: "w\($0)", id: 100 + $0, kind: .normal) }
        let strip = TokenStrip(chips: chips, theme: .monochrome, showIDs: true, selected: 11, gap: 1)
        var canvas = Canvas(width: 8, height: 4)
        strip.render(in: Rect(x: 0, y: 0, width: 8, height: 4), on: &canvas)
        // Two chips per line, two rows per line (text, id); the last two lines show chips 8–11.
        #expect(canvas.lines == ["w8  w9", "108 109", "w10 w11", "110 111"])
    }

    @Test func chipsShowWhitespaceControlTokensAndPartialBytes() {
        func token(_ id: Int, _ text: String, _ piece: String, _ kind: TokenKind, _ bytes: [UInt8]) -> TokenInfo {
            var info = TokenInfo(id: id, text: text, piece: piece, kind: kind, mergeRank: nil, generated: false, probability: nil)
            info.bytes = bytes
            return info
        }
        #expect(TokenChip(token: token(5, " a\t\n", "Ġa", .normal, Array(" a\t\n".utf8))).label == "␣a⇥↵")
        #expect(TokenChip(token: token(5, " a\t\n", "Ġa", .normal, Array(" a\t\n".utf8))).breaksLine)
        #expect(TokenChip(token: token(1, "<|im_start|>", "<|im_start|>", .control, [])) == TokenChip(label: "<|im_start|>", id: 1, kind: .special))
        let partial = TokenChip(token: token(9, "\u{FFFD}", "â", .normal, [0xE2, 0x80]))
        #expect(partial.kind == .byte && partial.label == "‹E2 80›")
    }

    // MARK: Counts

    @Test func countsCharactersBytesWordsAndTokens() {
        let tokens = ["Hé", "llo", " wor", "ld", "\n"].enumerated().map { offset, text in
            TokenInfo(id: offset, text: text, piece: text, kind: .normal, mergeRank: nil, generated: false, probability: nil)
        }
        let counts = Counts(tokens)
        #expect(counts.characters == 12 && counts.bytes == 13 && counts.words == 2 && counts.tokens == 5)
        #expect(abs(counts.charactersPerToken - 2.4) < 1e-12)
    }

    // MARK: BPE replay on the tiny model

    @Test func replayCoversTheWholePreTokenAndStepsBothWays() throws {
        let explorer = try HeadlessExplorer()
        let tokenizer = try TinyModel.model().tokenizer
        // "The capital of France is": select "␣capital" (token 2).
        explorer.press("<home><right>")
        let analysis = try #require(explorer.state.analysis)
        let replay = try #require(analysis.replay)
        #expect(replay.word == "␣capital")
        #expect(replay.initial == ["␣", "c", "a", "p", "i", "t", "a", "l"])
        // The final parts are the tokens the tokenizer gives the word on its own, and the ranks are
        // the merge list's (ids 259… are the merges in rank order).
        let ids = tokenizer.encode(" capital", parseSpecial: false)
        #expect(replay.parts(after: replay.stepCount) == ids.map { TokenSpelling.visible(tokenizer.decode([$0])) })
        #expect((1...replay.stepCount).compactMap { replay.merge($0)?.rank } == [2, 3, 4, 5, 6, 7, 8])
        #expect(replay.positions == 1..<2)
        #expect(explorer.render().plainText.contains("BPE replay of \"␣capital\" (token 1): merge 7 of 7"))
        // Back two merges, then forward one.
        explorer.press("[[")
        #expect(explorer.state.tokensView.step(at: 1, of: 7) == 5)
        var screen = explorer.render().plainText
        #expect(screen.contains("merge 5 of 7"))
        // Every merge is listed with the parts after it; the current one is merge 5.
        let current = try #require(explorer.render().lines.first { $0.contains("rank 6") })
        #expect(current.contains("  5  rank 6") && current.contains("\"a\" + \"l\" → \"al\"") && current.contains("␣cap it al"))
        explorer.press("]")
        #expect(explorer.render().plainText.contains("merge 6 of 7"))
        // All the way back: single bytes.
        explorer.press("[[[[[[[[")
        screen = explorer.render().plainText
        #expect(screen.contains("merge 0 of 7") && screen.contains("8 single bytes") && screen.contains("␣ c a p i t a l"))
        // Moving the selection starts the replay over at the final tokens.
        explorer.press("<right>")
        #expect(explorer.render().plainText.contains("BPE replay of \"␣of\" (token 2): merge 2 of 2"))
    }

    @Test func replayOfAWordSpanningSeveralTokens() throws {
        // " France" has no whole-word merge in the tiny vocabulary: several tokens make one pre-token.
        let explorer = try HeadlessExplorer(prompt: "of France")
        let tokenizer = try TinyModel.model().tokenizer
        let ids = tokenizer.encode("of France", parseSpecial: false)
        #expect(explorer.state.tokens.map(\.id) == ids)
        explorer.press("<end>")
        let replay = try #require(explorer.state.analysis?.replay)
        #expect(replay.word == "␣France")
        #expect(replay.positions.count > 1 && replay.positions.upperBound == ids.count)
        #expect(replay.parts(after: replay.stepCount) == ids[replay.positions].map { TokenSpelling.visible(tokenizer.decode([$0])) })
    }

    @Test func chatTemplateShowsTheExactSpecialTokens() throws {
        let explorer = try HeadlessExplorer(prompt: "Hi")
        explorer.press("c")
        let tokenizer = try TinyModel.model().tokenizer
        let text = ChatTemplate.chatML.render([ChatMessage(role: .user, content: "Hi")], addGenerationPrompt: true)
        #expect(explorer.state.tokens.map(\.id) == tokenizer.encode(text, parseSpecial: true))
        let screen = explorer.render().plainText
        #expect(screen.contains("<|im_start|>system↵"))
        #expect(screen.contains("<|im_start|>user↵"))
        #expect(screen.contains("Hi<|im_end|>↵"))
        #expect(screen.contains("<|im_start|>assistant↵"))
    }

    @Test func comparisonTokenizersRunTheSameText() throws {
        let engine = try TinyModel.engine()
        let other = try TinyModel.model().tokenizer
        engine.comparisonTokenizers = [ComparisonTokenizer(name: "tiny again", tokenizer: other)]
        let runtime = ExplorerRuntime(engine: engine, prompt: "The capital of France is", width: 120, height: 40, synchronous: true)
        let comparison = try #require(runtime.state.analysis?.comparisons.first)
        #expect(comparison.ids == other.encode("The capital of France is", parseSpecial: true))
        #expect(comparison.ids == runtime.state.tokens.map(\.id))
        let screen = Renderer.render(runtime.state, theme: .dark).plainText
        #expect(screen.contains("this model \(String(format: "%4d", comparison.ids.count)) tokens The ␣capital ␣of"))
        #expect(screen.contains("tiny again \(String(format: "%4d", comparison.ids.count)) tokens The ␣capital ␣of"))
        runtime.send(.key(.character("x")))
        #expect(!Renderer.render(runtime.state, theme: .dark).plainText.contains("tiny again"))
    }

    @Test func clickingAChipSelectsItsToken() throws {
        let explorer = try HeadlessExplorer()
        let area = TokensView.stripArea(explorer.state, TokensView.body(explorer.state))
        let placements = TokensView.strip(explorer.state, .dark).layout(width: area.width)
        let third = try #require(placements.first { $0.index == 2 })
        explorer.click(x: area.x + third.x + third.width - 1, y: area.y + third.line)
        #expect(explorer.state.selected == 2)
        #expect(explorer.render().plainText.contains("token 2: id "))
    }

    @Test func theSameClickElsewhereSelectsNothing() throws {
        let explorer = try HeadlessExplorer()
        let area = TokensView.stripArea(explorer.state, TokensView.body(explorer.state))
        let placements = TokensView.strip(explorer.state, .dark).layout(width: area.width)
        let third = try #require(placements.first { $0.index == 2 })
        let (x, y) = (area.x + third.x + third.width - 1, area.y + third.line)
        let last = explorer.state.selected
        // Other views draw other things there, and so do the help overlay and the prompt editor.
        explorer.press("2")
        explorer.click(x: x, y: y)
        #expect(explorer.state.selected == last)
        explorer.press("1?")
        explorer.click(x: x, y: y)
        #expect(!explorer.state.showHelp, "a click closes help")
        #expect(explorer.state.selected == last, "and does nothing else")
        explorer.press("e")
        explorer.click(x: x, y: y)
        #expect(explorer.state.selected == last)
        #expect(explorer.state.editor != nil)
    }

    @Test func chipsAreClickableInMonochromeWhereTheyAreSpacedApart() throws {
        let explorer = try HeadlessExplorer()
        // Without colour chips have a gap, so the colour layout's coordinates would be off by one per chip.
        let canvas = explorer.render(theme: .monochrome)
        let line = try #require(canvas.lines.firstIndex { $0.contains("capital") })
        let text = canvas.lines[line]
        let column = text.distance(from: text.startIndex, to: try #require(text.range(of: "␣of")).lowerBound)
        explorer.click(x: column + 1, y: line, theme: .monochrome)
        #expect(explorer.state.selected == 2)
    }

    @Test func tokensAreClickableInTheSamplingAndAttentionViews() throws {
        // Sampling view: the text line at the bottom.
        let explorer = try HeadlessExplorer(keys: "2")
        var canvas = explorer.render()
        var row = try #require(canvas.lines.firstIndex { $0.hasPrefix(" text ") })
        var text = canvas.lines[row]
        var column = text.distance(from: text.startIndex, to: try #require(text.range(of: "capital")).lowerBound)
        explorer.click(x: column, y: row)
        #expect(explorer.state.selected == 1)
        // Attention view: a query's label on the left of the map.
        explorer.press("3")
        canvas = explorer.render()
        row = try #require(canvas.lines.firstIndex { $0.hasPrefix("  3 ") })
        explorer.click(x: 2, y: row)
        #expect(explorer.state.selected == 3)
        // … and a key in the selected row's text under the map.
        canvas = explorer.render()
        row = try #require(canvas.lines.firstIndex { $0.contains("attends to") }) + 1
        text = canvas.lines[row]
        column = text.distance(from: text.startIndex, to: try #require(text.range(of: "The")).lowerBound)
        explorer.click(x: column, y: row)
        #expect(explorer.state.selected == 0)
    }

    // MARK: Snapshots

    @Test(arguments: [(120, 40), (80, 24)])
    func snapshot(width: Int, height: Int) throws {
        let explorer = try HeadlessExplorer(width: width, height: height, keys: "<left>i")
        assertSnapshot(tokensBodyOnly(explorer.render()), named: "tokens-\(width)x\(height)")
    }
}

/// The canvas with the shell's header and footer rows blanked, so the snapshot pins only this view.
func tokensBodyOnly(_ canvas: Canvas) -> Canvas {
    var out = canvas
    for row in [0, 1, canvas.height - 2, canvas.height - 1] { out.fill(x: 0, y: row, width: canvas.width, height: 1) }
    return out
}

import Foundation
import Testing
import TokenscopeUI
@testable import TokenscopeExplorer

// MARK: - Screens use their rows, panels leave the figure in sight, help pages

/// Layout checks on the tiny model: no view leaves a block of empty rows where it has something to
/// show, the explain panel sits below the view instead of over it, and help that does not fit
/// turns pages that say what the next one holds.
@Suite("Layout defects")
struct LayoutDefectsTests {
    static let longPrompt = "Once upon a time there was a monk who lived in a small village near the sea"

    /// The rows between the tabs and the footer that hold nothing.
    static func emptyBodyRows(_ canvas: Canvas) -> Int {
        canvas.lines.dropFirst(2).dropLast(2).filter { $0.trimmingCharacters(in: .whitespaces).isEmpty }.count
    }

    // MARK: Attention

    @Test func theAttentionHeadUsesItsRowsAt80x24() throws {
        let explorer = try HeadlessExplorer(prompt: Self.longPrompt, width: 80, height: 24, keys: "3")
        #expect(explorer.state.tokens.count > 20, "more queries than text rows: the map is drawn in half blocks")
        let canvas = explorer.render()
        #expect(Self.emptyBodyRows(canvas) == 0, "\(canvas.lines.joined(separator: "\n"))")
        // The highlighted row label names the selected token.
        let selected = explorer.state.selected
        let label = String(format: "%3d ", selected) + explorer.state.tokens[selected].label
        let row = try #require(canvas.lines.firstIndex { $0.hasPrefix(label) }, "no row names token \(selected)")
        #expect(canvas[1, row]?.style == Theme.dark.selection)
    }

    @Test func theAttentionFooterShowsHeadAndTokenKeysAtEveryWidth() {
        for width in 80...240 {
            let items = Renderer.footerItems(.attention, width: width - 1)
            #expect(items.contains { $0.keys == "←/→" && $0.text == "token" }, "width \(width)")
            #expect(items.contains { $0.keys == ",/." && $0.text == "head" }, "width \(width)")
        }
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func allHeadsThumbnailsFillTheirCell(size: (Int, Int)) throws {
        let explorer = try HeadlessExplorer(width: size.0, height: size.1, keys: "3h")
        #expect(explorer.state.attentionView.mode == .layer)
        let canvas = explorer.render()
        // Head 0's cell (the grid's first column): its thumbnail's widest row (the causal map's
        // last queries see every key) spans the cell's width, however few tokens there are.
        let heads = try #require(explorer.state.attentionView.layerData).heads.count
        let gridColumns = heads <= 4 ? heads : (heads <= 9 ? 3 : 4)
        let thumbnailWidth = size.0 / gridColumns - 3
        #expect(explorer.state.tokens.count < thumbnailWidth, "fewer keys than columns: the thumbnail is stretched")
        let widest = (2..<(size.1 - 2)).map { y in
            (1...thumbnailWidth).filter { x in canvas[x, y].map { $0.character == "▀" || $0.character == "▄" } ?? false }.count
        }.max() ?? 0
        #expect(widest >= thumbnailWidth - 1, "the thumbnail spans \(widest) of \(thumbnailWidth) columns:\n\(canvas.lines.joined(separator: "\n"))")
    }

    // MARK: Tokens and embeddings

    @Test(arguments: [(120, 40), (80, 24)])
    func theTokensViewUsesItsRows(size: (Int, Int)) throws {
        let explorer = try HeadlessExplorer(prompt: Self.longPrompt, width: size.0, height: size.1)
        let canvas = explorer.render()
        #expect(Self.emptyBodyRows(canvas) <= 5, "\(canvas.lines.joined(separator: "\n"))")
        // The replay lists its merges when there is room: the bytes row and the final merge.
        let replay = try #require(explorer.state.analysis?.replay)
        #expect(canvas.plainText.contains("\(replay.initial.count) single bytes"))
        if size.0 >= 120 {
            // The rest is a table of the tokens around the selection, with their ids.
            let token = explorer.state.tokens[explorer.state.selected]
            #expect(canvas.plainText.contains("Tokens around the selection"))
            #expect(canvas.lines.contains { $0.contains(" \(explorer.state.selected) ") && $0.contains(" \(token.id) ") && $0.contains(token.piece) })
        }
    }

    @Test func aClickOnATableRowSelectsItsToken() throws {
        let explorer = try HeadlessExplorer(prompt: Self.longPrompt, width: 120, height: 40)
        let canvas = explorer.render()
        let header = try #require(canvas.lines.firstIndex { $0.contains("Tokens around the selection") })
        let row = header + 2
        let position = try #require(Int(canvas.lines[row].split(separator: " ").first ?? ""))
        #expect(position != explorer.state.selected)
        explorer.click(x: 3, y: row)
        #expect(explorer.state.selected == position)
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func theEmbeddingsViewListsTheStaticNeighboursOnce(size: (Int, Int)) throws {
        let explorer = try HeadlessExplorer(width: size.0, height: size.1, keys: "4")
        let report = try #require(explorer.state.embeddingsView.report)
        #expect(report.neighbours == report.staticNeighbours, "the query is the selected token")
        let lines = explorer.render().lines
        for neighbour in report.staticNeighbours.prefix(3) {
            let value = String(format: "%.3f", neighbour.similarity)
            let rows = lines.filter { $0.contains(neighbour.label) && $0.contains(value) }
            #expect(rows.count == 1, "\(neighbour.label) \(value) is listed \(rows.count) times")
        }
        // The contextual neighbours are still there.
        let contextual = try #require(report.contextualNeighbours.first)
        #expect(lines.contains { $0.contains(contextual.label) && $0.contains(String(format: "%.3f", contextual.similarity)) })
    }

    // MARK: Explain panel

    @Test func escapeClosesTheExplainPanel() throws {
        let explorer = try HeadlessExplorer(keys: "y")
        #expect(explorer.state.teaching.explainOpen)
        explorer.press("<Esc>")
        #expect(!explorer.state.teaching.explainOpen)
        #expect(!explorer.render().plainText.contains("Explain: "))
        // In the attention view Esc closes the panel first, then goes back to the single head.
        explorer.press("3hy<Esc>")
        #expect(!explorer.state.teaching.explainOpen && explorer.state.attentionView.mode == .layer)
        explorer.press("<Esc>")
        #expect(explorer.state.attentionView.mode == .head)
    }

    @Test func theExplainPanelLeavesTheHeatmapInSightAt80x24() throws {
        let explorer = try HeadlessExplorer(prompt: Self.longPrompt, width: 80, height: 24, keys: "3y")
        let lines = explorer.render().lines
        let panel = try #require(lines.firstIndex { $0.contains("Explain: Attention") })
        let selected = explorer.state.selected
        let label = String(format: "%3d ", selected) + explorer.state.tokens[selected].label
        let row = try #require(lines.firstIndex { $0.hasPrefix(label) }, "the selected query's row is hidden:\n\(lines.joined(separator: "\n"))")
        #expect(row < panel)
        #expect(lines[..<panel].contains { $0.contains("keys →") }, "the key ruler")
        #expect(lines[..<panel].contains { $0.contains("attends to") }, "the selected row's keys")
        // The panel's first sentence is on screen.
        let first = try #require(Explainer.sentences(explorer.state).first)
        #expect(lines.joined(separator: " ").contains(String(first.prefix(25))))
    }

    // MARK: Help

    @Test(arguments: ViewKind.allCases)
    func helpPagesAt80x24ListEveryKey(view: ViewKind) throws {
        let explorer = try HeadlessExplorer(width: 80, height: 24, keys: String((ViewKind.allCases.firstIndex(of: view) ?? 0) + 1) + "?")
        var screens: [String] = []
        let pages = HelpContent.overlay(explorer.state, theme: .dark).maxScroll(in: Rect(x: 0, y: 0, width: 80, height: 24)) + 1
        for page in 0..<pages {
            let lines = explorer.render().lines
            screens.append(lines.joined(separator: "\n"))
            #expect(lines.count == 24)
            let title = try #require(lines.first { $0.contains("Keys") })
            #expect(title.contains("page \(page + 1) of \(pages)"), "\(title)")
            // The last row inside the frame says what the next (or, on the last page, the previous) page holds.
            let more = try #require(lines.last { $0.contains("page ") && !$0.contains("Keys") }, "\(lines.joined(separator: "\n"))")
            #expect(more.contains(page + 1 < pages ? "↓ page \(page + 2) of \(pages): " : "↑ page \(page) of \(pages): "), "\(more)")
            explorer.press("<Down>")
            #expect(explorer.state.showHelp)
        }
        #expect(screens.count >= 2, "help at 80×24 has more keys than one page holds")
        // The entries as one line each: a row whose key column is empty goes on the row above.
        var entries: [String] = []
        for line in screens.joined(separator: "\n").split(separator: "\n") {
            guard line.hasPrefix("│ "), line.hasSuffix(" │") else { continue }
            let content = String(line.dropFirst(2).dropLast(2))
            if content.hasPrefix("           "), !entries.isEmpty {
                entries[entries.count - 1] += " " + content.trimmingCharacters(in: .whitespaces)
            } else {
                entries.append(content.trimmingCharacters(in: .whitespaces))
            }
        }
        let all = entries.joined(separator: "\n")
        for binding in Keymap.bindings(in: view) where binding.listed {
            #expect(all.contains(binding.help), "\(view): no page lists '\(binding.help)'")
        }
        explorer.press("<Up><Home>")
        #expect(explorer.state.helpScroll == 0 && explorer.state.showHelp)
        explorer.press("x")
        #expect(!explorer.state.showHelp)
    }
}

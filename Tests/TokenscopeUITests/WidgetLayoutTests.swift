import Testing
import TokenscopeUI

// MARK: - Text, table, tabs, list, help overlay

@Suite("Widgets: layout")
struct WidgetLayoutTests {
    func draw(_ width: Int, _ height: Int, _ body: (inout Canvas, Rect) -> Void) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        body(&canvas, Rect(x: 0, y: 0, width: width, height: height))
        return canvas
    }

    @Test func textCutsWithAnEllipsis() {
        let bold = Style(bold: true)
        let text = StyledText([Span("Hello ", bold), Span("world")])
        assertLines(draw(20, 1) { text.render(in: $1, on: &$0) }, ["Hello world"])
        let cut = draw(8, 1) { text.render(in: $1, on: &$0) }
        assertLines(cut, ["Hello w…"])
        #expect(cut[0, 0]?.style == bold && cut[6, 0]?.style == .plain)
        assertLines(draw(1, 1) { text.render(in: $1, on: &$0) }, ["…"])
        assertLines(draw(3, 1) { StyledText("abc").render(in: $1, on: &$0) }, ["abc"])
    }

    @Test func textAligns() {
        assertLines(draw(9, 2) { canvas, area in
            StyledText("abc", alignment: .right).render(in: area.splitTop(1).top, on: &canvas)
            StyledText("abc", alignment: .center).render(in: area.splitTop(1).rest, on: &canvas)
        }, ["      abc", "   abc"])
    }

    @Test func textWrapsAtSpacesAndCutsTheLastRow() {
        let text = StyledText("the quick brown fox jumps", wraps: true)
        assertLines(draw(10, 3) { text.render(in: $1, on: &$0) }, ["the quick", "brown fox", "jumps"])
        assertLines(draw(10, 2) { text.render(in: $1, on: &$0) }, ["the quick", "brown fox…"])
        assertLines(draw(4, 3) { StyledText("abcdefghij", wraps: true).render(in: $1, on: &$0) }, ["abcd", "efgh", "ij"])
    }

    @Test func wideCharactersNeverSplit() {
        // 世界 takes four columns; in three, one fits before the ellipsis.
        let canvas = draw(3, 1) { StyledText("世界").render(in: $1, on: &$0) }
        assertLines(canvas, ["世…"])
        #expect(canvas[1, 0]?.character == nil, "the right half of 世 is a continuation cell")
    }

    @Test func tableAlignsColumns() {
        let table = Table(
            columns: [.init("token"), .init("p", width: 6, alignment: .right), .init("note")],
            rows: [[Span("Paris"), Span("0.61"), Span("capital")], [Span("London"), Span("0.02"), Span("")]],
            headerStyle: Style(bold: true), selected: 1)
        let canvas = draw(24, 4) { table.render(in: $1, on: &$0) }
        assertLines(canvas, ["token       p note", "Paris    0.61 capital", "London   0.02", ""])
        #expect(canvas[0, 0]?.style.bold == true)
        #expect(canvas[0, 2]?.style.reverse == true && canvas[23, 2]?.style.reverse == true)
        // Narrow: the last column is dropped or cut, never overflows.
        assertLines(draw(10, 2) { table.render(in: $1, on: &$0) }, ["token    p", "Paris  0.…"])
        assertLines(draw(3, 1) { table.render(in: $1, on: &$0) }, ["to…"])
    }

    @Test func tabsShrinkToNumbers() {
        let tabs = Tabs(titles: ["Tokens", "Sampling", "Attention"], selected: 1)
        assertLines(draw(40, 1) { tabs.render(in: $1, on: &$0) }, [" 1 Tokens   2 Sampling   3 Attention"])
        assertLines(draw(20, 1) { tabs.render(in: $1, on: &$0) }, [" 1   2 Sampling   3"])
        assertLines(draw(6, 1) { tabs.render(in: $1, on: &$0) }, [" 1   …"])
        #expect(tabs.spans(width: 40) == [0..<10, 11..<23, 24..<37])
        let canvas = draw(40, 1) { tabs.render(in: $1, on: &$0) }
        #expect(canvas[12, 0]?.style.reverse == true && canvas[1, 0]?.style.reverse == false)
    }

    @Test func listKeepsTheSelectionVisible() {
        let items = (0..<10).map { Span("item \($0)") }
        var list = ScrollList(items: items, selected: 7)
        assertLines(draw(8, 3) { list.render(in: $1, on: &$0) }, ["item 5 │", "item 6 ┃", "item 7 │"])
        list.selected = 0
        assertLines(draw(8, 3) { list.render(in: $1, on: &$0) }, ["item 0 ┃", "item 1 │", "item 2 │"])
        list.selected = nil
        list.offset = 100
        #expect(list.offset(for: 3) == 7)
        assertLines(draw(8, 12) { ScrollList(items: items).render(in: $1, on: &$0) }, items.map(\.text) + ["", ""])
        assertLines(draw(1, 1) { ScrollList(items: items, selected: 3).render(in: $1, on: &$0) }, ["…"])
    }

    @Test func helpOverlayFramesItsEntries() {
        let help = HelpOverlay(title: "Keys", entries: [
            .init(keys: nil, text: "Everywhere"), .init(keys: "q", text: "quit"), .init(keys: "Tab", text: "next view"),
        ])
        assertLines(draw(24, 8) { help.render(in: $1, on: &$0) }, [
            "   ╭─ Keys ─────────╮",
            "   │                │",
            "   │ Everywhere     │",
            "   │ q    quit      │",
            "   │ Tab  next view │",
            "   │                │",
            "   ╰────────────────╯",
            "",
        ])
    }

    @Test func helpOverlayPagesWhatDoesNotFit() {
        let entries = [HelpOverlay.Entry(keys: nil, text: "View")] + (1...4).map { HelpOverlay.Entry(keys: "\($0)", text: "command \($0)") }
            + [HelpOverlay.Entry(keys: nil, text: "Everywhere")] + (5...9).map { HelpOverlay.Entry(keys: "\($0)", text: "command \($0)") }
        let area = Rect(x: 0, y: 0, width: 40, height: 8)
        let help = HelpOverlay(title: "Keys", entries: entries)
        // Five rows a page: a page never ends on a heading; a section going on repeats its heading.
        #expect(help.pages(in: area).map { $0.map(\.text) } == [
            ["View", "command 1", "command 2", "command 3", "command 4"],
            ["Everywhere", "command 5", "command 6", "command 7", "command 8"],
            ["Everywhere (continued)", "command 9"],
        ])
        #expect(help.maxScroll(in: area) == 2)
        let first = draw(50, 8) { help.render(in: $1, on: &$0) }
        #expect(first.lines[1].contains("View") && first.lines[5].contains("4  command 4"))
        #expect(first.lines[6].contains("↓ page 2 of 3: Everywhere — 5, 6, 7, 8"), "\(first.lines[6])")
        // The last page (any larger page number is clamped) names the page before it.
        var last = help
        last.scroll = 99
        let end = draw(50, 8) { last.render(in: $1, on: &$0) }
        #expect(end.lines[1].contains("Everywhere (continued)") && end.lines[2].contains("9  command 9"))
        #expect(end.lines[6].contains("↑ page 2 of 3: Everywhere — 5, 6, 7, 8"), "\(end.lines[6])")
        // Tiny areas draw nothing broken.
        _ = draw(2, 2) { HelpOverlay(title: "Keys", entries: entries).render(in: $1, on: &$0) }
        _ = draw(1, 1) { HelpOverlay(title: "Keys", entries: entries).render(in: $1, on: &$0) }
    }
}
